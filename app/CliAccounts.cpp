// "ecotone accounts import": one organization's CRM export into a workspace.
#include "CliSupport.h"

#include "mapping/AccountImport.h"
#include "store/Repositories.h"
#include "store/Workspace.h"

#include <QCommandLineParser>
#include <QCoreApplication>

namespace ecotone::cli {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::cli::Accounts)
};

int accountsImport(const QStringList &arguments)
{
    QCommandLineParser parser;
    QString error;
    const QCommandLineOption workspace = workspaceOption();
    const QCommandLineOption organization(QStringLiteral("organization"),
                                          Tr::tr("Whose CRM the file comes from: name or id."), QStringLiteral("ORG"));
    const QCommandLineOption idColumn(QStringLiteral("id-column"), Tr::tr("Header of the CRM id column."),
                                      QStringLiteral("NAME"));
    const QCommandLineOption source(QStringLiteral("source"), Tr::tr("salesforce, hubspot or csv."),
                                    QStringLiteral("S"));
    if (!parse(parser, arguments, {workspace, organization, idColumn, source}, &error))
        return failure(error, 2);
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1)
        return failure(Tr::tr("accounts import takes one FILE argument."), 2);
    if (parser.value(organization).isEmpty())
        return failure(Tr::tr("--organization is required: the partner (or the vendor) whose CRM this is."), 2);
    const QString src = parser.value(source).toLower();
    if (!src.isEmpty() && src != QLatin1String("salesforce") && src != QLatin1String("hubspot") &&
        src != QLatin1String("csv"))
        return failure(Tr::tr("--source must be salesforce, hubspot or csv, not \"%1\".").arg(parser.value(source)), 2);
    return withWorkspace(parser, [&](Workspace &ws) {
        auto org = findOrganization(ws, parser.value(organization));
        if (!org)
            return failure(org.error());
        AccountImportOptions options;
        options.idColumn = parser.value(idColumn);
        options.crmSource = src;
        auto report = importAccounts(ws, org->id, positional.first(), options);
        if (!report)
            return failure(report.error());
        out(Tr::tr("Imported %1 into %2: %3 added, %4 updated, %5 unchanged\n")
                .arg(positional.first(), org->name)
                .arg(report->inserted)
                .arg(report->updated)
                .arg(report->unchanged));
        return 0;
    });
}

const CommandRegistration importCommand(
    {QStringLiteral("accounts"), QStringLiteral("import"),
     QStringLiteral("  accounts import --workspace W --organization ORG FILE [--id-column NAME]\n"
                    "      [--source salesforce|hubspot|csv]\n"
                    "                          Add or update one organization's CRM accounts (all or nothing;\n"
                    "                          a re-import updates by CRM id).\n"),
     accountsImport});
} // namespace

} // namespace ecotone::cli
