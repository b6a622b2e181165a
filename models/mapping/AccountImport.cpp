#include "AccountImport.h"

#include "mapping/CrmAccounts.h"
#include "mapping/ImportProblems.h"
#include "store/Repositories.h"
#include "store/Workspace.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QHash>
#include <QScopeGuard>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <thread>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#endif

namespace ecotone {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::AccountImport)
};

double threadCpuSeconds()
{
#ifdef Q_OS_LINUX
    rusage usage{};
    getrusage(RUSAGE_THREAD, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
#else
    return 0;
#endif
}
} // namespace

Result<AccountImportReport> importAccounts(Workspace &workspace, const QString &ownerId, const QString &path,
                                           const AccountImportOptions &options)
{
    // ECOTONE_TIMING=1 prints the phases to stderr (docs/BENCHMARKS.md).
    const bool timing = qEnvironmentVariableIsSet("ECOTONE_TIMING");
    QElapsedTimer clock;
    clock.start();
    qint64 waited = 0;
    auto phase = [&](const char *what) {
        if (timing)
            std::fprintf(stderr, "import %s: %.2f s (thread CPU %.2f s)\n", what, double(clock.nsecsElapsed()) / 1e9,
                         threadCpuSeconds());
    };
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

    phase("existing accounts read");
    // Reading, normalizing and building each row with its journal entry run on a second thread, which hands the
    // writer batches of rows ready to bind: the writer (SQLite) is the bound, so it does nothing else. The writes
    // happen inside one transaction; any problem found later in the file rolls all of them back.
    struct Row
    {
        Account account;
        AccountRepository::PreparedInsert insert; // empty for an update
        qint64 line = 0;
    };
    struct Batches
    {
        std::mutex mutex;
        std::condition_variable changed;
        std::deque<QList<Row>> queue;
        // Written batches go back to the reader to be freed there: freeing memory another thread allocated costs
        // glibc a lock on that thread's arena per block, and showed as a tenth of the writer's time.
        std::deque<QList<Row>> spent;
        bool done = false;
    } batches;
    constexpr qsizetype kBatch = 8192;
    constexpr size_t kQueued = 8; // bounds memory: the reader waits when the writer falls behind
    auto hand = [&batches](QList<Row> &&batch) {
        std::deque<QList<Row>> spent;
        std::unique_lock lock(batches.mutex);
        batches.changed.wait(lock, [&] { return batches.queue.size() < kQueued; });
        batches.queue.push_back(std::move(batch));
        spent.swap(batches.spent);
        batches.changed.notify_all();
        lock.unlock();
    };
    const AccountRepository &prepare = accounts; // the reader thread uses only its const part
    Result<CrmAccountFile> file = Error{QString()};
    std::atomic_bool cancelled = false;
    std::atomic_bool refused = false; // a problem was found: the writer stops writing
    QStringList problems;             // the reader's, after file->problems
    AccountImportReport report;
    qint64 rows = 0;
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
        // A CRM id names one record: twice in one file is a mistake the user must see, not a silent overwrite.
        QHash<QString, qint64> firstLine;
        QList<Row> batch;
        batch.reserve(kBatch);
        readOptions.sink = [&](CrmAccount &&row) {
            ++rows;
            if (!row.crmId.isEmpty()) {
                auto it = firstLine.constFind(row.crmId);
                if (it != firstLine.cend()) {
                    problems << QStringLiteral("%1:%2: id: %3")
                                    .arg(name)
                                    .arg(row.sourceLine)
                                    .arg(Tr::tr("\"%1\" is also on line %2").arg(row.crmId).arg(it.value()));
                    refused = true;
                    return;
                }
                firstLine.insert(row.crmId, row.sourceLine);
            }
            if (refused)
                return; // keep reading to report every problem; nothing more is written
            Row r;
            r.line = row.sourceLine;
            Account &a = r.account;
            const auto known = row.crmId.isEmpty() ? byExternalId.cend() : byExternalId.constFind(row.crmId);
            if (known != byExternalId.cend())
                a = known.value();
            a.ownerId = ownerId;
            a.name = std::move(row.name);
            a.website = std::move(row.website);
            a.domain = std::move(row.registrableDomain);
            a.country = std::move(row.country);
            // Rows that are neither customer nor opportunity (prospects, partners, "other") count as prospects.
            a.status = accountstatus::fromKey(row.status).value_or(AccountStatus::Prospect);
            if (!options.crmSource.isEmpty())
                a.crmSource = options.crmSource;
            else if (a.crmSource.isEmpty())
                a.crmSource = QStringLiteral("csv");
            a.externalId = std::move(row.crmId);
            if (known != byExternalId.cend()) {
                if (a == known.value()) {
                    ++report.unchanged;
                    return;
                }
            } else if (const QStringList invalid = prepare.prepareInsert(a, r.insert); !invalid.isEmpty()) {
                problems << QStringLiteral("%1:%2: %3").arg(name).arg(r.line).arg(invalid.join(QLatin1Char(' ')));
                refused = true;
                return;
            }
            batch.append(std::move(r));
            if (batch.size() == kBatch) {
                hand(std::move(batch));
                batch = {};
                batch.reserve(kBatch);
            }
        };
        file = crmaccounts::read(path, readOptions);
        if (timing)
            std::fprintf(stderr, "import reader thread CPU: %.2f s\n", threadCpuSeconds());
        if (!batch.isEmpty())
            hand(std::move(batch));
        std::lock_guard lock(batches.mutex);
        batches.done = true;
        batches.changed.notify_all();
    });

    QString writeError;
    // SQLite would look the owner up again for each row (accounts.owner_id REFERENCES organizations). Inside our
    // transaction the owner is checked once instead, which nothing can undo before the commit. foreign_keys only
    // changes outside a transaction, and is restored however this returns.
    const bool foreignKeysOff =
        workspace.transactionDepth() == 0 && workspace.exec(QStringLiteral("PRAGMA foreign_keys=OFF")).ok();
    auto restoreForeignKeys = qScopeGuard([&] {
        if (foreignKeysOff)
            (void)workspace.exec(QStringLiteral("PRAGMA foreign_keys=ON"));
    });
    Status began = workspace.begin();
    if (began) {
        if (auto owner = orgs.find(ownerId); !owner)
            writeError = owner.error();
    }
    for (;;) {
        QList<Row> batch;
        {
            std::unique_lock lock(batches.mutex);
            QElapsedTimer wait;
            wait.start();
            batches.changed.wait(lock, [&] { return !batches.queue.empty() || batches.done; });
            waited += wait.nsecsElapsed();
            if (batches.queue.empty())
                break;
            batch = std::move(batches.queue.front());
            batches.queue.pop_front();
            batches.changed.notify_all();
        }
        if (!began || refused || cancelled || !writeError.isEmpty())
            continue; // the import fails; drain the queue so the reader can finish
        auto recycle = qScopeGuard([&] {
            std::lock_guard lock(batches.mutex);
            batches.spent.push_back(std::move(batch));
        });
        for (Row &row : batch) {
            Status s;
            if (row.insert.values.isEmpty()) {
                s = accounts.update(row.account);
                ++report.updated;
            } else {
                s = accounts.insertPrepared(row.account, row.insert);
                ++report.inserted;
            }
            if (!s) {
                writeError = Tr::tr("%1:%2: %3 Nothing was changed.").arg(name).arg(row.line).arg(s.error());
                break;
            }
        }
    }
    reader.join();
    phase("rows written");
    if (timing)
        std::fprintf(stderr, "import writer waited for the reader: %.2f s\n", double(waited) / 1e9);
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
    phase("committed");
    return report;
}

} // namespace ecotone
