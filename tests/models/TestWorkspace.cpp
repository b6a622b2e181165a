#include "TestSupport.h"

#include "store/ChangeJournal.h"
#include "store/Repositories.h"
#include "store/Workspace.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

using namespace ecotone;
using namespace ecotone::test;

namespace {
QVariant scalar(QSqlDatabase &db, const QString &sql)
{
    QSqlQuery q(db);
    if (!q.exec(sql) || !q.next())
        return {};
    return q.value(0);
}

QVariant scalar(Workspace &ws, const QString &sql)
{
    return scalar(ws.db(), sql);
}

bool hasTable(Workspace &ws, const QString &table)
{
    QSqlQuery q(ws.db());
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?"));
    q.addBindValue(table);
    return q.exec() && q.next() && q.value(0).toInt() == 1;
}

bool hasColumn(Workspace &ws, const QString &table, const QString &column)
{
    QSqlQuery q(ws.db());
    if (!q.exec(QStringLiteral("PRAGMA table_info(%1)").arg(table)))
        return false;
    while (q.next())
        if (q.value(1).toString() == column)
            return true;
    return false;
}

Organization partner(const QString &name)
{
    Organization o;
    o.name = name;
    o.types = {PartnerType::Reseller};
    o.tier = QStringLiteral("Gold");
    o.website = QStringLiteral("www.%1.com").arg(name.toLower());
    return o;
}

// Adds n partners, each with its own transaction (so the file grows by real pages).
bool addPartners(Workspace &ws, int n, const QString &prefix = QStringLiteral("Partner"))
{
    OrganizationRepository repo(ws);
    for (int i = 0; i < n; ++i) {
        Organization o = partner(prefix + QString::number(i));
        o.description = QString(300, QLatin1Char('x'));
        if (Status s = repo.insert(o); !s) {
            qWarning("%s", qPrintable(s.error()));
            return false;
        }
    }
    return true;
}

QStringList partnerNames(Workspace &ws)
{
    QStringList out;
    QSqlQuery q(ws.db());
    q.exec(QStringLiteral("SELECT name FROM organizations ORDER BY name"));
    while (q.next())
        out << q.value(0).toString();
    return out;
}

// Runs statements on a plain QSqlDatabase connection that is closed and removed afterwards.

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

// A workspace with some rows, closed (so its WAL is folded back into the file).
bool makeClosedWorkspace(const QString &path, int partners)
{
    auto ws = createWorkspace(path);
    if (!ws)
        return false;
    return addPartners(*ws, partners);
}

Migration step2AddsNotes()
{
    return {2, QStringLiteral("notes"), [](QSqlDatabase &db) -> Status {
                QSqlQuery q(db);
                for (const char *sql : {"ALTER TABLE organizations ADD COLUMN notes TEXT NOT NULL DEFAULT ''",
                                        "CREATE TABLE tags (id TEXT PRIMARY KEY, label TEXT NOT NULL)"}) {
                    if (!q.exec(QString::fromLatin1(sql)))
                        return sqlError(q, QString::fromLatin1(sql));
                }
                return {};
            }};
}

Workspace::Options optionsV1()
{
    Workspace::Options o;
    o.migrations = {schema::migrations().front()};
    return o;
}
} // namespace

class TestWorkspace : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void createThenReopen();
    void createRefusesExistingFile();
    void openRefusesMissingFileAndFolder();
    void reopenObservesJournalClock();
    void refusedFilesAreNotModified_data();
    void refusedFilesAreNotModified();
    void migrationKeepsDataAndBackup();
    void migrationFailureLeavesFileAtOldVersion();
    void noMigrationsIsAnError();
    void nestedTransactions();
    void innerCommitOuterRollback();
    void transactionRaii();
    void commitWithoutTransaction();
};

void TestWorkspace::createThenReopen()
{
    TempDir dir;
    const QString path = dir.file(QStringLiteral("acme.ecotone"));
    QString deviceId;
    {
        auto ws = createWorkspace(path);
        QVERIFY(ws);
        deviceId = ws->deviceId();
        QCOMPARE(deviceId.size(), 16);
        QVERIFY(QStringLiteral("0123456789abcdef").contains(deviceId.at(0)));
        QCOMPARE(ws->schemaVersion(), schema::kVersion);
        QCOMPARE(ws->displayName(), QStringLiteral("acme"));
        QVERIFY(ws->backupPath().isEmpty()); // a new file has nothing to back up
        QVERIFY(addPartners(*ws, 3));
    }
    QVERIFY(Workspace::checkHeader(path).ok());

    auto reopened = Workspace::open(path);
    QVERIFY2(reopened.ok(), qPrintable(reopened.error()));
    Workspace &ws = *reopened.value();
    QCOMPARE(ws.deviceId(), deviceId);
    QCOMPARE(ws.schemaVersion(), schema::kVersion);
    QVERIFY(ws.backupPath().isEmpty());
    QCOMPARE(QFileInfo(ws.path()), QFileInfo(path));
    QCOMPARE(scalar(ws, QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("wal"));
    QCOMPARE(scalar(ws, QStringLiteral("PRAGMA foreign_keys")).toInt(), 1);
    QCOMPARE(scalar(ws, QStringLiteral("PRAGMA application_id")).toInt(), schema::kApplicationId);
    QCOMPARE(scalar(ws, QStringLiteral("PRAGMA user_version")).toInt(), schema::kVersion);
    QCOMPARE(scalar(ws, QStringLiteral("PRAGMA page_size")).toInt(), 8192);
    QCOMPARE(rowCount(ws, QStringLiteral("organizations")), 3);
    QCOMPARE(rowCount(ws, QStringLiteral("journal")), 3);
    // Only one device id row, however often the file is opened.
    QCOMPARE(scalar(ws, QStringLiteral("SELECT COUNT(*) FROM meta WHERE key = 'device_id'")).toInt(), 1);
}

void TestWorkspace::createRefusesExistingFile()
{
    TempDir dir;
    const QString path = dir.file(QStringLiteral("existing.ecotone"));
    QVERIFY(writeFile(path, "keep me"));
    const QByteArray before = fileHash(path);
    auto ws = Workspace::create(path);
    QVERIFY(!ws.ok());
    QVERIFY2(ws.error().contains(QStringLiteral("already exists")), qPrintable(ws.error()));
    QCOMPARE(fileHash(path), before);
}

void TestWorkspace::openRefusesMissingFileAndFolder()
{
    TempDir dir;
    auto missing = Workspace::open(dir.file(QStringLiteral("nope.ecotone")));
    QVERIFY(!missing.ok());
    QVERIFY2(missing.error().contains(QStringLiteral("does not exist")), qPrintable(missing.error()));
    QVERIFY(!QFileInfo::exists(dir.file(QStringLiteral("nope.ecotone"))));

    QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("folder.ecotone")));
    auto folder = Workspace::open(dir.file(QStringLiteral("folder.ecotone")));
    QVERIFY(!folder.ok());
    QVERIFY2(folder.error().contains(QStringLiteral("folder")), qPrintable(folder.error()));
}

void TestWorkspace::reopenObservesJournalClock()
{
    // A journal written on a device whose clock ran an hour ahead: after reopening, new entries still order last.
    TempDir dir;
    const QString path = dir.file(QStringLiteral("clock.ecotone"));
    const qint64 future = Hlc::pack(QDateTime::currentMSecsSinceEpoch() + 3'600'000, 17);
    {
        auto ws = createWorkspace(path);
        QVERIFY(ws);
        QVERIFY(ws->exec(QStringLiteral("INSERT INTO journal (hlc, device_id, table_name, row_id, op, field, value) "
                                        "VALUES (%1, 'other', 'organizations', 'x', 'delete', '', NULL)")
                             .arg(future))
                    .ok());
    }
    auto ws = Workspace::open(path);
    QVERIFY2(ws.ok(), qPrintable(ws.error()));
    QCOMPARE(ws.value()->clock().last(), future);
    QVERIFY(addPartners(*ws.value(), 1));
    QVERIFY(ws.value()->journal().lastHlc() > future);
}

void TestWorkspace::refusedFilesAreNotModified_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("expected"); // part of the error message

    QTest::newRow("random bytes") << QStringLiteral("random") << QStringLiteral("not an Ecotone workspace");
    QTest::newRow("empty file") << QStringLiteral("empty") << QStringLiteral("empty file");
    QTest::newRow("text file") << QStringLiteral("text") << QStringLiteral("not an Ecotone workspace");
    QTest::newRow("short sqlite header") << QStringLiteral("short") << QStringLiteral("not an Ecotone workspace");
    QTest::newRow("unrelated sqlite") << QStringLiteral("sqlite") << QStringLiteral("not an Ecotone workspace");
    QTest::newRow("truncated to half") << QStringLiteral("half") << QStringLiteral("truncated");
    QTest::newRow("one page short") << QStringLiteral("page") << QStringLiteral("truncated");
    QTest::newRow("not whole pages") << QStringLiteral("ragged") << QStringLiteral("damaged");
    QTest::newRow("newer format") << QStringLiteral("newer") << QStringLiteral("newer");
    QTest::newRow("no format version") << QStringLiteral("noversion") << QStringLiteral("no workspace format");
}

void TestWorkspace::refusedFilesAreNotModified()
{
    QFETCH(QString, kind);
    QFETCH(QString, expected);
    TempDir dir;
    const QString path = dir.file(QStringLiteral("subject.ecotone"));

    if (kind == QLatin1String("random")) {
        QRandomGenerator rng(12345);
        QByteArray bytes(16384, Qt::Uninitialized);
        for (char &c : bytes)
            c = char(rng.bounded(256));
        QVERIFY(writeFile(path, bytes));
    } else if (kind == QLatin1String("empty")) {
        QVERIFY(writeFile(path, QByteArray()));
    } else if (kind == QLatin1String("text")) {
        QVERIFY(writeFile(path, "name,website\nAcme,acme.com\nGlobex,globex.com\n"));
    } else if (kind == QLatin1String("short")) {
        QVERIFY(writeFile(path, QByteArrayLiteral("SQLite format 3\0 but only a few bytes")));
    } else if (kind == QLatin1String("sqlite")) {
        QVERIFY(runPlainSqlite(path, {QStringLiteral("CREATE TABLE contacts (name TEXT, email TEXT)"),
                                      QStringLiteral("INSERT INTO contacts VALUES ('Ann', 'ann@example.com')"),
                                      QStringLiteral("PRAGMA user_version = 1")}));
    } else if (kind == QLatin1String("half") || kind == QLatin1String("page") || kind == QLatin1String("ragged")) {
        QVERIFY(makeClosedWorkspace(path, 200));
        QVERIFY(!QFileInfo::exists(path + QStringLiteral("-wal")));
        QFile f(path);
        const qint64 size = f.size();
        QVERIFY2(size >= 8 * 8192, qPrintable(QString::number(size)));
        QCOMPARE(size % 8192, 0);
        const qint64 newSize = kind == QLatin1String("half")   ? size / 2
                               : kind == QLatin1String("page") ? size - 8192
                                                               : size + 100;
        if (kind == QLatin1String("ragged")) {
            QVERIFY(f.open(QIODevice::Append));
            QCOMPARE(f.write(QByteArray(100, 'z')), 100);
            f.close();
        } else {
            QVERIFY(f.resize(newSize));
        }
        QCOMPARE(QFileInfo(path).size(), newSize);
    } else if (kind == QLatin1String("newer")) {
        QVERIFY(makeClosedWorkspace(path, 5));
        QVERIFY(runPlainSqlite(path, {QStringLiteral("PRAGMA user_version = %1").arg(schema::kVersion + 1)}));
    } else if (kind == QLatin1String("noversion")) {
        QVERIFY(runPlainSqlite(path, {QStringLiteral("CREATE TABLE t (x)"),
                                      QStringLiteral("PRAGMA application_id = %1").arg(schema::kApplicationId)}));
    } else {
        QFAIL("unknown kind");
    }
    QVERIFY(!QFileInfo::exists(path + QStringLiteral("-wal")));
    const QByteArray hashBefore = fileHash(path);
    const qint64 sizeBefore = QFileInfo(path).size();

    const Status header = Workspace::checkHeader(path);
    QVERIFY(!header.ok());
    QVERIFY2(header.error().contains(expected), qPrintable(header.error()));

    auto ws = Workspace::open(path);
    QVERIFY(!ws.ok());
    QVERIFY2(ws.error().contains(expected), qPrintable(ws.error()));
    QVERIFY2(ws.error().contains(QStringLiteral("subject.ecotone")), qPrintable(ws.error()));

    // Opening as "create if missing" must refuse an existing file just the same.
    Workspace::Options create;
    create.createIfMissing = true;
    auto ws2 = Workspace::open(path, create);
    if (kind != QLatin1String("empty")) {
        QVERIFY(!ws2.ok());
        QVERIFY2(ws2.error().contains(expected), qPrintable(ws2.error()));
    } else {
        // An empty file is what a "save as" dialog leaves behind: createIfMissing may turn it into a workspace.
        QVERIFY2(ws2.ok(), qPrintable(ws2.error()));
        return;
    }

    QCOMPARE(QFileInfo(path).size(), sizeBefore);
    QCOMPARE(fileHash(path), hashBefore);
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{QStringLiteral("subject.ecotone")});
}

void TestWorkspace::migrationKeepsDataAndBackup()
{
    TempDir dir;
    const QString path = dir.file(QStringLiteral("old.ecotone"));
    QString deviceId;
    {
        Workspace::Options v1 = optionsV1();
        v1.createIfMissing = true;
        auto ws = Workspace::open(path, v1);
        QVERIFY2(ws.ok(), qPrintable(ws.error()));
        QCOMPARE(ws.value()->schemaVersion(), 1);
        deviceId = ws.value()->deviceId();
        QVERIFY(addPartners(*ws.value(), 20));
    }
    const QByteArray v1Hash = fileHash(path);

    Workspace::Options v2 = optionsV1();
    v2.migrations.push_back(step2AddsNotes());
    QString backup;
    {
        auto ws = Workspace::open(path, v2);
        QVERIFY2(ws.ok(), qPrintable(ws.error()));
        Workspace &w = *ws.value();
        QCOMPARE(w.schemaVersion(), 2);
        QCOMPARE(scalar(w, QStringLiteral("PRAGMA user_version")).toInt(), 2);
        QCOMPARE(scalar(w, QStringLiteral("PRAGMA application_id")).toInt(), schema::kApplicationId);
        QVERIFY(hasColumn(w, QStringLiteral("organizations"), QStringLiteral("notes")));
        QVERIFY(hasTable(w, QStringLiteral("tags")));
        QCOMPARE(rowCount(w, QStringLiteral("organizations")), 20);
        QCOMPARE(rowCount(w, QStringLiteral("journal")), 20);
        QCOMPARE(partnerNames(w).first(), QStringLiteral("Partner0"));
        QCOMPARE(w.deviceId(), deviceId);
        backup = w.backupPath();
        QCOMPARE(backup, path + QStringLiteral(".v1.bak"));
    }
    // The header on disk says version 2 now, not only the WAL.
    int version = 0;
    QVERIFY(Workspace::checkHeader(path, 2, &version).ok());
    QCOMPARE(version, 2);

    // The backup is a byte copy of the version 1 file.
    QVERIFY(QFileInfo::exists(backup));
    QCOMPARE(fileHash(backup), v1Hash);
    QVERIFY(Workspace::checkHeader(backup, 1, &version).ok());
    QCOMPARE(version, 1);
    {
        auto old = Workspace::open(backup, optionsV1());
        QVERIFY2(old.ok(), qPrintable(old.error()));
        QCOMPARE(old.value()->schemaVersion(), 1);
        QCOMPARE(rowCount(*old.value(), QStringLiteral("organizations")), 20);
        QVERIFY(!hasColumn(*old.value(), QStringLiteral("organizations"), QStringLiteral("notes")));
        QVERIFY(old.value()->backupPath().isEmpty());
    }

    // The migrated file cannot be opened by a build that only knows version 1.
    const QByteArray v2Hash = fileHash(path);
    auto tooNew = Workspace::open(path, optionsV1());
    QVERIFY(!tooNew.ok());
    QVERIFY2(tooNew.error().contains(QStringLiteral("newer")), qPrintable(tooNew.error()));
    QCOMPARE(fileHash(path), v2Hash);

    // Reopening at version 2 migrates nothing and makes no new backup.
    auto again = Workspace::open(path, v2);
    QVERIFY2(again.ok(), qPrintable(again.error()));
    QVERIFY(again.value()->backupPath().isEmpty());
}

void TestWorkspace::migrationFailureLeavesFileAtOldVersion()
{
    TempDir dir;
    const QString path = dir.file(QStringLiteral("old.ecotone"));
    {
        Workspace::Options v1 = optionsV1();
        v1.createIfMissing = true;
        auto ws = Workspace::open(path, v1);
        QVERIFY2(ws.ok(), qPrintable(ws.error()));
        QVERIFY(addPartners(*ws.value(), 10));
    }

    // Step 2 changes the schema and data, then fails: none of it may stay.
    Workspace::Options failing = optionsV1();
    failing.migrations.push_back({2, QStringLiteral("half a change"), [](QSqlDatabase &db) -> Status {
                                      QSqlQuery q(db);
                                      if (!q.exec(QStringLiteral("CREATE TABLE half (x)")) ||
                                          !q.exec(QStringLiteral("DELETE FROM organizations")))
                                          return Error{QStringLiteral("setup failed")};
                                      return Error{QStringLiteral("disk on fire")};
                                  }});
    auto ws = Workspace::open(path, failing);
    QVERIFY(!ws.ok());
    QVERIFY2(ws.error().contains(QStringLiteral("disk on fire")), qPrintable(ws.error()));
    QVERIFY2(ws.error().contains(QStringLiteral("half a change")), qPrintable(ws.error()));
    QVERIFY2(ws.error().contains(QStringLiteral("2")), qPrintable(ws.error()));

    int version = 0;
    QVERIFY(Workspace::checkHeader(path, 2, &version).ok());
    QCOMPARE(version, 1);
    {
        auto old = Workspace::open(path, optionsV1());
        QVERIFY2(old.ok(), qPrintable(old.error()));
        QCOMPARE(old.value()->schemaVersion(), 1);
        QCOMPARE(rowCount(*old.value(), QStringLiteral("organizations")), 10);
        QCOMPARE(rowCount(*old.value(), QStringLiteral("journal")), 10);
        QVERIFY(!hasTable(*old.value(), QStringLiteral("half")));
    }

    // A later, working upgrade succeeds and keeps its own backup next to the first attempt's.
    Workspace::Options v2 = optionsV1();
    v2.migrations.push_back(step2AddsNotes());
    auto upgraded = Workspace::open(path, v2);
    QVERIFY2(upgraded.ok(), qPrintable(upgraded.error()));
    QCOMPARE(upgraded.value()->schemaVersion(), 2);
    QCOMPARE(rowCount(*upgraded.value(), QStringLiteral("organizations")), 10);
    QVERIFY(!hasTable(*upgraded.value(), QStringLiteral("half")));
    QVERIFY(QFileInfo::exists(upgraded.value()->backupPath()));
}

void TestWorkspace::noMigrationsIsAnError()
{
    TempDir dir;
    Workspace::Options none;
    none.createIfMissing = true;
    none.migrations.clear();
    auto ws = Workspace::open(dir.file(QStringLiteral("x.ecotone")), none);
    QVERIFY(!ws.ok());
    QVERIFY(!QFileInfo::exists(dir.file(QStringLiteral("x.ecotone"))));
}

void TestWorkspace::nestedTransactions()
{
    TempDir dir;
    auto ws = createWorkspace(dir.file(QStringLiteral("tx.ecotone")));
    QVERIFY(ws);
    QVERIFY(ws->exec(QStringLiteral("CREATE TABLE t (x TEXT)")).ok());

    QVERIFY(ws->begin().ok());
    QCOMPARE(ws->transactionDepth(), 1);
    QVERIFY(ws->exec(QStringLiteral("INSERT INTO t VALUES ('outer')")).ok());
    QVERIFY(ws->begin().ok());
    QCOMPARE(ws->transactionDepth(), 2);
    QVERIFY(ws->exec(QStringLiteral("INSERT INTO t VALUES ('inner')")).ok());
    QVERIFY(ws->begin().ok());
    QCOMPARE(ws->transactionDepth(), 3);
    QVERIFY(ws->exec(QStringLiteral("INSERT INTO t VALUES ('innermost')")).ok());
    ws->rollback();
    QCOMPARE(ws->transactionDepth(), 2);
    QVERIFY(ws->commit().ok());
    QCOMPARE(ws->transactionDepth(), 1);
    QVERIFY(ws->commit().ok());
    QCOMPARE(ws->transactionDepth(), 0);

    QSqlQuery q(ws->db());
    QVERIFY(q.exec(QStringLiteral("SELECT group_concat(x, ',') FROM (SELECT x FROM t ORDER BY rowid)")));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("outer,inner"));

    // The plain case: an inner rollback keeps the outer transaction's work.
    QVERIFY(ws->begin().ok());
    QVERIFY(ws->exec(QStringLiteral("INSERT INTO t VALUES ('outer 2')")).ok());
    QVERIFY(ws->begin().ok());
    QVERIFY(ws->exec(QStringLiteral("INSERT INTO t VALUES ('inner 2')")).ok());
    ws->rollback();
    QVERIFY(ws->exec(QStringLiteral("INSERT INTO t VALUES ('outer 2b')")).ok());
    QVERIFY(ws->commit().ok());
    QVERIFY(q.exec(QStringLiteral("SELECT group_concat(x, ',') FROM (SELECT x FROM t ORDER BY rowid)")));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("outer,inner,outer 2,outer 2b"));
}

void TestWorkspace::innerCommitOuterRollback()
{
    TempDir dir;
    auto ws = createWorkspace(dir.file(QStringLiteral("tx.ecotone")));
    QVERIFY(ws);
    QVERIFY(ws->exec(QStringLiteral("CREATE TABLE t (x TEXT)")).ok());

    QVERIFY(ws->begin().ok());
    QVERIFY(ws->exec(QStringLiteral("INSERT INTO t VALUES ('outer')")).ok());
    QVERIFY(ws->begin().ok());
    QVERIFY(ws->exec(QStringLiteral("INSERT INTO t VALUES ('inner')")).ok());
    QVERIFY(ws->commit().ok());
    QCOMPARE(ws->transactionDepth(), 1);
    ws->rollback();
    QCOMPARE(ws->transactionDepth(), 0);
    QCOMPARE(rowCount(*ws, QStringLiteral("t")), 0);

    // Savepoint names are reused after a rollback: a second round works the same.
    QVERIFY(ws->begin().ok());
    QVERIFY(ws->begin().ok());
    QVERIFY(ws->exec(QStringLiteral("INSERT INTO t VALUES ('again')")).ok());
    QVERIFY(ws->commit().ok());
    QVERIFY(ws->commit().ok());
    QCOMPARE(rowCount(*ws, QStringLiteral("t")), 1);
}

void TestWorkspace::transactionRaii()
{
    TempDir dir;
    auto ws = createWorkspace(dir.file(QStringLiteral("tx.ecotone")));
    QVERIFY(ws);
    QVERIFY(ws->exec(QStringLiteral("CREATE TABLE t (x TEXT)")).ok());
    {
        Transaction tx(*ws);
        QVERIFY(tx.status().ok());
        QVERIFY(ws->exec(QStringLiteral("INSERT INTO t VALUES ('dropped')")).ok());
        QCOMPARE(ws->transactionDepth(), 1);
    }
    QCOMPARE(ws->transactionDepth(), 0);
    QCOMPARE(rowCount(*ws, QStringLiteral("t")), 0);
    {
        Transaction tx(*ws);
        QVERIFY(ws->exec(QStringLiteral("INSERT INTO t VALUES ('kept')")).ok());
        {
            Transaction inner(*ws);
            QCOMPARE(ws->transactionDepth(), 2);
            QVERIFY(ws->exec(QStringLiteral("INSERT INTO t VALUES ('inner dropped')")).ok());
        }
        QCOMPARE(ws->transactionDepth(), 1);
        QVERIFY(tx.commit().ok());
        QCOMPARE(ws->transactionDepth(), 0);
        const Status twice = tx.commit();
        QVERIFY(!twice.ok());
    }
    QCOMPARE(rowCount(*ws, QStringLiteral("t")), 1);
    QCOMPARE(scalar(*ws, QStringLiteral("SELECT x FROM t")).toString(), QStringLiteral("kept"));
}

void TestWorkspace::commitWithoutTransaction()
{
    TempDir dir;
    auto ws = createWorkspace(dir.file(QStringLiteral("tx.ecotone")));
    QVERIFY(ws);
    const Status s = ws->commit();
    QVERIFY(!s.ok());
    QVERIFY(!s.error().isEmpty());
    ws->rollback(); // harmless without a transaction
    QCOMPARE(ws->transactionDepth(), 0);
}

QTEST_GUILESS_MAIN(TestWorkspace)
#include "TestWorkspace.moc"
