#include "AccountImport.h"

#include "mapping/CrmAccounts.h"
#include "mapping/ImportProblems.h"
#include "store/Repositories.h"
#include "store/Workspace.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QHash>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace ecotone {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::AccountImport)
};

} // namespace

Result<AccountImportReport> importAccounts(Workspace &workspace, const QString &ownerId, const QString &path,
                                           const AccountImportOptions &options)
{
    OrganizationRepository orgs(workspace);
    if (auto owner = orgs.find(ownerId); !owner)
        return Error{owner.error()};

    const QString name = QFileInfo(path).fileName();
    AccountRepository accounts(workspace);
    auto existing = accounts.forOwner(ownerId);
    if (!existing)
        return Error{existing.error()};
    QHash<QString, Account> byExternalId;
    for (const Account &a : existing.value())
        if (!a.externalId.isEmpty())
            byExternalId.insert(a.externalId, a);

    // Reading and normalizing run on a second thread and hand over batches, so parsing overlaps the writes.
    // The writes happen inside one transaction; any problem found later in the file rolls all of them back.
    struct Batches
    {
        std::mutex mutex;
        std::condition_variable changed;
        std::deque<QList<CrmAccount>> queue;
        bool done = false;
    } batches;
    constexpr qsizetype kBatch = 8192;
    constexpr size_t kQueued = 8; // bounds memory: the reader waits when the writer falls behind
    auto hand = [&batches](QList<CrmAccount> &&batch) {
        std::unique_lock lock(batches.mutex);
        batches.changed.wait(lock, [&] { return batches.queue.size() < kQueued; });
        batches.queue.push_back(std::move(batch));
        batches.changed.notify_all();
    };
    Result<CrmAccountFile> file = Error{QString()};
    std::atomic_bool cancelled = false;
    std::thread reader([&] {
        CrmReadOptions readOptions;
        readOptions.idColumn = options.idColumn;
        readOptions.columns = options.columns;
        readOptions.matchingKeys = false;
        if (options.progress) {
            readOptions.progress = [&](qint64 done, qint64 total) {
                if (options.progress(done, total))
                    return true;
                cancelled = true;
                return false;
            };
        }
        QList<CrmAccount> batch;
        batch.reserve(kBatch);
        readOptions.sink = [&](CrmAccount &&a) {
            batch.append(std::move(a));
            if (batch.size() == kBatch) {
                hand(std::move(batch));
                batch = {};
                batch.reserve(kBatch);
            }
        };
        file = crmaccounts::read(path, readOptions);
        if (!batch.isEmpty())
            hand(std::move(batch));
        std::lock_guard lock(batches.mutex);
        batches.done = true;
        batches.changed.notify_all();
    });

    AccountImportReport report;
    QStringList problems;
    QString writeError;
    // A CRM id names one record: twice in one file is a mistake the user must see, not a silent overwrite.
    QHash<QString, qint64> firstLine;
    qint64 rows = 0;
    Status began = workspace.begin();
    for (;;) {
        QList<CrmAccount> batch;
        {
            std::unique_lock lock(batches.mutex);
            batches.changed.wait(lock, [&] { return !batches.queue.empty() || batches.done; });
            if (batches.queue.empty())
                break;
            batch = std::move(batches.queue.front());
            batches.queue.pop_front();
            batches.changed.notify_all();
        }
        rows += batch.size();
        for (const CrmAccount &row : std::as_const(batch)) {
            if (!row.crmId.isEmpty()) {
                auto it = firstLine.constFind(row.crmId);
                if (it != firstLine.cend()) {
                    problems << QStringLiteral("%1:%2: id: %3")
                                    .arg(name)
                                    .arg(row.sourceLine)
                                    .arg(Tr::tr("\"%1\" is also on line %2").arg(row.crmId).arg(it.value()));
                    continue;
                }
                firstLine.insert(row.crmId, row.sourceLine);
            }
            if (!began || !problems.isEmpty() || !writeError.isEmpty() || cancelled)
                continue; // keep reading to report every problem; nothing more is written
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
                writeError = Tr::tr("%1:%2: %3 Nothing was changed.").arg(name).arg(row.sourceLine).arg(s.error());
        }
    }
    reader.join();
    auto fail = [&](const QString &message) -> Result<AccountImportReport> {
        if (began)
            workspace.rollback();
        return Error{message};
    };
    if (!began)
        return Error{began.error()};
    if (cancelled)
        return fail(Tr::tr("Import cancelled: nothing was changed."));
    if (!file)
        return fail(file.error());
    problems = file->problems + problems;
    if (!problems.isEmpty())
        return fail(importRefusal(name, problems));
    if (!writeError.isEmpty())
        return fail(writeError);
    if (rows == 0)
        return fail(Tr::tr("%1 has a header but no account rows; nothing was imported.").arg(name));
    if (Status s = workspace.commit(); !s)
        return Error{s.error()};
    return report;
}

} // namespace ecotone
