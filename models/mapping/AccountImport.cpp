#include "AccountImport.h"

#include "mapping/CrmAccounts.h"
#include "store/Repositories.h"
#include "store/Workspace.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QHash>

namespace ecotone {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::AccountImport)
};

constexpr int kShownProblems = 50;

QString problemList(const QString &file, const QStringList &problems)
{
    QString msg = Tr::tr("%1 was not imported; nothing was changed. %2 problem(s):").arg(file).arg(problems.size());
    msg += QLatin1Char('\n') + problems.mid(0, kShownProblems).join(QLatin1Char('\n'));
    if (problems.size() > kShownProblems)
        msg += QLatin1Char('\n') + Tr::tr("… and %1 more.").arg(problems.size() - kShownProblems);
    return msg;
}
} // namespace

Result<AccountImportReport> importAccounts(Workspace &workspace, const QString &ownerId, const QString &path,
                                           const AccountImportOptions &options)
{
    OrganizationRepository orgs(workspace);
    if (auto owner = orgs.find(ownerId); !owner)
        return Error{owner.error()};

    CrmReadOptions readOptions;
    readOptions.idColumn = options.idColumn;
    readOptions.matchingKeys = false;
    auto file = crmaccounts::read(path, readOptions);
    if (!file)
        return Error{file.error()};
    const QString name = QFileInfo(path).fileName();
    QStringList problems = file->problems;

    // A CRM id names one record: twice in one file is a mistake the user must see, not a silent overwrite.
    QHash<QString, qint64> firstLine;
    for (const CrmAccount &a : file->accounts) {
        if (a.crmId.isEmpty())
            continue;
        auto it = firstLine.constFind(a.crmId);
        if (it != firstLine.cend())
            problems << QStringLiteral("%1:%2: id: %3")
                            .arg(name)
                            .arg(a.sourceLine)
                            .arg(Tr::tr("\"%1\" is also on line %2").arg(a.crmId).arg(it.value()));
        else
            firstLine.insert(a.crmId, a.sourceLine);
    }
    if (!problems.isEmpty())
        return Error{problemList(name, problems)};

    AccountRepository accounts(workspace);
    auto existing = accounts.forOwner(ownerId);
    if (!existing)
        return Error{existing.error()};
    QHash<QString, Account> byExternalId;
    for (const Account &a : existing.value())
        if (!a.externalId.isEmpty())
            byExternalId.insert(a.externalId, a);

    AccountImportReport report;
    Transaction tx(workspace);
    if (!tx.status())
        return Error{tx.status().error()};
    for (const CrmAccount &row : file->accounts) {
        Account a;
        auto known = row.crmId.isEmpty() ? byExternalId.end() : byExternalId.find(row.crmId);
        if (known != byExternalId.end())
            a = known.value();
        a.ownerId = ownerId;
        a.name = row.name;
        a.website = row.website;
        a.domain = row.registrableDomain;
        a.country = row.country;
        // Rows that are neither customer nor opportunity (prospects, partners, "other") count as prospects.
        a.status = accountstatus::fromKey(row.status).value_or(AccountStatus::Prospect);
        if (!options.crmSource.isEmpty())
            a.crmSource = options.crmSource;
        else if (a.crmSource.isEmpty())
            a.crmSource = QStringLiteral("csv");
        a.externalId = row.crmId;
        Status s;
        if (known == byExternalId.end()) {
            s = accounts.insert(a);
            ++report.inserted;
        } else if (a == known.value()) {
            ++report.unchanged;
            continue;
        } else {
            s = accounts.update(a);
            ++report.updated;
        }
        if (!s)
            return Error{Tr::tr("%1:%2: %3 Nothing was changed.").arg(name).arg(row.sourceLine).arg(s.error())};
    }
    if (Status s = tx.commit(); !s)
        return Error{s.error()};
    return report;
}

} // namespace ecotone
