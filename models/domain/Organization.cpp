#include "Organization.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace ecotone {

namespace {
// lupdate reads Q_DECLARE_TR_FUNCTIONS, so the context it records is the one used at run time.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::Organization)
};

struct TypeInfo
{
    PartnerType type;
    const char *key;
    const char *name;
};

// QT_TRANSLATE_NOOP so lupdate sees the names; translated at display time.
const TypeInfo kTypes[] = {
    {PartnerType::Reseller, "reseller", QT_TRANSLATE_NOOP("ecotone::Organization", "Reseller")},
    {PartnerType::Technology, "technology", QT_TRANSLATE_NOOP("ecotone::Organization", "Technology partner")},
    {PartnerType::Hyperscaler, "hyperscaler", QT_TRANSLATE_NOOP("ecotone::Organization", "Cloud hyperscaler")},
    {PartnerType::SystemsIntegrator, "systems_integrator",
     QT_TRANSLATE_NOOP("ecotone::Organization", "Systems integrator")},
    {PartnerType::Isv, "isv", QT_TRANSLATE_NOOP("ecotone::Organization", "ISV")},
    {PartnerType::Referral, "referral", QT_TRANSLATE_NOOP("ecotone::Organization", "Referral partner")},
};
} // namespace

QList<PartnerType> partnertype::all()
{
    QList<PartnerType> out;
    for (const auto &t : kTypes)
        out << t.type;
    return out;
}

QString partnertype::key(PartnerType type)
{
    for (const auto &t : kTypes)
        if (t.type == type)
            return QString::fromLatin1(t.key);
    return {};
}

QStringList partnertype::keys(const QList<PartnerType> &types)
{
    QStringList out;
    for (PartnerType t : types)
        out << key(t);
    return out;
}

std::optional<PartnerType> partnertype::fromKey(const QString &key)
{
    const QString k = key.trimmed();
    for (const auto &t : kTypes) {
        if (k.compare(QLatin1String(t.key), Qt::CaseInsensitive) == 0 ||
            k.compare(QLatin1String(t.name), Qt::CaseInsensitive) == 0 ||
            k.compare(Tr::tr(t.name), Qt::CaseInsensitive) == 0)
            return t.type;
    }
    // Common short forms seen in spreadsheets.
    static const QList<std::pair<QString, PartnerType>> aliases = {
        {QStringLiteral("technology partner"), PartnerType::Technology},
        {QStringLiteral("tech"), PartnerType::Technology},
        {QStringLiteral("si"), PartnerType::SystemsIntegrator},
        {QStringLiteral("systems integrator"), PartnerType::SystemsIntegrator},
        {QStringLiteral("hyperscaler"), PartnerType::Hyperscaler},
        {QStringLiteral("cloud"), PartnerType::Hyperscaler},
        {QStringLiteral("referral partner"), PartnerType::Referral},
    };
    for (const auto &[alias, type] : aliases)
        if (k.compare(alias, Qt::CaseInsensitive) == 0)
            return type;
    return std::nullopt;
}

QString partnertype::displayName(PartnerType type)
{
    for (const auto &t : kTypes)
        if (t.type == type)
            return Tr::tr(t.name);
    return {};
}

QStringList organization::tiers()
{
    return {QStringLiteral("Registered"), QStringLiteral("Silver"), QStringLiteral("Gold"), QStringLiteral("Platinum")};
}

QStringList organization::statuses()
{
    return {QStringLiteral("active"), QStringLiteral("onboarding"), QStringLiteral("inactive")};
}

QString organization::statusDisplayName(const QString &status)
{
    if (status == QLatin1String("active"))
        return Tr::tr("Active");
    if (status == QLatin1String("onboarding"))
        return Tr::tr("Onboarding");
    if (status == QLatin1String("inactive"))
        return Tr::tr("Inactive");
    return status;
}

QStringList organization::regions()
{
    return {QStringLiteral("North America"),
            QStringLiteral("Latin America"),
            QStringLiteral("UK & Ireland"),
            QStringLiteral("DACH"),
            QStringLiteral("France"),
            QStringLiteral("Benelux"),
            QStringLiteral("Nordics"),
            QStringLiteral("Southern Europe"),
            QStringLiteral("Middle East & Africa"),
            QStringLiteral("India"),
            QStringLiteral("Japan"),
            QStringLiteral("Southeast Asia"),
            QStringLiteral("ANZ")};
}

QHash<QString, QStringList> organization::regionCountries()
{
    return {
        {QStringLiteral("North America"), {QStringLiteral("US"), QStringLiteral("CA")}},
        {QStringLiteral("Latin America"), {QStringLiteral("BR"), QStringLiteral("MX")}},
        {QStringLiteral("UK & Ireland"), {QStringLiteral("GB"), QStringLiteral("IE")}},
        {QStringLiteral("DACH"), {QStringLiteral("DE"), QStringLiteral("AT"), QStringLiteral("CH")}},
        {QStringLiteral("France"), {QStringLiteral("FR")}},
        {QStringLiteral("Benelux"), {QStringLiteral("NL"), QStringLiteral("BE")}},
        {QStringLiteral("Nordics"),
         {QStringLiteral("SE"), QStringLiteral("NO"), QStringLiteral("DK"), QStringLiteral("FI")}},
        {QStringLiteral("Southern Europe"), {QStringLiteral("IT"), QStringLiteral("ES"), QStringLiteral("PT")}},
        {QStringLiteral("Middle East & Africa"), {QStringLiteral("AE"), QStringLiteral("ZA")}},
        {QStringLiteral("India"), {QStringLiteral("IN")}},
        {QStringLiteral("Japan"), {QStringLiteral("JP")}},
        {QStringLiteral("Southeast Asia"), {QStringLiteral("SG")}},
        {QStringLiteral("ANZ"), {QStringLiteral("AU"), QStringLiteral("NZ")}},
    };
}

QStringList organization::industries()
{
    return {QStringLiteral("Financial Services"),
            QStringLiteral("Healthcare"),
            QStringLiteral("Manufacturing"),
            QStringLiteral("Retail"),
            QStringLiteral("Public Sector"),
            QStringLiteral("Education"),
            QStringLiteral("Telecommunications"),
            QStringLiteral("Energy"),
            QStringLiteral("Media"),
            QStringLiteral("Transportation"),
            QStringLiteral("Software"),
            QStringLiteral("Life Sciences")};
}

QString organization::kindKey(OrganizationKind kind)
{
    return kind == OrganizationKind::Vendor ? QStringLiteral("vendor") : QStringLiteral("partner");
}

OrganizationKind organization::kindFromKey(const QString &key)
{
    return key == QLatin1String("vendor") ? OrganizationKind::Vendor : OrganizationKind::Partner;
}

QStringList organization::validate(const Organization &org)
{
    QStringList problems;
    if (org.name.trimmed().isEmpty())
        problems << Tr::tr("A name is required.");
    else if (org.name.size() > 200)
        problems << Tr::tr("The name is longer than 200 characters.");
    if (org.kind == OrganizationKind::Partner) {
        if (org.types.isEmpty())
            problems << Tr::tr("Choose at least one partner type.");
        if (!org.tier.isEmpty() && !tiers().contains(org.tier))
            problems << Tr::tr("Unknown tier \"%1\".").arg(org.tier);
    }
    if (!statuses().contains(org.status))
        problems << Tr::tr("Unknown status \"%1\".").arg(org.status);
    if (!org.website.isEmpty() && org.domain.isEmpty())
        problems << Tr::tr("The website \"%1\" is not a valid address.").arg(org.website);
    return problems;
}

QString accountstatus::key(AccountStatus status)
{
    switch (status) {
    case AccountStatus::Customer:
        return QStringLiteral("customer");
    case AccountStatus::Prospect:
        return QStringLiteral("prospect");
    case AccountStatus::Opportunity:
        return QStringLiteral("opportunity");
    }
    return {};
}

std::optional<AccountStatus> accountstatus::fromKey(const QString &key)
{
    if (key == QLatin1String("customer"))
        return AccountStatus::Customer;
    if (key == QLatin1String("prospect"))
        return AccountStatus::Prospect;
    if (key == QLatin1String("opportunity"))
        return AccountStatus::Opportunity;
    return std::nullopt;
}

QString accountstatus::displayName(AccountStatus status)
{
    switch (status) {
    case AccountStatus::Customer:
        return Tr::tr("Customer");
    case AccountStatus::Prospect:
        return Tr::tr("Prospect");
    case AccountStatus::Opportunity:
        return Tr::tr("Open opportunity");
    }
    return {};
}

} // namespace ecotone
