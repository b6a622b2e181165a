#include "Cli.h"
#include "CliSupport.h"

#include "demo/DemoEcosystem.h"
#include "mapping/Csv.h"
#include "mapping/PartnerCsv.h"
#include "store/Repositories.h"
#include "store/Workspace.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLibraryInfo>
#include <QSqlQuery>

#include <cstdio>
#include <functional>

namespace ecotone::cli {

namespace {
// lupdate reads Q_DECLARE_TR_FUNCTIONS, so the context it records is the one used at run time.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::cli)
};

QList<Command> &commandList()
{
    static QList<Command> commands;
    return commands;
}
} // namespace

CommandRegistration::CommandRegistration(Command command)
{
    commandList() << std::move(command);
}

const QList<Command> &registeredCommands()
{
    return commandList();
}

void out(const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
}

int failure(const QString &message, int exitCode)
{
    const QByteArray bytes = (QStringLiteral("ecotone: ") + message + QLatin1Char('\n')).toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
    return exitCode;
}

bool parse(QCommandLineParser &parser, const QStringList &arguments, const QList<QCommandLineOption> &options,
           QString *error)
{
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.addOptions(options);
    // QCommandLineParser takes the first element as the program name: hand it the verb in that place.
    QStringList args = arguments.mid(2);
    if (!parser.parse(args)) {
        *error = parser.errorText();
        return false;
    }
    return true;
}

QCommandLineOption workspaceOption()
{
    return QCommandLineOption(QStringLiteral("workspace"), Tr::tr("Workspace file."), QStringLiteral("W"));
}

Result<Organization> findOrganization(Workspace &workspace, const QString &nameOrId)
{
    OrganizationRepository orgs(workspace);
    auto org = orgs.find(nameOrId);
    if (!org)
        org = orgs.findByName(nameOrId);
    return org;
}

void printJson(const QJsonObject &object)
{
    out(QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Indented)));
}

int withWorkspace(const QCommandLineParser &parser, const std::function<int(Workspace &)> &body)
{
    const QString path = parser.value(QStringLiteral("workspace"));
    if (path.isEmpty())
        return failure(Tr::tr("--workspace FILE is required."), 2);
    auto ws = Workspace::open(path);
    if (!ws)
        return failure(ws.error());
    return body(*ws.value());
}

int withOrganization(const QCommandLineParser &parser, const QCommandLineOption &option,
                     const std::function<int(Workspace &, const Organization &)> &body)
{
    if (parser.value(option).isEmpty())
        return failure(Tr::tr("--%1 is required.").arg(option.names().constFirst()), 2);
    return withWorkspace(parser, [&](Workspace &ws) {
        auto org = findOrganization(ws, parser.value(option));
        if (!org)
            return failure(org.error());
        return body(ws, org.value());
    });
}

namespace {

const char *kUsage = R"(Usage: ecotone [COMMAND] [OPTIONS]

With no command, ecotone opens the desktop application.

Commands (run without a display):
  demo create FILE [--partners N] [--accounts N] [--seed S] [--rooms N] [--listings N]
                          Build a synthetic demo ecosystem in a new workspace file
                          (defaults: 250 partners, 20000 accounts, seed 1).
  partners list --workspace W [--format json|csv]
                          Print the workspace's partners.
  partners import --workspace W FILE
                          Add or update partners from a CSV file (all or nothing).
  partners export --workspace W FILE
                          Write all organizations to a CSV file.
@MORE@

Options:
  -h, --help              Show this help.
  -v, --version           Show the version.

Exit codes: 0 success, 1 the command failed, 2 wrong usage. Errors are written to stderr.
JSON and CSV formats are described in docs/cli.md.
)";

int demoCreate(const QStringList &arguments)
{
    QCommandLineParser parser;
    QString error;
    const QCommandLineOption partners(QStringLiteral("partners"), Tr::tr("Number of partners."), QStringLiteral("N"),
                                      QStringLiteral("250"));
    const QCommandLineOption accounts(QStringLiteral("accounts"), Tr::tr("Number of accounts."), QStringLiteral("N"),
                                      QStringLiteral("20000"));
    const QCommandLineOption seed(QStringLiteral("seed"), Tr::tr("Random seed."), QStringLiteral("S"),
                                  QStringLiteral("1"));
    const QCommandLineOption rooms(QStringLiteral("rooms"), Tr::tr("Number of co-sell deal rooms."),
                                   QStringLiteral("N"), QStringLiteral("1000"));
    const QCommandLineOption listings(QStringLiteral("listings"),
                                      Tr::tr("Most marketplace listings per partner (1 to N each; 0: none)."),
                                      QStringLiteral("N"), QStringLiteral("6"));
    if (!parse(parser, arguments, {partners, accounts, seed, rooms, listings}, &error))
        return failure(error, 2);
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1)
        return failure(Tr::tr("demo create takes one FILE argument."), 2);
    bool ok1 = false, ok2 = false, ok3 = false, ok4 = false, ok5 = false;
    DemoOptions options;
    options.partners = parser.value(partners).toInt(&ok1);
    options.accounts = parser.value(accounts).toLongLong(&ok2);
    options.seed = parser.value(seed).toULongLong(&ok3);
    options.dealRooms = parser.value(rooms).toInt(&ok4);
    options.listingsPerPartnerMax = parser.value(listings).toInt(&ok5);
    options.listingsPerPartnerMin = std::min(1, options.listingsPerPartnerMax);
    if (!ok1 || !ok2 || !ok3 || !ok4 || !ok5 || options.dealRooms < 0 || options.listingsPerPartnerMax < 0)
        return failure(Tr::tr("--partners, --accounts, --seed, --rooms and --listings take whole numbers."), 2);
    QElapsedTimer timer;
    timer.start();
    auto result = createDemoWorkspace(positional.first(), options);
    if (!result)
        return failure(result.error());
    out(Tr::tr("Created %1: %2 partners, %3 people, %4 accounts (%5 distinct companies), %6 opportunities, %7 deal "
               "rooms, %8 listings in %9 s\n")
            .arg(positional.first())
            .arg(result->partners)
            .arg(result->people)
            .arg(result->accounts)
            .arg(result->companies)
            .arg(result->opportunities)
            .arg(result->dealRooms)
            .arg(result->listings)
            .arg(double(timer.elapsed()) / 1000.0, 0, 'f', 1));
    return 0;
}

QJsonArray toJsonArray(const QStringList &list)
{
    QJsonArray a;
    for (const QString &s : list)
        a.append(s);
    return a;
}

int listPartners(Workspace &ws, bool csv)
{
    OrganizationRepository repo(ws);
    auto orgs = repo.all();
    if (!orgs)
        return failure(orgs.error());

    // People and account counts per organization in two grouped queries rather than one per partner.
    QHash<QString, qint64> people, accounts;
    QSqlQuery q(ws.db());
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT organization_id, COUNT(*) FROM people GROUP BY organization_id")))
        return failure(sqlError(q, Tr::tr("Counting people")).message);
    while (q.next())
        people.insert(q.value(0).toString(), q.value(1).toLongLong());
    if (!q.exec(QStringLiteral("SELECT owner_id, COUNT(*) FROM accounts GROUP BY owner_id")))
        return failure(sqlError(q, Tr::tr("Counting accounts")).message);
    while (q.next())
        accounts.insert(q.value(0).toString(), q.value(1).toLongLong());

    if (csv) {
        QFile stdoutFile;
        if (!stdoutFile.open(stdout, QIODevice::WriteOnly))
            return failure(Tr::tr("Cannot write to standard output."));
        CsvWriter writer(&stdoutFile);
        writer.writeRow(partnercsv::header() + QStringList{QStringLiteral("people"), QStringLiteral("accounts")});
        for (const Organization &o : orgs.value()) {
            if (o.kind == OrganizationKind::Partner)
                writer.writeRow(partnercsv::row(o)
                                << QString::number(people.value(o.id)) << QString::number(accounts.value(o.id)));
        }
        return 0;
    }

    QJsonArray list;
    for (const Organization &o : orgs.value()) {
        if (o.kind != OrganizationKind::Partner)
            continue;
        list.append(QJsonObject{
            {QStringLiteral("id"), o.id},
            {QStringLiteral("name"), o.name},
            {QStringLiteral("types"), toJsonArray(partnertype::keys(o.types))},
            {QStringLiteral("tier"), o.tier},
            {QStringLiteral("regions"), toJsonArray(o.regions)},
            {QStringLiteral("industries"), toJsonArray(o.industries)},
            {QStringLiteral("capabilities"), toJsonArray(o.capabilities)},
            {QStringLiteral("website"), o.website},
            {QStringLiteral("domain"), o.domain},
            {QStringLiteral("description"), o.description},
            {QStringLiteral("status"), o.status},
            {QStringLiteral("joinDate"),
             o.joinDate.isValid() ? QJsonValue(o.joinDate.toString(Qt::ISODate)) : QJsonValue()},
            {QStringLiteral("people"), people.value(o.id)},
            {QStringLiteral("accounts"), accounts.value(o.id)},
        });
    }
    const QJsonObject root{{QStringLiteral("workspace"), ws.path()},
                           {QStringLiteral("count"), list.size()},
                           {QStringLiteral("partners"), list}};
    out(QString::fromUtf8(QJsonDocument(root).toJson(QJsonDocument::Indented)));
    return 0;
}

int partnersList(const QStringList &arguments)
{
    QCommandLineParser parser;
    QString error;
    const QCommandLineOption workspace = workspaceOption();
    const QCommandLineOption format(QStringLiteral("format"), Tr::tr("json or csv."), QStringLiteral("F"),
                                    QStringLiteral("json"));
    if (!parse(parser, arguments, {workspace, format}, &error))
        return failure(error, 2);
    const QString fmt = parser.value(format);
    if (fmt != QLatin1String("json") && fmt != QLatin1String("csv"))
        return failure(Tr::tr("--format must be json or csv, not \"%1\".").arg(fmt), 2);
    return withWorkspace(parser, [&](Workspace &ws) { return listPartners(ws, fmt == QLatin1String("csv")); });
}

int importPartners(Workspace &ws, const QString &file);
int exportPartners(Workspace &ws, const QString &file);

int partnersImportExport(const QStringList &arguments, bool import)
{
    QCommandLineParser parser;
    QString error;
    const QCommandLineOption workspace = workspaceOption();
    if (!parse(parser, arguments, {workspace}, &error))
        return failure(error, 2);
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1)
        return failure(Tr::tr("partners %1 takes one FILE argument.")
                           .arg(import ? QStringLiteral("import") : QStringLiteral("export")),
                       2);
    return withWorkspace(parser, [&](Workspace &ws) {
        return import ? importPartners(ws, positional.first()) : exportPartners(ws, positional.first());
    });
}

int importPartners(Workspace &ws, const QString &file)
{
    auto report = partnercsv::importFrom(ws, file);
    if (!report)
        return failure(report.error());
    out(Tr::tr("Imported %1: %2 added, %3 updated, %4 unchanged\n")
            .arg(file)
            .arg(report->inserted)
            .arg(report->updated)
            .arg(report->unchanged));
    return 0;
}

int exportPartners(Workspace &ws, const QString &file)
{
    auto rows = partnercsv::exportTo(ws, file);
    if (!rows)
        return failure(rows.error());
    out(Tr::tr("Exported %1 organizations to %2\n").arg(rows.value()).arg(file));
    return 0;
}
} // namespace

bool isHeadless(const QStringList &arguments)
{
    if (arguments.size() < 2)
        return false;
    const QString first = arguments.at(1);
    QStringList commands = {QStringLiteral("demo"), QStringLiteral("partners"), QStringLiteral("help")};
    for (const Command &c : registeredCommands())
        commands << c.group;
    if (!first.startsWith(QLatin1Char('-')) && !commands.contains(first) && QFile::exists(first))
        return false; // "ecotone FILE" opens that workspace in the app (desktop file associations)
    return !first.startsWith(QLatin1Char('-')) || first == QLatin1String("--help") || first == QLatin1String("-h") ||
           first == QLatin1String("--version") || first == QLatin1String("-v");
}

int run(const QStringList &arguments)
{
    const QString command = arguments.value(1);
    const QString verb = arguments.value(2);
    if (command == QLatin1String("--help") || command == QLatin1String("-h") || command == QLatin1String("help")) {
        QString more;
        for (const Command &c : registeredCommands())
            more += c.usage;
        out(QString::fromUtf8(kUsage).replace(QStringLiteral("@MORE@\n"), more));
        return 0;
    }
    if (command == QLatin1String("--version") || command == QLatin1String("-v")) {
        out(QStringLiteral("ecotone %1 (Qt %2)\n")
                .arg(QStringLiteral(ECOTONE_VERSION), QString::fromLatin1(qVersion())));
        return 0;
    }
    if (command == QLatin1String("demo") && verb == QLatin1String("create"))
        return demoCreate(arguments);
    if (command == QLatin1String("partners") && verb == QLatin1String("list"))
        return partnersList(arguments);
    if (command == QLatin1String("partners") && (verb == QLatin1String("import") || verb == QLatin1String("export")))
        return partnersImportExport(arguments, verb == QLatin1String("import"));
    for (const Command &c : registeredCommands())
        if (c.group == command && !c.verb.isEmpty() && c.verb == verb)
            return c.run(arguments);
    for (const Command &c : registeredCommands()) {
        if (c.group == command && c.verb.isEmpty()) {
            // parse() drops "ecotone GROUP" and hands the next word to QCommandLineParser as a program name:
            // give it an empty one so the first option is not lost.
            QStringList withVerb = arguments;
            withVerb.insert(2, QString());
            return c.run(withVerb);
        }
    }
    return failure(Tr::tr("Unknown command \"%1\". Run ecotone --help for the list.")
                       .arg(QString(command + QLatin1Char(' ') + verb).trimmed()),
                   2);
}

} // namespace ecotone::cli
