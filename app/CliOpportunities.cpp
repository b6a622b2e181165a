// "ecotone opportunities import" and "ecotone opportunities list": CRM opportunities (deals) of one organization.
#include "CliSupport.h"

#include "mapping/CrmOpportunities.h"
#include "mapping/OpportunityImport.h"
#include "store/OpportunityRepository.h"
#include "store/Repositories.h"
#include "store/Workspace.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

namespace ecotone::cli {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::cli::Opportunities)
};

QCommandLineOption organizationOption()
{
    return QCommandLineOption(QStringLiteral("organization"), Tr::tr("Whose CRM it is: name or id."),
                              QStringLiteral("ORG"));
}

QCommandLineOption formatOption(const QString &help, const QString &fallback)
{
    return QCommandLineOption(QStringLiteral("format"), help, QStringLiteral("F"), fallback);
}

QString compactJson(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

int opportunitiesImport(const QStringList &arguments)
{
    QCommandLineParser parser;
    QString error;
    const QCommandLineOption workspace = workspaceOption();
    const QCommandLineOption organization = organizationOption();
    const QCommandLineOption source(QStringLiteral("source"), Tr::tr("salesforce, hubspot or csv."),
                                    QStringLiteral("S"));
    const QCommandLineOption currency(QStringLiteral("currency"),
                                      Tr::tr("ISO 4217 code for amounts whose row names no currency."),
                                      QStringLiteral("ISO"));
    const QCommandLineOption column(QStringLiteral("column"),
                                    Tr::tr("FIELD=HEADER: read a field from a column detection does not find "
                                           "(repeatable; fields: %1).")
                                        .arg(crmopportunities::fieldKeys().join(QStringLiteral(", "))),
                                    QStringLiteral("FIELD=HEADER"));
    const QCommandLineOption format = formatOption(Tr::tr("Output format: text or json."), QStringLiteral("text"));
    if (!parse(parser, arguments, {workspace, organization, source, currency, column, format}, &error))
        return failure(error, 2);
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1)
        return failure(Tr::tr("opportunities import takes one FILE argument."), 2);
    if (parser.value(organization).isEmpty())
        return failure(Tr::tr("--organization is required: the partner (or the vendor) whose CRM this is."), 2);
    const QString src = parser.value(source).toLower();
    if (!src.isEmpty() && src != QLatin1String("salesforce") && src != QLatin1String("hubspot") &&
        src != QLatin1String("csv"))
        return failure(Tr::tr("--source must be salesforce, hubspot or csv, not \"%1\".").arg(parser.value(source)), 2);
    const QString cur = parser.value(currency).trimmed().toUpper();
    if (!cur.isEmpty() && (cur.size() != 3 || !std::all_of(cur.cbegin(), cur.cend(), [](QChar c) {
                               return c >= QLatin1Char('A') && c <= QLatin1Char('Z');
                           })))
        return failure(Tr::tr("--currency takes an ISO 4217 code such as EUR, not \"%1\".").arg(parser.value(currency)),
                       2);
    QMap<QString, QString> columns;
    for (const QString &pair : parser.values(column)) {
        const qsizetype eq = pair.indexOf(QLatin1Char('='));
        if (eq <= 0 || eq == pair.size() - 1)
            return failure(Tr::tr("--column takes FIELD=HEADER, such as id=\"Deal Number\", not \"%1\".").arg(pair), 2);
        columns.insert(pair.left(eq).trimmed(), pair.mid(eq + 1));
    }
    const QString fmt = parser.value(format);
    if (fmt != QLatin1String("text") && fmt != QLatin1String("json"))
        return failure(Tr::tr("--format must be text or json, not \"%1\".").arg(fmt), 2);
    return withWorkspace(parser, [&](Workspace &ws) {
        auto org = findOrganization(ws, parser.value(organization));
        if (!org)
            return failure(org.error());
        OpportunityImportOptions options;
        options.crmSource = src;
        options.defaultCurrency = cur;
        options.columns = columns;
        auto report = importOpportunities(ws, org->id, positional.first(), options);
        if (!report)
            return failure(report.error());
        if (fmt == QLatin1String("json")) {
            out(QString::fromUtf8(
                QJsonDocument(QJsonObject{
                                  {QStringLiteral("file"), positional.first()},
                                  {QStringLiteral("organization"), org->name},
                                  {QStringLiteral("organizationId"), org->id},
                                  {QStringLiteral("inserted"), report->inserted},
                                  {QStringLiteral("updated"), report->updated},
                                  {QStringLiteral("unchanged"), report->unchanged},
                                  {QStringLiteral("linked"), report->linked},
                                  {QStringLiteral("unlinked"), report->unlinked},
                                  {QStringLiteral("dateOrder"), crmopportunities::dateOrderKey(report->dateOrder)},
                              })
                    .toJson(QJsonDocument::Indented)));
            return 0;
        }
        out(Tr::tr("Imported %1 into %2: %3 added, %4 updated, %5 unchanged; %6 linked to an account, %7 not\n")
                .arg(positional.first(), org->name)
                .arg(report->inserted)
                .arg(report->updated)
                .arg(report->unchanged)
                .arg(report->linked)
                .arg(report->unlinked));
        return 0;
    });
}

int opportunitiesList(const QStringList &arguments)
{
    QCommandLineParser parser;
    QString error;
    const QCommandLineOption workspace = workspaceOption();
    const QCommandLineOption organization = organizationOption();
    const QCommandLineOption state(QStringLiteral("state"), Tr::tr("open, won or lost."), QStringLiteral("STATE"));
    const QCommandLineOption format = formatOption(Tr::tr("Output format: json or text."), QStringLiteral("json"));
    if (!parse(parser, arguments, {workspace, organization, state, format}, &error))
        return failure(error, 2);
    if (!parser.positionalArguments().isEmpty())
        return failure(Tr::tr("opportunities list takes no FILE argument."), 2);
    const QString fmt = parser.value(format);
    if (fmt != QLatin1String("text") && fmt != QLatin1String("json"))
        return failure(Tr::tr("--format must be json or text, not \"%1\".").arg(fmt), 2);
    const QString wanted = parser.value(state).toLower();
    if (!wanted.isEmpty() && !opportunitystate::keys().contains(wanted))
        return failure(Tr::tr("--state must be open, won or lost, not \"%1\".").arg(parser.value(state)), 2);
    return withWorkspace(parser, [&](Workspace &ws) {
        QList<Organization> owners;
        if (!parser.value(organization).isEmpty()) {
            auto org = findOrganization(ws, parser.value(organization));
            if (!org)
                return failure(org.error());
            owners << org.value();
        } else {
            auto all = OrganizationRepository(ws).all();
            if (!all)
                return failure(all.error());
            owners = all.value();
        }
        OpportunityRepository repository(ws);
        const bool json = fmt == QLatin1String("json");
        qint64 count = 0;
        // Written as it is read, one opportunity a line, so a large CRM never sits in memory as one JSON tree.
        out(json ? QStringLiteral("{\"opportunities\":[")
                 : QStringLiteral("organization\tname\taccount\tstage\tstate\tamount\tcurrency\tclose_date\towner\n"));
        for (const Organization &owner : std::as_const(owners)) {
            auto list = repository.forOwner(owner.id, wanted);
            if (!list)
                return failure(list.error());
            QString chunk;
            for (const Opportunity &o : list.value()) {
                const QString amount =
                    o.amountMinor ? crmopportunities::formatMinor(*o.amountMinor, o.currency) : QString();
                if (json) {
                    QJsonObject row{{QStringLiteral("id"), o.id},
                                    {QStringLiteral("organization"), owner.name},
                                    {QStringLiteral("organizationId"), owner.id},
                                    {QStringLiteral("name"), o.name},
                                    {QStringLiteral("accountId"), o.accountId},
                                    {QStringLiteral("accountExternalId"), o.accountExternalId},
                                    {QStringLiteral("accountName"), o.accountName},
                                    {QStringLiteral("stage"), o.stage},
                                    {QStringLiteral("state"), o.state},
                                    {QStringLiteral("amount"), amount},
                                    {QStringLiteral("currency"), o.currency},
                                    {QStringLiteral("closeDate"), o.closeDate.toString(Qt::ISODate)},
                                    {QStringLiteral("owner"), o.crmOwner},
                                    {QStringLiteral("source"), o.crmSource},
                                    {QStringLiteral("externalId"), o.externalId}};
                    row.insert(QStringLiteral("amountMinor"),
                               o.amountMinor ? QJsonValue(qint64(*o.amountMinor)) : QJsonValue());
                    chunk += QLatin1String(count ? ",\n" : "\n") + compactJson(row);
                } else {
                    const QStringList cells = {owner.name, o.name, o.accountName, o.stage,
                                               o.state,    amount, o.currency,    o.closeDate.toString(Qt::ISODate),
                                               o.crmOwner};
                    QStringList clean;
                    for (const QString &c : cells)
                        clean << QString(c)
                                     .replace(QLatin1Char('\t'), QLatin1Char(' '))
                                     .replace(QLatin1Char('\n'), QLatin1Char(' '));
                    chunk += clean.join(QLatin1Char('\t')) + QLatin1Char('\n');
                }
                ++count;
                if (chunk.size() > 1 << 16) {
                    out(chunk);
                    chunk.clear();
                }
            }
            out(chunk);
        }
        if (json)
            out(QStringLiteral("\n],\"count\":%1}\n").arg(count));
        return 0;
    });
}

const CommandRegistration importCommand(
    {QStringLiteral("opportunities"), QStringLiteral("import"),
     QStringLiteral("  opportunities import --workspace W --organization ORG FILE\n"
                    "      [--source salesforce|hubspot|csv] [--currency ISO] [--column FIELD=HEADER ...]\n"
                    "      [--format text|json]\n"
                    "                          Add or update one organization's CRM opportunities (all or\n"
                    "                          nothing; a re-import updates by CRM id). --column maps a field\n"
                    "                          to a column of any CSV (fields: id, name, account_id, account_name,\n"
                    "                          stage, amount, currency, close_date, owner, is_won, is_closed,\n"
                    "                          pipeline).\n"),
     opportunitiesImport});
const CommandRegistration listCommand(
    {QStringLiteral("opportunities"), QStringLiteral("list"),
     QStringLiteral("  opportunities list --workspace W [--organization ORG] [--state open|won|lost]\n"
                    "      [--format json|text]\n"
                    "                          Print CRM opportunities with stage, state, amount and close date.\n"),
     opportunitiesList});
} // namespace

} // namespace ecotone::cli
