// Crash safety of the client (issue 7): `ecotone sync` is killed with SIGKILL at random points of a sync, at
// least 200 times, against a real ecotone-server on loopback. After every kill the workspace passes
// PRAGMA integrity_check and still holds every edit committed before the sync; at the end a clean sync of each
// workspace converges and a second workspace has every acknowledged edit.
// ECOTONE_CRASH_RUNS overrides the number of kill rounds; ECOTONE_CRASH_SEED replays one random sequence.
#include "TestSupport.h"

#include "store/Repositories.h"
#include "store/Workspace.h"
#include "sync/HttpTransport.h"

#include <QElapsedTimer>
#include <QHash>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QTest>
#include <QThread>

#include <algorithm>
#include <csignal>
#include <sys/types.h>

using namespace ecotone;

namespace {

const QString kPassword = QStringLiteral("crash test passphrase 2026");

QString integrity(const QString &path)
{
    auto ws = Workspace::open(path);
    if (!ws)
        return QStringLiteral("open failed: ") + ws.error();
    QSqlQuery q(ws.value()->db());
    if (!q.exec(QStringLiteral("PRAGMA integrity_check")) || !q.next())
        return QStringLiteral("integrity_check did not run");
    return q.value(0).toString();
}

QHash<QString, QString> accountNames(Workspace &ws)
{
    QHash<QString, QString> out;
    QSqlQuery q(ws.db());
    q.exec(QStringLiteral("SELECT id, name FROM accounts"));
    while (q.next())
        out.insert(q.value(0).toString(), q.value(1).toString());
    return out;
}

} // namespace

class TestSyncCrash : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void killedClientsNeverCorruptOrLoseEdits();

private:
    // Starts `ecotone sync` on a workspace; kills it after delayMs unless it finished. True when it was killed.
    bool syncAndKill(const QString &workspace, int delayMs, int *exitCode, qint64 *elapsedMs);
    int fullSync(const QString &workspace, QByteArray *err);

    test::TempDir m_dir;
    QProcess m_server;
    QString m_url;
    QString m_vendorId;
};

void TestSyncCrash::initTestCase()
{
    const QString serverBinary = qEnvironmentVariable("ECOTONE_SERVER_BINARY");
    QVERIFY2(!serverBinary.isEmpty(), "ECOTONE_SERVER_BINARY is not set");
    QVERIFY2(!qEnvironmentVariable("ECOTONE_BINARY").isEmpty(), "ECOTONE_BINARY is not set");
    const QString database = QStringLiteral("sqlite:") + m_dir.file(QStringLiteral("server.sqlite"));
    QProcess add;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("ECOTONE_SERVER_PASSWORD"), kPassword);
    add.setProcessEnvironment(env);
    add.start(serverBinary,
              {QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("--database"), database,
               QStringLiteral("--organization"), QStringLiteral("Crash Vendor"), QStringLiteral("--username"),
               QStringLiteral("crash"), QStringLiteral("--role"), QStringLiteral("vendor_admin")});
    QVERIFY(add.waitForFinished(60000));
    QVERIFY2(add.exitCode() == 0, add.readAllStandardError().constData());

    m_server.setProcessChannelMode(QProcess::SeparateChannels);
    m_server.start(serverBinary,
                   {QStringLiteral("--database"), database, QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")});
    QVERIFY(m_server.waitForStarted(10000));
    static const QRegularExpression listening(QStringLiteral("listening on (http://[0-9.]+:[0-9]+)"));
    QString printed;
    for (int i = 0; i < 100 && m_url.isEmpty(); ++i) {
        m_server.waitForReadyRead(100);
        printed += QString::fromUtf8(m_server.readAllStandardOutput());
        const auto m = listening.match(printed);
        if (m.hasMatch())
            m_url = m.captured(1);
    }
    QVERIFY2(!m_url.isEmpty(), qPrintable(printed + QString::fromUtf8(m_server.readAllStandardError())));

    sync::HttpTransport transport(QUrl(m_url), QStringLiteral("crash"), kPassword);
    const Status signedIn = transport.signIn();
    QVERIFY2(signedIn.ok(), qPrintable(signedIn.error()));
    const sync::TransportReply me = transport.request("GET", QStringLiteral("/api/v1/me"), {});
    m_vendorId = me.body.value(QLatin1String("organization")).toObject().value(QLatin1String("id")).toString();
    QVERIFY(!m_vendorId.isEmpty());
}

void TestSyncCrash::cleanupTestCase()
{
    m_server.kill();
    m_server.waitForFinished(5000);
}

bool TestSyncCrash::syncAndKill(const QString &workspace, int delayMs, int *exitCode, qint64 *elapsedMs)
{
    QElapsedTimer timer;
    timer.start();
    QProcess sync;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("ECOTONE_SYNC_PASSWORD"), kPassword);
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    sync.setProcessEnvironment(env);
    sync.start(qEnvironmentVariable("ECOTONE_BINARY"),
               {QStringLiteral("sync"), QStringLiteral("--workspace"), workspace, QStringLiteral("--server"), m_url,
                QStringLiteral("--user"), QStringLiteral("crash")});
    if (!sync.waitForStarted(10000))
        return false;
    if (sync.waitForFinished(delayMs)) {
        *exitCode = sync.exitCode();
        *elapsedMs = timer.elapsed();
        return false;
    }
    ::kill(pid_t(sync.processId()), SIGKILL); // QProcess::kill() is SIGKILL too; be explicit about what we test
    sync.waitForFinished(10000);
    *exitCode = -9;
    return true;
}

int TestSyncCrash::fullSync(const QString &workspace, QByteArray *err)
{
    QProcess sync;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("ECOTONE_SYNC_PASSWORD"), kPassword);
    sync.setProcessEnvironment(env);
    sync.start(qEnvironmentVariable("ECOTONE_BINARY"),
               {QStringLiteral("sync"), QStringLiteral("--workspace"), workspace, QStringLiteral("--server"), m_url,
                QStringLiteral("--user"), QStringLiteral("crash")});
    if (!sync.waitForFinished(120000))
        return -1;
    *err = sync.readAllStandardError() + sync.readAllStandardOutput();
    return sync.exitStatus() == QProcess::NormalExit ? sync.exitCode() : -2;
}

void TestSyncCrash::killedClientsNeverCorruptOrLoseEdits()
{
    const int runs =
        qEnvironmentVariableIsSet("ECOTONE_CRASH_RUNS") ? qEnvironmentVariableIntValue("ECOTONE_CRASH_RUNS") : 200;
    const quint32 seed = qEnvironmentVariableIsSet("ECOTONE_CRASH_SEED")
                             ? quint32(qEnvironmentVariableIntValue("ECOTONE_CRASH_SEED"))
                             : QRandomGenerator::global()->generate();
    qInfo("seed=%u (replay with ECOTONE_CRASH_SEED=%u)", seed, seed);
    QRandomGenerator random(seed);

    // The writer owns 3,000 accounts, so a first sync pushes several batches and a reader pulls several pages.
    const QString writerPath = m_dir.file(QStringLiteral("writer.ecotone"));
    const QString readerPath = m_dir.file(QStringLiteral("reader.ecotone"));
    QHash<QString, QString> expected; // account id -> the last name committed in the writer
    {
        auto writer = test::createWorkspace(writerPath);
        QVERIFY(writer);
        Organization vendor;
        vendor.id = m_vendorId;
        vendor.kind = OrganizationKind::Vendor;
        vendor.name = QStringLiteral("Crash Vendor");
        QVERIFY(OrganizationRepository(*writer).insert(vendor).ok());
        QList<Account> accounts;
        for (int i = 0; i < 3000; ++i) {
            Account a;
            a.ownerId = m_vendorId;
            a.name = QStringLiteral("Account %1").arg(i);
            a.website = QStringLiteral("https://a%1.example.org").arg(i);
            a.status = AccountStatus::Customer;
            accounts.append(a);
        }
        QVERIFY(AccountRepository(*writer).insertMany(accounts).ok());
        expected = accountNames(*writer);
        QVERIFY(test::createWorkspace(readerPath));
    }
    const QStringList ids = expected.keys();

    // How long an uninterrupted sync of this size takes: the kills land anywhere in 0..1.3 times that.
    int exitCode = 0;
    QElapsedTimer calibration;
    calibration.start();
    QByteArray err;
    QCOMPARE(fullSync(readerPath, &err), 0); // an empty pull: start-up and sign-in only
    const int startupMs = int(calibration.elapsed());

    // Kills land in the sync's work, after most of the start-up (process, Qt, sign-in): the window is learnt from
    // the syncs that finish before their kill time.
    int kills = 0, finished = 0, run = 0;
    qint64 workMs = 1500;
    for (; kills < runs && run < runs * 4; ++run) {
        // Edits committed locally before the sync: "acknowledged" to the user, never to be lost.
        {
            auto writer = Workspace::open(writerPath);
            QVERIFY2(writer, qPrintable(writer ? QString() : writer.error()));
            AccountRepository repo(*writer.value());
            Transaction tx(*writer.value());
            const int edits = 1 + int(random.bounded(run % 10 == 0 ? 2500 : 400));
            for (int i = 0; i < edits; ++i) {
                const QString id = ids.at(random.bounded(int(ids.size())));
                auto found = repo.find(id);
                QVERIFY(found);
                Account a = found.value();
                a.name = QStringLiteral("run %1 edit %2").arg(run).arg(i);
                QVERIFY(repo.update(a).ok());
                expected.insert(id, a.name);
            }
            QVERIFY(tx.commit().ok());
        }
        const bool reader = run % 3 == 2;
        const QString path = reader ? readerPath : writerPath;
        const int delay = startupMs * 3 / 4 + int(random.bounded(int(workMs) + 1));
        qint64 elapsed = 0;
        if (syncAndKill(path, delay, &exitCode, &elapsed)) {
            ++kills;
        } else {
            ++finished;
            QVERIFY2(exitCode == 0, qPrintable(QStringLiteral("run %1: sync exited with %2").arg(run).arg(exitCode)));
            workMs = std::max<qint64>(50, (workMs + (elapsed - startupMs * 3 / 4)) / 2);
        }
        const QString check = integrity(path);
        QVERIFY2(check == QLatin1String("ok"),
                 qPrintable(QStringLiteral("run %1 (%2, seed %3): %4")
                                .arg(run)
                                .arg(reader ? QStringLiteral("reader") : QStringLiteral("writer"))
                                .arg(seed)
                                .arg(check)));
        if (!reader) {
            auto writer = Workspace::open(writerPath);
            QVERIFY(writer);
            const auto names = accountNames(*writer.value());
            QCOMPARE(names.size(), expected.size());
            for (auto it = expected.cbegin(); it != expected.cend(); ++it)
                QVERIFY2(names.value(it.key()) == it.value(),
                         qPrintable(QStringLiteral("run %1 (seed %2): account %3 is \"%4\", the committed edit was "
                                                   "\"%5\"")
                                        .arg(run)
                                        .arg(seed)
                                        .arg(it.key(), names.value(it.key()), it.value())));
        }
    }
    qInfo("%d kills in %d syncs (%d finished before their kill time), start-up %d ms", kills, run, finished, startupMs);
    QVERIFY2(kills >= runs, "the test must really kill a running sync as often as asked");

    // Converge: the writer pushes what is left, the reader pulls it all.
    QCOMPARE(fullSync(writerPath, &err), 0);
    QCOMPARE(fullSync(readerPath, &err), 0);
    auto reader = Workspace::open(readerPath);
    QVERIFY(reader);
    const auto names = accountNames(*reader.value());
    QCOMPARE(names.size(), expected.size());
    for (auto it = expected.cbegin(); it != expected.cend(); ++it)
        QVERIFY2(names.value(it.key()) == it.value(),
                 qPrintable(QStringLiteral("seed %1: the reader has \"%2\" for %3, the writer committed \"%4\"")
                                .arg(seed)
                                .arg(names.value(it.key()), it.key(), it.value())));
    QSqlQuery fk(reader.value()->db());
    QVERIFY(fk.exec(QStringLiteral("PRAGMA foreign_key_check")));
    QVERIFY2(!fk.next(), "the reader has rows whose parent is missing");
}

QTEST_GUILESS_MAIN(TestSyncCrash)
#include "TestSyncCrash.moc"
