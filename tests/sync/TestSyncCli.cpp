// `ecotone sync` against a real ecotone-server process on loopback: two workspaces converge, a concurrent edit is
// listed and resolved from the command line, a wrong password fails clearly.
#include "SyncTestSupport.h"
#include "TestSupport.h"

#include "store/Workspace.h"
#include "sync/HttpTransport.h"

#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

using namespace ecotone;
using namespace ecotone::test;

namespace {
const QString kVendor = QStringLiteral("00000000-0000-7000-8000-00000000abcd");
const QString kPassword = QStringLiteral("correct horse battery staple");

bool serverCommand(const QStringList &args, QString *error)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("ECOTONE_SERVER_PASSWORD"), kPassword);
    p.setProcessEnvironment(env);
    p.start(qEnvironmentVariable("ECOTONE_SERVER_BINARY"), args);
    if (!p.waitForFinished(60000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        *error = QString::fromUtf8(p.readAllStandardError());
        return false;
    }
    return true;
}

CliRun runCli(const QStringList &args, const QByteArray &stdinText = {})
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    env.remove(QStringLiteral("QT_QPA_PLATFORM"));
    if (stdinText.isEmpty())
        env.insert(QStringLiteral("ECOTONE_SYNC_PASSWORD"), kPassword);
    else
        env.remove(QStringLiteral("ECOTONE_SYNC_PASSWORD"));
    p.setProcessEnvironment(env);
    p.start(qEnvironmentVariable("ECOTONE_BINARY"), args);
    if (!stdinText.isEmpty()) {
        p.write(stdinText);
        p.closeWriteChannel();
    }
    if (!p.waitForFinished(120000))
        return {};
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

struct Writers
{
    std::unique_ptr<TableWriter> accounts;
};
} // namespace

class TestSyncCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!qEnvironmentVariable("ECOTONE_BINARY").isEmpty(), "ECOTONE_BINARY is not set");
        QVERIFY2(!qEnvironmentVariable("ECOTONE_SERVER_BINARY").isEmpty(), "ECOTONE_SERVER_BINARY is not set");
        const QString database = QStringLiteral("sqlite:") + m_dir.file(QStringLiteral("server.sqlite"));
        QString error;
        QVERIFY2(serverCommand({QStringLiteral("org"), QStringLiteral("add"), QStringLiteral("--database"), database,
                                QStringLiteral("--id"), kVendor, QStringLiteral("--name"), QStringLiteral("Vendor"),
                                QStringLiteral("--kind"), QStringLiteral("vendor")},
                               &error),
                 qPrintable(error));
        QVERIFY2(serverCommand({QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("--database"), database,
                                QStringLiteral("--organization-id"), kVendor, QStringLiteral("--username"),
                                QStringLiteral("ada"), QStringLiteral("--role"), QStringLiteral("vendor_admin")},
                               &error),
                 qPrintable(error));
        m_server.start(
            qEnvironmentVariable("ECOTONE_SERVER_BINARY"),
            {QStringLiteral("--database"), database, QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")});
        QVERIFY(m_server.waitForStarted(30000));
        static const QRegularExpression listening(QStringLiteral("listening on (https?://[^ ]+:\\d+) "));
        QByteArray out;
        for (int i = 0; i < 300 && m_url.isEmpty(); ++i) {
            m_server.waitForReadyRead(100);
            out += m_server.readAllStandardOutput();
            const auto match = listening.match(QString::fromUtf8(out));
            if (match.hasMatch())
                m_url = match.captured(1);
        }
        QVERIFY2(!m_url.isEmpty(), out.constData());
    }

    void cleanupTestCase()
    {
        if (m_server.state() != QProcess::NotRunning) {
            m_server.kill();
            m_server.waitForFinished(10000);
        }
    }

    void twoWorkspacesConverge()
    {
        const QString a = m_dir.file(QStringLiteral("a.ecotone"));
        const QString b = m_dir.file(QStringLiteral("b.ecotone"));
        QString acme;
        {
            auto ws = createWorkspace(a);
            QVERIFY(ws);
            TableWriter orgs(*ws, QStringLiteral("organizations"), organizationColumns());
            QVERIFY(orgs.insert(kVendor, {QStringLiteral("vendor"), QStringLiteral("Vendor"), QStringLiteral("[]"),
                                          QString(), QStringLiteral("[]"), QStringLiteral("[]"), QStringLiteral("[]"),
                                          QString(), QString(), QString(), QStringLiteral("active"), QString()})
                        .ok());
            TableWriter accounts(*ws, QStringLiteral("accounts"), accountColumns());
            for (int i = 0; i < 30; ++i) {
                const QString id = ws->ids().next();
                if (i == 0)
                    acme = id;
                QVERIFY(
                    accounts
                        .insert(id, {kVendor, QStringLiteral("Account %1").arg(i), QString(), QString(),
                                     QStringLiteral("DE"), QString(), QStringLiteral("customer"), QString(), QString()})
                        .ok());
            }
        }
        QVERIFY(createWorkspace(b));

        const CliRun first =
            runCli({QStringLiteral("sync"), QStringLiteral("--workspace"), a, QStringLiteral("--server"), m_url,
                    QStringLiteral("--user"), QStringLiteral("ada")});
        QVERIFY2(first.exitCode == 0, first.err.constData());
        QVERIFY2(first.out.contains("pushed 31"), first.out.constData());
        // The password from stdin this time.
        const CliRun second =
            runCli({QStringLiteral("sync"), QStringLiteral("--workspace"), b, QStringLiteral("--server"), m_url,
                    QStringLiteral("--user"), QStringLiteral("ada"), QStringLiteral("--password-stdin")},
                   kPassword.toUtf8() + '\n');
        QVERIFY2(second.exitCode == 0, second.err.constData());
        QVERIFY2(second.out.contains("pulled 31"), second.out.constData());

        // An edit on B travels to A; both remember server and user.
        {
            auto ws = Workspace::open(b);
            QVERIFY(ws.ok());
            TableWriter accounts(*ws.value(), QStringLiteral("accounts"), accountColumns());
            const QStringList before = rowValues(*ws.value(), accounts, acme);
            QVERIFY(!before.isEmpty());
            QStringList after = before;
            after[1] = QStringLiteral("Acme from B");
            QVERIFY(accounts.update(acme, before, after).ok());
        }
        QCOMPARE(runCli({QStringLiteral("sync"), QStringLiteral("--workspace"), b}).exitCode, 0);
        const CliRun back = runCli({QStringLiteral("sync"), QStringLiteral("--workspace"), a});
        QVERIFY2(back.exitCode == 0, back.err.constData());

        // A concurrent edit of one field: listed by sync conflicts, settled by sync resolve.
        for (const auto &[path, name] :
             {std::pair{a, QStringLiteral("Acme A")}, std::pair{b, QStringLiteral("Acme B")}}) {
            auto ws = Workspace::open(path);
            QVERIFY(ws.ok());
            TableWriter accounts(*ws.value(), QStringLiteral("accounts"), accountColumns());
            const QStringList before = rowValues(*ws.value(), accounts, acme);
            QCOMPARE(before.at(1), QStringLiteral("Acme from B"));
            QStringList after = before;
            after[1] = name;
            QVERIFY(accounts.update(acme, before, after).ok());
            QTest::qWait(3);
        }
        QCOMPARE(runCli({QStringLiteral("sync"), QStringLiteral("--workspace"), a}).exitCode, 0);
        const CliRun withConflict = runCli({QStringLiteral("sync"), QStringLiteral("--workspace"), b});
        QCOMPARE(withConflict.exitCode, 0);
        QVERIFY2(withConflict.out.contains("Open conflicts: 1 "), withConflict.out.constData());
        const CliRun list = runCli({QStringLiteral("sync"), QStringLiteral("conflicts"), QStringLiteral("--workspace"),
                                    b, QStringLiteral("--json")});
        QCOMPARE(list.exitCode, 0);
        const QJsonArray conflicts =
            QJsonDocument::fromJson(list.out).object().value(QLatin1String("conflicts")).toArray();
        QCOMPARE(conflicts.size(), 1);
        const QJsonObject c = conflicts.first().toObject();
        QCOMPARE(c.value(QLatin1String("kind")).toString(), QStringLiteral("edit"));
        QCOMPARE(c.value(QLatin1String("field")).toString(), QStringLiteral("name"));
        QCOMPARE(c.value(QLatin1String("mine")).toString(), QStringLiteral("Acme B"));
        QCOMPARE(c.value(QLatin1String("theirs")).toString(), QStringLiteral("Acme A"));
        const CliRun resolved =
            runCli({QStringLiteral("sync"), QStringLiteral("resolve"), QStringLiteral("--workspace"), b,
                    QStringLiteral("--conflict"), QString::number(c.value(QLatin1String("id")).toInteger()),
                    QStringLiteral("--theirs")});
        QVERIFY2(resolved.exitCode == 0, resolved.err.constData());
        QCOMPARE(runCli({QStringLiteral("sync"), QStringLiteral("--workspace"), b}).exitCode, 0);
        QCOMPARE(runCli({QStringLiteral("sync"), QStringLiteral("--workspace"), a}).exitCode, 0);

        auto wa = Workspace::open(a);
        auto wb = Workspace::open(b);
        QVERIFY(wa.ok() && wb.ok());
        for (const QString &table : {QStringLiteral("organizations"), QStringLiteral("accounts")})
            QCOMPARE(tableDump(*wb.value(), table), tableDump(*wa.value(), table));
        QCOMPARE(scalar(*wa.value(), QStringLiteral("SELECT name FROM accounts WHERE id = '%1'").arg(acme)).toString(),
                 QStringLiteral("Acme A"));
        wa.value().reset();
        wb.value().reset();

        const CliRun st = runCli({QStringLiteral("sync"), QStringLiteral("status"), QStringLiteral("--workspace"), b,
                                  QStringLiteral("--json")});
        QCOMPARE(st.exitCode, 0);
        const QJsonObject status = QJsonDocument::fromJson(st.out).object();
        QCOMPARE(status.value(QLatin1String("pending")).toInteger(), 0);
        QCOMPARE(status.value(QLatin1String("conflicts")).toInteger(), 0);
        QCOMPARE(status.value(QLatin1String("server")).toString(), m_url);
        QCOMPARE(status.value(QLatin1String("user")).toString(), QStringLiteral("ada"));
        QVERIFY(!status.value(QLatin1String("last_sync")).toString().isEmpty());
    }

    void wrongPasswordFailsClearly()
    {
        const QString c = m_dir.file(QStringLiteral("c.ecotone"));
        QVERIFY(createWorkspace(c));
        const CliRun r =
            runCli({QStringLiteral("sync"), QStringLiteral("--workspace"), c, QStringLiteral("--server"), m_url,
                    QStringLiteral("--user"), QStringLiteral("ada"), QStringLiteral("--password-stdin")},
                   "not the password\n");
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains("wrong user name or password"), r.err.constData());
        QVERIFY2(r.err.contains(m_url.toUtf8()), r.err.constData());
        QVERIFY2(r.err.contains("401"), r.err.constData());
        // An unreachable server is named too.
        const CliRun down =
            runCli({QStringLiteral("sync"), QStringLiteral("--workspace"), c, QStringLiteral("--server"),
                    QStringLiteral("http://127.0.0.1:1"), QStringLiteral("--user"), QStringLiteral("ada")});
        QVERIFY(down.exitCode != 0);
        QVERIFY2(down.err.contains("127.0.0.1:1"), down.err.constData());
        // Nothing to sync with: a usage error.
        const QString d = m_dir.file(QStringLiteral("d.ecotone"));
        QVERIFY(createWorkspace(d));
        QCOMPARE(runCli({QStringLiteral("sync"), QStringLiteral("--workspace"), d}).exitCode, 2);
    }

    // No password in the environment or on stdin: the keychain is asked (none on a headless machine, or no entry);
    // the answer says where a password can come from, and nothing is synced.
    void noPasswordNamesWhereOneComesFrom()
    {
        const QString e = m_dir.file(QStringLiteral("e.ecotone"));
        QVERIFY(createWorkspace(e));
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("DISPLAY"));
        env.remove(QStringLiteral("WAYLAND_DISPLAY"));
        env.remove(QStringLiteral("ECOTONE_SYNC_PASSWORD"));
        p.setProcessEnvironment(env);
        p.start(qEnvironmentVariable("ECOTONE_BINARY"),
                {QStringLiteral("sync"), QStringLiteral("--workspace"), e, QStringLiteral("--server"), m_url,
                 QStringLiteral("--user"), QStringLiteral("ada")});
        p.closeWriteChannel();
        QVERIFY(p.waitForFinished(60000));
        const QByteArray err = p.readAllStandardError();
        QCOMPARE(p.exitCode(), 2);
        QVERIFY2(err.contains("keychain") && err.contains("ECOTONE_SYNC_PASSWORD") && err.contains("--password-stdin"),
                 err.constData());
        auto ws = Workspace::open(e);
        QVERIFY(ws);
        QSqlQuery q(ws.value()->db());
        QVERIFY(q.exec(QStringLiteral("SELECT value FROM sync_state WHERE key = 'cursor'")));
        QVERIFY2(!q.next() || q.value(0).toLongLong() == 0, "nothing may be pulled without a password");
    }

    // A copy of a workspace (or a file from someone else) remembers a server and user; without the user naming
    // them, the keychain's password is not used for it, and the answer says how many changes would have gone.
    void copiedWorkspaceIsNotSyncedOnItsOwnSay()
    {
        const QString original = m_dir.file(QStringLiteral("original.ecotone"));
        const QString copy = m_dir.file(QStringLiteral("copy.ecotone"));
        QVERIFY(createWorkspace(original));
        const CliRun first =
            runCli({QStringLiteral("sync"), QStringLiteral("--workspace"), original, QStringLiteral("--server"), m_url,
                    QStringLiteral("--user"), QStringLiteral("ada")});
        QVERIFY2(first.exitCode == 0, first.err.constData());
        QVERIFY(QFile::copy(original, copy));
        auto noPassword = [](const QString &workspace) {
            QProcess p;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.remove(QStringLiteral("DISPLAY"));
            env.remove(QStringLiteral("WAYLAND_DISPLAY"));
            env.remove(QStringLiteral("ECOTONE_SYNC_PASSWORD"));
            p.setProcessEnvironment(env);
            p.start(qEnvironmentVariable("ECOTONE_BINARY"),
                    {QStringLiteral("sync"), QStringLiteral("--workspace"), workspace});
            p.closeWriteChannel();
            p.waitForFinished(60000);
            return std::make_pair(p.exitCode(), p.readAllStandardError());
        };
        const auto [copyCode, copyErr] = noPassword(copy);
        QCOMPARE(copyCode, 2);
        QVERIFY2(copyErr.contains("has not been synced as ada on this computer"), copyErr.constData());
        QVERIFY2(copyErr.contains("--server and --user"), copyErr.constData());
        // The original, synced from here before, goes on to the keychain (which has no password for it here).
        const auto [originalCode, originalErr] = noPassword(original);
        QCOMPARE(originalCode, 2);
        QVERIFY2(!originalErr.contains("has not been synced"), originalErr.constData());
        QVERIFY2(originalErr.contains("keychain"), originalErr.constData());
    }

    // Credentials never travel in the server address (they would be stored in the workspace and printed); plain
    // http to another machine is warned about.
    void serverAddressWithCredentialsIsRefused()
    {
        const QString w = m_dir.file(QStringLiteral("credentials.ecotone"));
        QVERIFY(createWorkspace(w));
        QString withSecret = m_url;
        withSecret.replace(QStringLiteral("http://"), QStringLiteral("http://ada:s3cret-in-url@"));
        const CliRun refused =
            runCli({QStringLiteral("sync"), QStringLiteral("--workspace"), w, QStringLiteral("--server"), withSecret,
                    QStringLiteral("--user"), QStringLiteral("ada")});
        QCOMPARE(refused.exitCode, 2);
        QVERIFY2(refused.err.contains("carries a user name or password"), refused.err.constData());
        QVERIFY2(!refused.err.contains("s3cret-in-url"), refused.err.constData());
        const CliRun status =
            runCli({QStringLiteral("sync"), QStringLiteral("status"), QStringLiteral("--workspace"), w});
        QCOMPARE(status.exitCode, 0);
        QVERIFY2(!status.out.contains("s3cret-in-url"), status.out.constData());
        QVERIFY2(status.out.contains("(none)"), status.out.constData()); // nothing was stored
        const CliRun remote =
            runCli({QStringLiteral("sync"), QStringLiteral("--workspace"), w, QStringLiteral("--server"),
                    QStringLiteral("http://sync.invalid:9"), QStringLiteral("--user"), QStringLiteral("ada")});
        QVERIFY2(remote.err.contains("plain http"), remote.err.constData());
    }

    void transportRenewsItsToken()
    {
        // A second server on the same database whose access tokens live one second.
        QProcess shortLived;
        shortLived.start(qEnvironmentVariable("ECOTONE_SERVER_BINARY"),
                         {QStringLiteral("--database"),
                          QStringLiteral("sqlite:") + m_dir.file(QStringLiteral("server.sqlite")),
                          QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                          QStringLiteral("--access-token-seconds"), QStringLiteral("1")});
        QVERIFY(shortLived.waitForStarted(30000));
        static const QRegularExpression listening(QStringLiteral("listening on (https?://[^ ]+:\\d+) "));
        QString url;
        QByteArray out;
        for (int i = 0; i < 300 && url.isEmpty(); ++i) {
            shortLived.waitForReadyRead(100);
            out += shortLived.readAllStandardOutput();
            const auto match = listening.match(QString::fromUtf8(out));
            if (match.hasMatch())
                url = match.captured(1);
        }
        QVERIFY2(!url.isEmpty(), out.constData());

        sync::HttpTransport wrong(QUrl(url), QStringLiteral("ada"), QStringLiteral("not the password"));
        const Status refused = wrong.signIn();
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().contains(QStringLiteral("wrong user name or password")), qPrintable(refused.error()));
        QVERIFY2(refused.error().contains(url), qPrintable(refused.error()));

        sync::HttpTransport transport(QUrl(url), QStringLiteral("ada"), kPassword);
        QVERIFY(transport.signIn().ok());
        const QString pull = QStringLiteral("/api/v1/sync/pull?since=0&limit=10");
        QCOMPARE(transport.request("GET", pull, {}).status, 200);
        QTest::qWait(1600); // the access token expires
        const sync::TransportReply again = transport.request("GET", pull, {});
        QCOMPARE(again.status, 200);
        QVERIFY(again.body.contains(QLatin1String("cursor")));
        QCOMPARE(transport.renewals(), 1);

        shortLived.kill();
        shortLived.waitForFinished(10000);
    }

private:
    TempDir m_dir;
    QProcess m_server;
    QString m_url;
};

QTEST_GUILESS_MAIN(TestSyncCli)
#include "TestSyncCli.moc"
