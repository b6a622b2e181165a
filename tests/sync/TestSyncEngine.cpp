// The client sync engine on real workspace files against an in-process server (docs/sync.md): round trips,
// per-field merge, conflicts and their resolutions, tombstones, purges, clocks, atomic pages, stale answers.
#include "SyncTestSupport.h"
#include "TestSupport.h"
#ifdef ECOTONE_SYNC_WITH_SERVER
#include "ServiceServer.h"
#endif

#include "store/Workspace.h"
#include "sync/SyncEngine.h"
#include "sync/SyncState.h"

#include <QFile>
#include <QJsonDocument>
#include <QTest>

using namespace ecotone;
using namespace ecotone::test;
using namespace ecotone::sync;

namespace {
const QString kVendor = QStringLiteral("00000000-0000-7000-8000-000000000001");

struct Replica
{
    std::unique_ptr<Workspace> ws;
    std::unique_ptr<TableWriter> accounts;
    std::unique_ptr<TableWriter> orgs;

    QString insertAccount(const QString &name)
    {
        const QString id = ws->ids().next();
        const Status s =
            accounts->insert(id, {kVendor, name, QString(), QString(), QStringLiteral("DE"), QStringLiteral("Software"),
                                  QStringLiteral("customer"), QString(), QString()});
        return s ? id : QString();
    }
    bool setField(const QString &id, int column, const QString &value)
    {
        const QStringList before = rowValues(*ws, *accounts, id);
        if (before.isEmpty())
            return false;
        QStringList after = before;
        after[column] = value;
        return accounts->update(id, before, after).ok();
    }
    QString field(const QString &id, const QString &column)
    {
        return scalar(*ws, QStringLiteral("SELECT %1 FROM accounts WHERE id = '%2'").arg(column, id)).toString();
    }
};

constexpr int kName = 1;
constexpr int kIndustry = 5;

// The server the tests sync through: the reference MemoryServer, or (global data row "service") the real server's
// SyncService over a SQLite file.
struct TestServer
{
    explicit TestServer(const TempDir &dir)
    {
        QFETCH_GLOBAL(bool, useService);
#ifdef ECOTONE_SYNC_WITH_SERVER
        if (useService) {
            service = ServiceServer::create(dir.file(QStringLiteral("server.sqlite")), kVendor);
            broken = !service;
        }
#else
        Q_UNUSED(dir);
        Q_UNUSED(useService);
#endif
    }
    DirectTransport::Handler handler()
    {
        if (broken) // the server could not be set up: every request fails, and so does the test
            return [](const QByteArray &, const QString &, const QJsonObject &) { return TransportReply{500, {}, {}}; };
#ifdef ECOTONE_SYNC_WITH_SERVER
        if (service)
            return service->handler();
#endif
        return memoryHandler(memory);
    }
    MemoryServer memory;
    bool broken = false;
#ifdef ECOTONE_SYNC_WITH_SERVER
    std::unique_ptr<ServiceServer> service;
#endif
};

Replica makeReplica(const QString &path, bool withVendor)
{
    Replica r;
    r.ws = createWorkspace(path);
    r.accounts = std::make_unique<TableWriter>(*r.ws, QStringLiteral("accounts"), accountColumns());
    r.orgs = std::make_unique<TableWriter>(*r.ws, QStringLiteral("organizations"), organizationColumns());
    if (withVendor)
        (void)r.orgs->insert(kVendor, {QStringLiteral("vendor"), QStringLiteral("Vendor"), QStringLiteral("[]"),
                                       QString(), QStringLiteral("[]"), QStringLiteral("[]"), QStringLiteral("[]"),
                                       QString(), QString(), QString(), QStringLiteral("active"), QString()});
    return r;
}

Result<SyncReport> syncWith(Workspace &ws, SyncTransport &transport)
{
    SyncEngine engine(ws, transport);
    return engine.sync();
}

QJsonObject page(qint64 cursor, const QJsonArray &changes)
{
    return {{QStringLiteral("cursor"), cursor}, {QStringLiteral("more"), false}, {QStringLiteral("changes"), changes}};
}

QJsonObject upsert(qint64 seq, const QString &id, qint64 hlc, const QJsonObject &values)
{
    return {{QStringLiteral("seq"), seq},      {QStringLiteral("table"), QStringLiteral("accounts")},
            {QStringLiteral("row_id"), id},    {QStringLiteral("op"), QStringLiteral("upsert")},
            {QStringLiteral("hlc"), hlc},      {QStringLiteral("device_id"), QStringLiteral("remote-device")},
            {QStringLiteral("values"), values}};
}

QJsonObject accountValues(const QString &name, const QString &status = QStringLiteral("customer"))
{
    return {{QStringLiteral("owner_id"), kVendor},
            {QStringLiteral("name"), name},
            {QStringLiteral("status"), status},
            {QStringLiteral("country"), QStringLiteral("FR")},
            {QStringLiteral("website"), QString()}};
}
} // namespace

class TestSyncEngine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase_data()
    {
        QTest::addColumn<bool>("useService");
        QTest::newRow("memory") << false;
#ifdef ECOTONE_SYNC_WITH_SERVER
        QTest::newRow("service") << true;
#endif
    }

    void roundTripIsNotJournaledAgain()
    {
        TempDir dir;
        TestServer server(dir);
        DirectTransport transport(server.handler());
        Replica a = makeReplica(dir.file(QStringLiteral("a.ecotone")), true);
        Replica b = makeReplica(dir.file(QStringLiteral("b.ecotone")), false);
        const QString acme = a.insertAccount(QStringLiteral("Acme"));
        QVERIFY(!acme.isEmpty());
        QCOMPARE(status(*a.ws).value().pending, 2);

        auto ra = syncWith(*a.ws, transport);
        QVERIFY2(ra.ok(), qPrintable(ra.error()));
        QCOMPARE(ra->pushed, 2);
        QCOMPARE(status(*a.ws).value().pending, 0);
        const qint64 journalB = rowCount(*b.ws, QStringLiteral("journal"));
        auto rb = syncWith(*b.ws, transport);
        QVERIFY2(rb.ok(), qPrintable(rb.error()));
        QCOMPARE(rb->pulled, 2);
        QCOMPARE(rb->pushed, 0);
        // Remote changes are applied with plain SQL: nothing to push back, nothing in B's journal.
        QCOMPARE(rowCount(*b.ws, QStringLiteral("journal")), journalB);
        QCOMPARE(status(*b.ws).value().pending, 0);
        QCOMPARE(tableDump(*b.ws, QStringLiteral("accounts")), tableDump(*a.ws, QStringLiteral("accounts")));
        QCOMPARE(tableDump(*b.ws, QStringLiteral("organizations")), tableDump(*a.ws, QStringLiteral("organizations")));
        // The full-text index follows rows written by sync (its triggers fire on plain SQL).
        QCOMPARE(scalar(*b.ws, QStringLiteral("SELECT COUNT(*) FROM organization_search WHERE id = '%1'").arg(kVendor))
                     .toInt(),
                 1);
        const SyncStatus st = status(*b.ws).value();
        QVERIFY(st.cursor > 0);
        QVERIFY(st.lastSync.isValid());
        QVERIFY(st.lastError.isEmpty());
        // A second sync with nothing new moves nothing.
        auto again = syncWith(*a.ws, transport);
        QVERIFY(again.ok());
        QCOMPARE(again->pushed, 0);
    }

    void differentFieldsMerge()
    {
        TempDir dir;
        TestServer server(dir);
        DirectTransport transport(server.handler());
        Replica a = makeReplica(dir.file(QStringLiteral("a.ecotone")), true);
        Replica b = makeReplica(dir.file(QStringLiteral("b.ecotone")), false);
        const QString id = a.insertAccount(QStringLiteral("Acme"));
        QVERIFY(syncWith(*a.ws, transport).ok());
        QVERIFY(syncWith(*b.ws, transport).ok());
        QVERIFY(a.setField(id, kName, QStringLiteral("Acme GmbH")));
        QVERIFY(b.setField(id, kIndustry, QStringLiteral("Retail")));
        QVERIFY(syncWith(*a.ws, transport).ok());
        QVERIFY(syncWith(*b.ws, transport).ok());
        QVERIFY(syncWith(*a.ws, transport).ok());
        for (Replica *r : {&a, &b}) {
            QCOMPARE(r->field(id, QStringLiteral("name")), QStringLiteral("Acme GmbH"));
            QCOMPARE(r->field(id, QStringLiteral("industry")), QStringLiteral("Retail"));
            QCOMPARE(status(*r->ws).value().conflicts, 0);
        }
    }

    void concurrentEditIsAConflictAndResolutionsSync_data()
    {
        QTest::addColumn<int>("resolution");
        QTest::newRow("mine") << int(Resolution::Mine);
        QTest::newRow("theirs") << int(Resolution::Theirs);
        QTest::newRow("edit") << int(Resolution::Edit);
    }
    void concurrentEditIsAConflictAndResolutionsSync()
    {
        QFETCH(int, resolution);
        TempDir dir;
        TestServer server(dir);
        DirectTransport transport(server.handler());
        Replica a = makeReplica(dir.file(QStringLiteral("a.ecotone")), true);
        Replica b = makeReplica(dir.file(QStringLiteral("b.ecotone")), false);
        const QString id = a.insertAccount(QStringLiteral("Acme"));
        QVERIFY(syncWith(*a.ws, transport).ok());
        QVERIFY(syncWith(*b.ws, transport).ok());
        QVERIFY(a.setField(id, kName, QStringLiteral("Acme A")));
        QTest::qWait(3);                                          // a later millisecond, so a later hlc:
        QVERIFY(b.setField(id, kName, QStringLiteral("Acme B"))); // B's value wins the merge
        QVERIFY(syncWith(*a.ws, transport).ok());
        auto rb = syncWith(*b.ws, transport);
        QVERIFY(rb.ok());
        QVERIFY(syncWith(*a.ws, transport).ok());
        QCOMPARE(a.field(id, QStringLiteral("name")), QStringLiteral("Acme B"));
        QCOMPARE(b.field(id, QStringLiteral("name")), QStringLiteral("Acme B"));
        // B pushed after A: the server reports A's concurrent value to B.
        auto conflicts = openConflicts(*b.ws);
        QVERIFY(conflicts.ok());
        QCOMPARE(conflicts->size(), 1);
        const Conflict c = conflicts->first();
        QCOMPARE(c.kind, Conflict::Kind::Edit);
        QCOMPARE(c.table, QStringLiteral("accounts"));
        QCOMPARE(c.rowId, id);
        QCOMPARE(c.field, QStringLiteral("name"));
        QCOMPARE(c.mine, QJsonValue(QStringLiteral("Acme B")));
        QCOMPARE(c.theirs, QJsonValue(QStringLiteral("Acme A")));
        QCOMPARE(c.theirsDevice, a.ws->deviceId());
        QVERIFY(c.mineHlc > 0 && c.theirsHlc > 0);
        QVERIFY(c.detectedAt.isValid());

        const auto r = Resolution(resolution);
        const QString expected = r == Resolution::Mine     ? QStringLiteral("Acme B")
                                 : r == Resolution::Theirs ? QStringLiteral("Acme A")
                                                           : QStringLiteral("Acme Corp");
        QVERIFY(resolve(*b.ws, c.id, r, QJsonValue(QStringLiteral("Acme Corp"))).ok());
        QCOMPARE(status(*b.ws).value().conflicts, 0);
        QCOMPARE(status(*b.ws).value().pending, 1); // the choice is an ordinary journaled edit
        QVERIFY(!resolve(*b.ws, c.id, r).ok());     // no longer open
        QVERIFY(syncWith(*b.ws, transport).ok());
        QVERIFY(syncWith(*a.ws, transport).ok());
        QCOMPARE(a.field(id, QStringLiteral("name")), expected);
        QCOMPARE(b.field(id, QStringLiteral("name")), expected);
        QCOMPARE(status(*a.ws).value().conflicts, 0);
    }

    void newerRemoteEditIsSeenOnPull()
    {
        // A's pending edit is older than what the server holds from B: the pull shows B's value and keeps A's in the
        // inbox before anything is pushed.
        TempDir dir;
        TestServer server(dir);
        DirectTransport transport(server.handler());
        Replica a = makeReplica(dir.file(QStringLiteral("a.ecotone")), true);
        Replica b = makeReplica(dir.file(QStringLiteral("b.ecotone")), false);
        const QString id = a.insertAccount(QStringLiteral("Acme"));
        QVERIFY(syncWith(*a.ws, transport).ok());
        QVERIFY(syncWith(*b.ws, transport).ok());
        QVERIFY(a.setField(id, kName, QStringLiteral("Acme A")));
        QTest::qWait(3);
        QVERIFY(b.setField(id, kName, QStringLiteral("Acme B")));
        QVERIFY(syncWith(*b.ws, transport).ok());
        SyncEngine engine(*a.ws, transport);
        SyncReport report;
        QVERIFY(engine.pull(report).ok());
        QCOMPARE(report.conflicts, 1);
        QCOMPARE(a.field(id, QStringLiteral("name")), QStringLiteral("Acme B"));
        QCOMPARE(status(*a.ws).value().pending, 1);
        QVERIFY(engine.push(report).ok());
        QVERIFY(engine.pull(report).ok());
        QCOMPARE(a.field(id, QStringLiteral("name")), QStringLiteral("Acme B"));
        QCOMPARE(status(*a.ws).value().conflicts, 1); // the push answer's report of the same pair is not a second
    }

    void ownEarlierChangeDoesNotHideAConcurrentEdit()
    {
        // B sets the name to "X" and pushes. A, not having seen it, set "X" too and then "Y": A's "Y" and B's "X" are
        // concurrent and differ, although A's own first change agrees with B.
        TempDir dir;
        TestServer server(dir);
        DirectTransport transport(server.handler());
        Replica a = makeReplica(dir.file(QStringLiteral("a.ecotone")), true);
        Replica b = makeReplica(dir.file(QStringLiteral("b.ecotone")), false);
        const QString id = a.insertAccount(QStringLiteral("Acme"));
        QVERIFY(syncWith(*a.ws, transport).ok());
        QVERIFY(syncWith(*b.ws, transport).ok());
        QVERIFY(b.setField(id, kName, QStringLiteral("X")));
        QTest::qWait(3);
        QVERIFY(a.setField(id, kName, QStringLiteral("X")));
        QVERIFY(a.setField(id, kName, QStringLiteral("Y")));
        QVERIFY(syncWith(*b.ws, transport).ok());
        QVERIFY(syncWith(*a.ws, transport).ok());
        QVERIFY(syncWith(*b.ws, transport).ok());
        QCOMPARE(a.field(id, QStringLiteral("name")), QStringLiteral("Y"));
        QCOMPARE(b.field(id, QStringLiteral("name")), QStringLiteral("Y"));
        QCOMPARE(status(*a.ws).value().conflicts + status(*b.ws).value().conflicts, 1);
    }

    void lostPushAnswerKeepsTheConflict()
    {
        // The server takes A's push but the answer is lost: the retry is a replay, and must report the conflict
        // again, or nobody ever learns that B's concurrent value lost.
        TempDir dir;
        TestServer server(dir);
        DirectTransport::Handler inner = server.handler();
        bool loseNextPushAnswer = false;
        DirectTransport transport(
            [&](const QByteArray &method, const QString &path, const QJsonObject &body) -> TransportReply {
                TransportReply reply = inner(method, path, body);
                if (method == "POST" && loseNextPushAnswer) {
                    loseNextPushAnswer = false;
                    return {0, {}, QStringLiteral("connection reset")};
                }
                return reply;
            });
        Replica a = makeReplica(dir.file(QStringLiteral("a.ecotone")), true);
        Replica b = makeReplica(dir.file(QStringLiteral("b.ecotone")), false);
        const QString id = a.insertAccount(QStringLiteral("Acme"));
        QVERIFY(syncWith(*a.ws, transport).ok());
        QVERIFY(syncWith(*b.ws, transport).ok());
        QVERIFY(b.setField(id, kName, QStringLiteral("Acme B")));
        QTest::qWait(3);
        QVERIFY(a.setField(id, kName, QStringLiteral("Acme A"))); // later: A's value wins
        QVERIFY(syncWith(*b.ws, transport).ok());
        loseNextPushAnswer = true;
        QVERIFY(!syncWith(*a.ws, transport).ok());
        QCOMPARE(status(*a.ws).value().pending, 1);
        QVERIFY(syncWith(*a.ws, transport).ok());
        QVERIFY(syncWith(*b.ws, transport).ok());
        QCOMPARE(a.field(id, QStringLiteral("name")), QStringLiteral("Acme A"));
        QCOMPARE(b.field(id, QStringLiteral("name")), QStringLiteral("Acme A"));
        QCOMPARE(status(*a.ws).value().conflicts, 1);
    }

    void tombstoneWinsOverConcurrentEdit()
    {
        TempDir dir;
        TestServer server(dir);
        DirectTransport transport(server.handler());
        Replica a = makeReplica(dir.file(QStringLiteral("a.ecotone")), true);
        Replica b = makeReplica(dir.file(QStringLiteral("b.ecotone")), false);
        const QString id = a.insertAccount(QStringLiteral("Acme"));
        QVERIFY(syncWith(*a.ws, transport).ok());
        QVERIFY(syncWith(*b.ws, transport).ok());
        QVERIFY(a.accounts->remove(id).ok());
        QVERIFY(b.setField(id, kName, QStringLiteral("Acme B"))); // after the delete, still loses
        QVERIFY(syncWith(*a.ws, transport).ok());
        QVERIFY(syncWith(*b.ws, transport).ok());
        QVERIFY(syncWith(*a.ws, transport).ok());
        QCOMPARE(rowCount(*a.ws, QStringLiteral("accounts")), 0);
        QCOMPARE(rowCount(*b.ws, QStringLiteral("accounts")), 0);
        auto conflicts = openConflicts(*b.ws).value();
        QCOMPARE(conflicts.size(), 1);
        QCOMPARE(conflicts.first().kind, Conflict::Kind::Deleted);
        QCOMPARE(conflicts.first().mine, QJsonValue(QStringLiteral("Acme B")));
        QCOMPARE(status(*b.ws).value().pending, 0);
        QVERIFY(resolve(*b.ws, conflicts.first().id, Resolution::Theirs).ok());
        QCOMPARE(status(*b.ws).value().conflicts, 0);
        // A late insert or update of the deleted row changes nothing.
        QVERIFY(syncWith(*b.ws, transport).ok());
        QCOMPARE(rowCount(*b.ws, QStringLiteral("accounts")), 0);
    }

    void purgeRemovesWithoutJournaling()
    {
        TempDir dir;
        MemoryServer server;
        DirectTransport transport(memoryHandler(server));
        Replica a = makeReplica(dir.file(QStringLiteral("a.ecotone")), true);
        Replica b = makeReplica(dir.file(QStringLiteral("b.ecotone")), false);
        const QString keep = a.insertAccount(QStringLiteral("Keep"));
        const QString gone = a.insertAccount(QStringLiteral("Gone"));
        QVERIFY(syncWith(*a.ws, transport).ok());
        QVERIFY(syncWith(*b.ws, transport).ok());
        QCOMPARE(rowCount(*b.ws, QStringLiteral("accounts")), 2);
        server.purge(QStringLiteral("accounts"), gone);
        const qint64 journal = rowCount(*b.ws, QStringLiteral("journal"));
        auto r = syncWith(*b.ws, transport);
        QVERIFY(r.ok());
        QCOMPARE(r->purged, 1);
        QCOMPARE(rowCount(*b.ws, QStringLiteral("accounts")), 1);
        QCOMPARE(b.field(keep, QStringLiteral("name")), QStringLiteral("Keep"));
        QCOMPARE(rowCount(*b.ws, QStringLiteral("journal")), journal);
        QCOMPARE(status(*b.ws).value().pending, 0);
    }

    void farFutureChangeFailsTheSyncAndAppliesNothing()
    {
        TempDir dir;
        Replica a = makeReplica(dir.file(QStringLiteral("a.ecotone")), true);
        const qint64 now = Hlc::pack(QDateTime::currentMSecsSinceEpoch(), 0);
        const qint64 future = Hlc::pack(QDateTime::currentMSecsSinceEpoch() + 3600 * 1000, 0);
        DirectTransport transport([&](const QByteArray &, const QString &, const QJsonObject &) -> TransportReply {
            return {200,
                    page(2, {upsert(1, QStringLiteral("ok-row"), now, accountValues(QStringLiteral("Fine"))),
                             upsert(2, QStringLiteral("future-row"), future, accountValues(QStringLiteral("Later")))}),
                    {}};
        });
        const qint64 clockBefore = a.ws->clock().last();
        auto r = syncWith(*a.ws, transport);
        QVERIFY(!r.ok());
        QVERIFY2(r.error().contains(QStringLiteral("ahead")), qPrintable(r.error()));
        QVERIFY2(r.error().contains(QStringLiteral("future-row")), qPrintable(r.error()));
        QCOMPARE(rowCount(*a.ws, QStringLiteral("accounts")), 0);
        QCOMPARE(status(*a.ws).value().cursor, 0);
        QCOMPARE(status(*a.ws).value().lastError, r.error());
        QVERIFY(Hlc::wallOf(a.ws->clock().now()) < Hlc::wallOf(future)); // the clock did not jump to it
        QVERIFY(a.ws->clock().last() > clockBefore);
    }

    void badRowIsSetAsideAndThePageGoesOn()
    {
        // The second change of the page breaks a CHECK (a hostile peer's value, or an older server that did not
        // judge values): one bad row must not stop this replica's sync for good. It is set aside with the server's
        // number and the reason, the rest of the page applies, the cursor moves on, and a later version of the row
        // that fits replaces it.
        TempDir dir;
        Replica a = makeReplica(dir.file(QStringLiteral("a.ecotone")), false);
        const qint64 now = Hlc::pack(QDateTime::currentMSecsSinceEpoch(), 0);
        bool fixed = false;
        DirectTransport transport([&](const QByteArray &, const QString &path, const QJsonObject &) -> TransportReply {
            const qint64 since = QUrlQuery(path.mid(path.indexOf(QLatin1Char('?')) + 1))
                                     .queryItemValue(QStringLiteral("since"))
                                     .toLongLong();
            if (since < 2)
                return {200,
                        page(2, {upsert(1, QStringLiteral("r1"), now, accountValues(QStringLiteral("One"))),
                                 upsert(2, QStringLiteral("r2"), now,
                                        accountValues(QStringLiteral("Two"), QStringLiteral("bogus")))}),
                        {}};
            if (fixed && since < 3)
                return {200,
                        page(3, {upsert(3, QStringLiteral("r2"), now + 1,
                                        accountValues(QStringLiteral("Two"), QStringLiteral("prospect")))}),
                        {}};
            return {200, page(since, {}), {}};
        });
        auto r = syncWith(*a.ws, transport);
        QVERIFY2(r.ok(), qPrintable(r.error()));
        QCOMPARE(r->pulled, 1);
        QCOMPARE(r->quarantined, 1);
        QCOMPARE(rowCount(*a.ws, QStringLiteral("accounts")), 1);
        QCOMPARE(status(*a.ws).value().cursor, 2);
        QCOMPARE(status(*a.ws).value().quarantined, 1);
        auto aside = quarantinedRows(*a.ws);
        QVERIFY(aside.ok());
        QCOMPARE(aside->size(), 1);
        QCOMPARE(aside->first().seq, 2);
        QCOMPARE(aside->first().table, QStringLiteral("accounts"));
        QCOMPARE(aside->first().rowId, QStringLiteral("r2"));
        QVERIFY2(aside->first().reason.contains(QStringLiteral("CHECK constraint failed")),
                 qPrintable(aside->first().reason));
        QCOMPARE(pragmaResult(*a.ws, QStringLiteral("PRAGMA foreign_keys")), QStringLiteral("1"));
        // The next sync does not ask for the bad page again.
        auto again = syncWith(*a.ws, transport);
        QVERIFY2(again.ok(), qPrintable(again.error()));
        QCOMPARE(again->quarantined, 0);
        QCOMPARE(status(*a.ws).value().quarantined, 1);
        fixed = true;
        auto later = syncWith(*a.ws, transport);
        QVERIFY2(later.ok(), qPrintable(later.error()));
        QCOMPARE(rowCount(*a.ws, QStringLiteral("accounts")), 2);
        QCOMPARE(status(*a.ws).value().cursor, 3);
        QCOMPARE(status(*a.ws).value().quarantined, 0);
    }

    void cutConnectionResumesAndConverges()
    {
        // Many pages; the connection dies after a few requests. What was applied is consistent (every applied row
        // is complete and the cursor names the last applied page) and the next sync finishes the job.
        TempDir dir;
        TestServer server(dir);
        int budget = 1000000;
        DirectTransport::Handler inner = server.handler();
        DirectTransport transport(
            [&](const QByteArray &method, const QString &path, const QJsonObject &body) -> TransportReply {
                if (budget-- <= 0)
                    return {0, {}, QStringLiteral("connection reset")};
                QString p = path;
                p.replace(QStringLiteral("limit=1000"), QStringLiteral("limit=7")); // small pages
                return inner(method, p, body);
            });
        Replica a = makeReplica(dir.file(QStringLiteral("a.ecotone")), true);
        Replica b = makeReplica(dir.file(QStringLiteral("b.ecotone")), false);
        QVERIFY(a.ws->begin().ok());
        for (int i = 0; i < 60; ++i)
            QVERIFY(!a.insertAccount(QStringLiteral("Account %1").arg(i)).isEmpty());
        QVERIFY(a.ws->commit().ok());
        QVERIFY(syncWith(*a.ws, transport).ok());
        budget = 4;
        auto cut = syncWith(*b.ws, transport);
        QVERIFY(!cut.ok());
        QVERIFY2(cut.error().contains(QStringLiteral("connection reset")), qPrintable(cut.error()));
        const qint64 applied = rowCount(*b.ws, QStringLiteral("accounts"));
        QVERIFY(applied > 0 && applied < 60);
        QCOMPARE(status(*b.ws).value().lastError, cut.error());
        QCOMPARE(pragmaResult(*b.ws, QStringLiteral("PRAGMA integrity_check")), QStringLiteral("ok"));
        budget = 1000000;
        QVERIFY(syncWith(*b.ws, transport).ok());
        QCOMPARE(tableDump(*b.ws, QStringLiteral("accounts")), tableDump(*a.ws, QStringLiteral("accounts")));
        QCOMPARE(pragmaResult(*b.ws, QStringLiteral("PRAGMA foreign_key_check")), QString());
        QVERIFY(status(*b.ws).value().lastError.isEmpty());
    }

    void staleAndDuplicateAnswersAreIgnored()
    {
        TempDir dir;
        TestServer server(dir);
        DirectTransport::Handler inner = server.handler();
        TransportReply oldPull;
        bool replayOld = false;
        DirectTransport transport(
            [&](const QByteArray &method, const QString &path, const QJsonObject &body) -> TransportReply {
                if (method == "GET" && replayOld)
                    return oldPull;
                TransportReply r = inner(method, path, body);
                if (method == "GET" && oldPull.status == 0)
                    oldPull = r;
                return r;
            });
        Replica a = makeReplica(dir.file(QStringLiteral("a.ecotone")), true);
        DirectTransport plain(server.handler());
        const QString id = a.insertAccount(QStringLiteral("Acme"));
        QVERIFY(syncWith(*a.ws, plain).ok());
        Replica b = makeReplica(dir.file(QStringLiteral("b.ecotone")), false);
        QVERIFY(syncWith(*b.ws, transport).ok()); // records the answer to since=0
        QVERIFY(a.setField(id, kName, QStringLiteral("Acme 2")));
        QVERIFY(syncWith(*a.ws, plain).ok());
        QVERIFY(syncWith(*b.ws, transport).ok());
        QCOMPARE(b.field(id, QStringLiteral("name")), QStringLiteral("Acme 2"));
        const qint64 cursor = status(*b.ws).value().cursor;
        // Now every pull gets the old answer again: it does not start at B's cursor, so it is dropped.
        replayOld = true;
        auto r = syncWith(*b.ws, transport);
        QVERIFY(!r.ok());
        QCOMPARE(b.field(id, QStringLiteral("name")), QStringLiteral("Acme 2"));
        QCOMPARE(status(*b.ws).value().cursor, cursor);
        // A duplicated push answer acknowledges nothing new and records nothing twice.
        replayOld = false;
        QVERIFY(b.setField(id, kIndustry, QStringLiteral("Retail")));
        TransportReply lastPush;
        DirectTransport dup([&](const QByteArray &method, const QString &path, const QJsonObject &body) {
            TransportReply reply = inner(method, path, body);
            if (method == "POST") {
                if (lastPush.status == 0)
                    lastPush = reply;
                return lastPush;
            }
            return reply;
        });
        QVERIFY(syncWith(*b.ws, dup).ok());
        QCOMPARE(status(*b.ws).value().pending, 0);
        QVERIFY(b.setField(id, kIndustry, QStringLiteral("Finance")));
        auto stale = syncWith(*b.ws, dup); // the old push answer lists none of the new change
        QVERIFY(!stale.ok());
        QCOMPARE(status(*b.ws).value().pending, 1);
        QVERIFY(syncWith(*b.ws, plain).ok());
        QCOMPARE(status(*b.ws).value().pending, 0);
        QVERIFY(syncWith(*a.ws, plain).ok());
        QCOMPARE(a.field(id, QStringLiteral("industry")), QStringLiteral("Finance"));
    }

    void refusedChangeIsAcknowledgedAndInTheInbox()
    {
        TempDir dir;
        MemoryServer server;
        server.refuse = [](const QJsonObject &c) {
            return c.value(QLatin1String("field")).toString() == QLatin1String("industry");
        };
        DirectTransport transport(memoryHandler(server));
        Replica a = makeReplica(dir.file(QStringLiteral("a.ecotone")), true);
        const QString id = a.insertAccount(QStringLiteral("Acme"));
        QVERIFY(a.setField(id, kIndustry, QStringLiteral("Retail")));
        QVERIFY(a.setField(id, kName, QStringLiteral("Acme 2")));
        auto r = syncWith(*a.ws, transport);
        QVERIFY2(r.ok(), qPrintable(r.error()));
        QCOMPARE(r->rejected, 1);
        QCOMPARE(r->pushed, 4);
        QCOMPARE(status(*a.ws).value().pending, 0);
        const auto conflicts = openConflicts(*a.ws).value();
        QCOMPARE(conflicts.size(), 1);
        QCOMPARE(conflicts.first().kind, Conflict::Kind::Refused);
        QCOMPARE(conflicts.first().field, QStringLiteral("industry"));
        QCOMPARE(conflicts.first().mine, QJsonValue(QStringLiteral("Retail")));
        QVERIFY(conflicts.first().theirs.toString().contains(QStringLiteral("forbidden")));
    }

    void ownerChangeIsRefusedByTheServer()
    {
        // Owner columns never change after insert (docs/sync.md): the server refuses, the inbox says so and the change
        // counts as acknowledged.
        TempDir dir;
        TestServer server(dir);
        server.memory.refuse = [](const QJsonObject &c) {
            return c.value(QLatin1String("field")).toString() == QLatin1String("owner_id");
        };
        DirectTransport transport(server.handler());
        Replica a = makeReplica(dir.file(QStringLiteral("a.ecotone")), true);
        const QString partner = a.ws->ids().next();
        QVERIFY(a.orgs
                    ->insert(partner, {QStringLiteral("partner"), QStringLiteral("Partner"), QStringLiteral("[]"),
                                       QString(), QStringLiteral("[]"), QStringLiteral("[]"), QStringLiteral("[]"),
                                       QString(), QString(), QString(), QStringLiteral("active"), QString()})
                    .ok());
        const QString id = a.insertAccount(QStringLiteral("Acme"));
        QVERIFY(syncWith(*a.ws, transport).ok());
        QVERIFY(a.setField(id, 0, partner));
        auto r = syncWith(*a.ws, transport);
        QVERIFY2(r.ok(), qPrintable(r.error()));
        QCOMPARE(r->rejected, 1);
        QCOMPARE(status(*a.ws).value().pending, 0);
        const auto conflicts = openConflicts(*a.ws).value();
        QCOMPARE(conflicts.size(), 1);
        QCOMPARE(conflicts.first().kind, Conflict::Kind::Refused);
        QCOMPARE(conflicts.first().field, QStringLiteral("owner_id"));
        QCOMPARE(conflicts.first().mine, QJsonValue(partner));
        QVERIFY(resolve(*a.ws, conflicts.first().id, Resolution::Theirs).ok());
        QCOMPARE(status(*a.ws).value().conflicts, 0);
    }

    void tooLargeRequestsAreSplit()
    {
        // A server that takes at most three changes per request (413 above): the engine halves its batches.
        TempDir dir;
        TestServer server(dir);
        DirectTransport::Handler inner = server.handler();
        int refusedRequests = 0;
        DirectTransport transport(
            [&](const QByteArray &method, const QString &path, const QJsonObject &body) -> TransportReply {
                if (method == "POST" && body.value(QLatin1String("changes")).toArray().size() > 3) {
                    ++refusedRequests;
                    return {413, QJsonObject{{QStringLiteral("error"), QStringLiteral("payload_too_large")}}, {}};
                }
                return inner(method, path, body);
            });
        Replica a = makeReplica(dir.file(QStringLiteral("a.ecotone")), true);
        for (int i = 0; i < 10; ++i)
            QVERIFY(!a.insertAccount(QStringLiteral("Account %1").arg(i)).isEmpty());
        auto r = syncWith(*a.ws, transport);
        QVERIFY2(r.ok(), qPrintable(r.error()));
        QCOMPARE(r->pushed, 11);
        QVERIFY(refusedRequests >= 2);
        Replica b = makeReplica(dir.file(QStringLiteral("b.ecotone")), false);
        QVERIFY(syncWith(*b.ws, transport).ok());
        QCOMPARE(tableDump(*b.ws, QStringLiteral("accounts")), tableDump(*a.ws, QStringLiteral("accounts")));
    }

    void copiedWorkspaceIsExplained()
    {
        // A copy of a synced file shares its device id: the same change id with other content is refused (409), and
        // the error says why.
        TempDir dir;
        TestServer server(dir);
        DirectTransport transport(server.handler());
        Replica a = makeReplica(dir.file(QStringLiteral("a.ecotone")), true);
        QVERIFY(!a.insertAccount(QStringLiteral("Acme")).isEmpty());
        QVERIFY(syncWith(*a.ws, transport).ok());
        const QString path = a.ws->path();
        a.accounts.reset();
        a.orgs.reset();
        a.ws.reset();
        QVERIFY(QFile::copy(path, dir.file(QStringLiteral("copy.ecotone"))));
        Replica original;
        original.ws = std::move(Workspace::open(path).value());
        original.accounts = std::make_unique<TableWriter>(*original.ws, QStringLiteral("accounts"), accountColumns());
        Replica copy;
        copy.ws = std::move(Workspace::open(dir.file(QStringLiteral("copy.ecotone"))).value());
        copy.accounts = std::make_unique<TableWriter>(*copy.ws, QStringLiteral("accounts"), accountColumns());
        QCOMPARE(copy.ws->deviceId(), original.ws->deviceId());
        QVERIFY(!original.insertAccount(QStringLiteral("From the original")).isEmpty());
        QVERIFY(!copy.insertAccount(QStringLiteral("From the copy")).isEmpty());
        QVERIFY(syncWith(*original.ws, transport).ok());
        auto r = syncWith(*copy.ws, transport);
        QVERIFY(!r.ok());
        QVERIFY2(r.error().contains(QStringLiteral("409")) && r.error().contains(QStringLiteral("copy")),
                 qPrintable(r.error()));
        QCOMPARE(status(*copy.ws).value().pending, 1);
    }

    void progressCanStopAtAPageBoundary()
    {
        TempDir dir;
        TestServer server(dir);
        DirectTransport transport(server.handler());
        Replica a = makeReplica(dir.file(QStringLiteral("a.ecotone")), true);
        QVERIFY(!a.insertAccount(QStringLiteral("Acme")).isEmpty());
        SyncEngine engine(*a.ws, transport);
        QStringList phases;
        auto stopped = engine.sync([&](const QString &phase, qint64, qint64) {
            phases << phase;
            return false;
        });
        QVERIFY(stopped.ok());
        QCOMPARE(phases, QStringList{QStringLiteral("pull")});
        QCOMPARE(stopped->pushed, 0);
        QCOMPARE(status(*a.ws).value().pending, 2);
        QVERIFY(!status(*a.ws).value().lastSync.isValid());
        auto done = engine.sync([&](const QString &phase, qint64 doneCount, qint64 total) {
            if (phase == QLatin1String("push"))
                return doneCount == 2 && total == 2;
            return true;
        });
        QVERIFY2(done.ok(), qPrintable(done.error()));
        QCOMPARE(done->pushed, 2);
        QVERIFY(status(*a.ws).value().lastSync.isValid());
    }

    void unknownTablesAndColumnsAreIgnored()
    {
        TempDir dir;
        Replica a = makeReplica(dir.file(QStringLiteral("a.ecotone")), false);
        const qint64 now = Hlc::pack(QDateTime::currentMSecsSinceEpoch(), 0);
        QJsonObject values = accountValues(QStringLiteral("Acme"));
        values.insert(QStringLiteral("future_column"), QStringLiteral("x"));
        values.insert(QStringLiteral("external_id"), 42); // an integer into a text column stays readable
        QJsonObject alien = upsert(2, QStringLiteral("x1"), now, values);
        alien.insert(QStringLiteral("table"), QStringLiteral("tables_of_tomorrow"));
        QJsonObject ledger = upsert(3, QStringLiteral("x2"), now, values);
        ledger.insert(QStringLiteral("table"), QStringLiteral("consent_ledger"));
        DirectTransport transport(
            [&](const QByteArray &method, const QString &, const QJsonObject &) -> TransportReply {
                if (method == "POST")
                    return {200, {}, {}};
                return {200, page(3, {upsert(1, QStringLiteral("a1"), now, values), alien, ledger}), {}};
            });
        auto r = syncWith(*a.ws, transport);
        QVERIFY2(r.ok(), qPrintable(r.error()));
        QCOMPARE(rowCount(*a.ws, QStringLiteral("accounts")), 1);
        QCOMPARE(a.field(QStringLiteral("a1"), QStringLiteral("external_id")), QStringLiteral("42"));
        QCOMPARE(rowCount(*a.ws, QStringLiteral("consent_ledger")), 0);
    }

    void settingsAreRemembered()
    {
        TempDir dir;
        Replica a = makeReplica(dir.file(QStringLiteral("a.ecotone")), false);
        QCOMPARE(settings(*a.ws).value().intervalSeconds, 300);
        SyncSettings s;
        s.server = QUrl(QStringLiteral("https://sync.example.com"));
        s.username = QStringLiteral("ada");
        s.automatic = true;
        s.intervalSeconds = 60;
        QVERIFY(saveSettings(*a.ws, s).ok());
        const QString path = a.ws->path();
        a.ws.reset();
        auto ws = Workspace::open(path);
        QVERIFY(ws.ok());
        const SyncSettings back = settings(*ws.value()).value();
        QCOMPARE(back.server, s.server);
        QCOMPARE(back.username, s.username);
        QCOMPARE(back.automatic, true);
        QCOMPARE(back.intervalSeconds, 60);
    }
};

QTEST_GUILESS_MAIN(TestSyncEngine)
#include "TestSyncEngine.moc"
