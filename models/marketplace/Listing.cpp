#include "Listing.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace ecotone {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::Listing)
};

struct KindInfo
{
    ListingKind kind;
    const char *key;
    const char *name;
};

const KindInfo kKinds[] = {
    {ListingKind::Product, "product", QT_TRANSLATE_NOOP("ecotone::Listing", "Product")},
    {ListingKind::Service, "service", QT_TRANSLATE_NOOP("ecotone::Listing", "Service")},
    {ListingKind::Integration, "integration", QT_TRANSLATE_NOOP("ecotone::Listing", "Integration")},
    {ListingKind::Bundle, "bundle", QT_TRANSLATE_NOOP("ecotone::Listing", "Solution bundle")},
};
} // namespace

QString listing::kindKey(ListingKind kind)
{
    for (const auto &k : kKinds)
        if (k.kind == kind)
            return QString::fromLatin1(k.key);
    return {};
}

std::optional<ListingKind> listing::kindFromKey(const QString &key)
{
    for (const auto &k : kKinds)
        if (key.compare(QLatin1String(k.key), Qt::CaseInsensitive) == 0)
            return k.kind;
    return std::nullopt;
}

QStringList listing::kindKeys()
{
    QStringList out;
    for (const auto &k : kKinds)
        out << QString::fromLatin1(k.key);
    return out;
}

QString listing::kindName(ListingKind kind)
{
    for (const auto &k : kKinds)
        if (k.kind == kind)
            return Tr::tr(k.name);
    return {};
}

QString listing::stateKey(ListingState state)
{
    return state == ListingState::Published ? QStringLiteral("published") : QStringLiteral("draft");
}

std::optional<ListingState> listing::stateFromKey(const QString &key)
{
    if (key == QLatin1String("published"))
        return ListingState::Published;
    if (key == QLatin1String("draft"))
        return ListingState::Draft;
    return std::nullopt;
}

QStringList listing::cloudKeys()
{
    return {QStringLiteral("aws"), QStringLiteral("azure"), QStringLiteral("gcp")};
}

QString listing::cloudName(const QString &key)
{
    if (key == QLatin1String("aws"))
        return QStringLiteral("AWS Marketplace");
    if (key == QLatin1String("azure"))
        return QStringLiteral("Microsoft Azure Marketplace");
    if (key == QLatin1String("gcp"))
        return QStringLiteral("Google Cloud Marketplace");
    return key;
}

QStringList listing::pricingModels()
{
    return {QStringLiteral("free"), QStringLiteral("subscription"), QStringLiteral("usage"), QStringLiteral("one_time"),
            QStringLiteral("quote")};
}

QStringList listing::categories()
{
    return {QStringLiteral("Data & Analytics"), QStringLiteral("Security"),      QStringLiteral("Migration"),
            QStringLiteral("Managed Services"), QStringLiteral("AI/ML"),         QStringLiteral("DevOps"),
            QStringLiteral("Networking"),       QStringLiteral("ERP"),           QStringLiteral("CRM"),
            QStringLiteral("Collaboration"),    QStringLiteral("Observability"), QStringLiteral("Storage")};
}

QStringList listing::validate(const Listing &l)
{
    QStringList problems;
    if (l.title.trimmed().isEmpty())
        problems << Tr::tr("A title is required.");
    else if (l.title.size() > kMaxTitle)
        problems << Tr::tr("The title is longer than %1 characters.").arg(kMaxTitle);
    if (l.summary.size() > kMaxSummary)
        problems << Tr::tr("The summary is longer than %1 characters.").arg(kMaxSummary);
    if (l.description.size() > kMaxDescription)
        problems << Tr::tr("The description is longer than %1 characters.").arg(kMaxDescription);
    if (l.organizationId.isEmpty())
        problems << Tr::tr("A listing belongs to an organization.");
    for (const QString &c : l.clouds)
        if (!cloudKeys().contains(c))
            problems << Tr::tr("Unknown cloud marketplace \"%1\" (use aws, azure or gcp).").arg(c);
    if (!l.pricingModel.isEmpty() && !pricingModels().contains(l.pricingModel))
        problems << Tr::tr("Unknown pricing model \"%1\" (use %2).")
                        .arg(l.pricingModel, pricingModels().join(QStringLiteral(", ")));
    if (l.logo.size() > kMaxLogoBytes)
        problems << Tr::tr("The logo has %1 bytes; at most %2 are allowed.").arg(l.logo.size()).arg(kMaxLogoBytes);
    if (!l.logo.isEmpty() && logoFormat(l.logo) == LogoFormat::None)
        problems << Tr::tr("The logo must be a PNG, JPEG or SVG image.");
    if (l.kind == ListingKind::Bundle) {
        if (l.bundleMembers.size() < 2)
            problems << Tr::tr("A bundle combines at least two listings.");
    } else if (!l.bundleMembers.isEmpty()) {
        problems << Tr::tr("Only a bundle has members.");
    }
    if (l.kind == ListingKind::Integration && l.integratesWith.isEmpty())
        problems << Tr::tr("An integration names at least one listing it integrates with.");
    if (!l.id.isEmpty() && (l.integratesWith.contains(l.id) || l.bundleMembers.contains(l.id)))
        problems << Tr::tr("A listing cannot refer to itself.");
    for (const QStringList *list : {&l.categories, &l.industries, &l.regions, &l.languages, &l.certifications})
        for (const QString &v : *list)
            if (v.trimmed().isEmpty() || v.size() > 80)
                problems << Tr::tr("List entries must be 1 to 80 characters long.");
    problems.removeDuplicates();
    return problems;
}

namespace {
QString inlineHtml(const QString &text)
{
    QString s = text.toHtmlEscaped();
    static const QRegularExpression link(QStringLiteral(R"re(\[([^\]]+)\]\((https?://[^\s)"]+)\))re"));
    static const QRegularExpression code(QStringLiteral("`([^`]+)`"));
    static const QRegularExpression bold(QStringLiteral(R"(\*\*([^*]+)\*\*)"));
    static const QRegularExpression italic(QStringLiteral(R"(\*([^*]+)\*)"));
    s.replace(link, QStringLiteral("<a href=\"\\2\">\\1</a>"));
    s.replace(code, QStringLiteral("<code>\\1</code>"));
    s.replace(bold, QStringLiteral("<b>\\1</b>"));
    s.replace(italic, QStringLiteral("<i>\\1</i>"));
    return s;
}

bool isBullet(const QString &line)
{
    return line.startsWith(QLatin1String("- ")) || line.startsWith(QLatin1String("* "));
}
} // namespace

listing::LogoFormat listing::logoFormat(const QByteArray &bytes)
{
    if (bytes.startsWith("\x89PNG\r\n\x1a\n"))
        return LogoFormat::Png;
    if (bytes.startsWith("\xff\xd8\xff"))
        return LogoFormat::Jpeg;
    const QByteArray head = bytes.left(256).trimmed();
    if (head.startsWith("<svg") || head.startsWith("<?xml"))
        return LogoFormat::Svg;
    return LogoFormat::None;
}

QString listing::descriptionToHtml(const QString &markdown)
{
    QString out;
    bool inList = false;
    QStringList paragraph;
    auto flushParagraph = [&] {
        if (!paragraph.isEmpty())
            out += QStringLiteral("<p>") + inlineHtml(paragraph.join(QLatin1Char(' '))) + QStringLiteral("</p>");
        paragraph.clear();
    };
    for (const QString &raw : markdown.split(QLatin1Char('\n'))) {
        const QString line = raw.trimmed();
        if (isBullet(line)) {
            flushParagraph();
            if (!inList)
                out += QStringLiteral("<ul>");
            inList = true;
            out += QStringLiteral("<li>") + inlineHtml(line.mid(2).trimmed()) + QStringLiteral("</li>");
            continue;
        }
        if (inList) {
            out += QStringLiteral("</ul>");
            inList = false;
        }
        if (line.isEmpty())
            flushParagraph();
        else
            paragraph << line;
    }
    flushParagraph();
    if (inList)
        out += QStringLiteral("</ul>");
    return out;
}

QString listing::descriptionToPlainText(const QString &markdown)
{
    QString s = markdown;
    static const QRegularExpression link(QStringLiteral(R"re(\[([^\]]+)\]\((https?://[^\s)"]+)\))re"));
    s.replace(link, QStringLiteral("\\1"));
    s.remove(QStringLiteral("**"));
    s.remove(QLatin1Char('`'));
    static const QRegularExpression bullet(QStringLiteral(R"((^|\n)\s*[-*] )"));
    s.replace(bullet, QStringLiteral("\\1"));
    return s.simplified();
}

} // namespace ecotone
