// The Sync pane in the real main window (offscreen) against a real ecotone-server process on loopback, with an
// in-memory credential store: a wrong password shows the error in words, the right one is stored, Sync now sends a
// local edit (checked by syncing a second workspace with the engine), conflicts between two workspaces land in
// the inbox and Keep mine / Take theirs / Edit… resolve them, the status bar follows (Offline, Online, Syncing…,
// N conflicts), the window keeps painting while a large sync runs, a second Sync now is ignored, and closing the
// workspace stops a sync at its next page. Screenshots under $ECOTONE_TEST_OUTPUT/screenshots.
#include "MainWindow.h"
#include "TestSupport.h"
#include "common/EmptyState.h"
#include "common/Theme.h"
#include "common/Translations.h"
#include "store/Repositories.h"
#include "store/Workspace.h"
#include "sync/ConflictEditDialog.h"
#include "sync/CredentialStore.h"
#include "sync/HttpTransport.h"
#include "sync/SyncEngine.h"
#include "sync/SyncPane.h"

#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSqlQuery>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableWidget>
#include <QTest>
#include <QTimer>

#include <qt6keychain/keychain.h>

#include <memory>

#ifdef Q_OS_LINUX
#include <csignal>
#include <sys/prctl.h>
#endif

using namespace ecotone;
using namespace ecotone::ui;

namespace {

const QString kPassword = QStringLiteral("correct-horse-battery");

// One ecotone-server process on a free loopback port; killed with the object.
class Server
{
public:
    ~Server()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.terminate();
            if (!m_process.waitForFinished(5000)) {
                m_process.kill();
                m_process.waitForFinished(5000);
            }
        }
    }

    QString start(const QString &database)
    {
        m_process.setProgram(qEnvironmentVariable("ECOTONE_SERVER_BINARY"));
        m_process.setArguments(
            {QStringLiteral("--database"), database, QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")});
#ifdef Q_OS_LINUX
        m_process.setChildProcessModifier([] { prctl(PR_SET_PDEATHSIG, SIGKILL); });
#endif
        m_process.start();
        if (!m_process.waitForStarted(10000))
            return QStringLiteral("cannot start the server: ") + m_process.errorString();
        QByteArray out;
        QElapsedTimer timer;
        timer.start();
        while (!out.contains("listening on http") && timer.elapsed() < 30000 &&
               m_process.state() == QProcess::Running) {
            m_process.waitForReadyRead(200);
            out += m_process.readAllStandardOutput();
        }
        static const QRegularExpression port(QStringLiteral("listening on https?://[^ ]+:(\\d+)"));
        const QRegularExpressionMatch match = port.match(QString::fromUtf8(out));
        if (!match.hasMatch())
            return QStringLiteral("the server did not start: ") + QString::fromUtf8(out) +
                   QString::fromUtf8(m_process.readAllStandardError());
        m_url = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(match.captured(1)));
        return {};
    }

    QUrl url() const
    {
        return m_url;
    }

private:
    QProcess m_process;
    QUrl m_url;
};

// ecotone-server's own command line, as an administrator would run it.
QString serverCommand(const QStringList &args, const QString &password = {})
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (!password.isEmpty())
        env.insert(QStringLiteral("ECOTONE_SERVER_PASSWORD"), password);
    process.setProcessEnvironment(env);
    process.start(qEnvironmentVariable("ECOTONE_SERVER_BINARY"), args);
    if (!process.waitForFinished(60000) || process.exitCode() != 0)
        return QStringLiteral("ecotone-server %1 failed: %2")
            .arg(args.join(QLatin1Char(' ')), QString::fromUtf8(process.readAllStandardError()));
    return {};
}

Organization partner(const QString &name)
{
    Organization org;
    org.kind = OrganizationKind::Partner;
    org.name = name;
    org.types = {PartnerType::Reseller};
    return org;
}

} // namespace

class TestSyncPane : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void signedOut();
    void wrongPassword();
    void signInStoresPassword();
    void syncNowSendsEdit();
    void conflictsKeepMineAndTakeTheirs();
    void conflictEdit();
    void staysResponsiveWhileSyncing();
    void closingStopsSync();
    void noKeychain();
    void passwordChangedOnServer();
    void copiedWorkspaceAsksBeforeSyncing();
    void serverGoneShowsOffline();
    void quarantineIsListed();
    void keychainErrorsRead();
    void systemKeychainAnswers();
    void cleanupTestCase();

private:
    void shoot(QWidget *widget, const QString &name);
    QString statusText() const { return m_window->syncStatusLabel()->text(); }
    Workspace &mine() { return *m_window->workspace(); }
    // Syncs workspace B with the engine, as another computer would.
    void syncOther();
    void waitSync(SyncPane *pane, bool expectOk = true);
    void renameIn(Workspace &ws, const QString &id, const QString &name);
    QString nameIn(Workspace &ws, const QString &id);
    template <typename T> T *find(const char *name)
    {
        T *w = m_window->findChild<T *>(QString::fromLatin1(name));
        if (!w)
            qWarning("no %s", name);
        return w;
    }

    test::TempDir m_dir;
    QString m_shots;
    QString m_pathA;
    QString m_vendorId;
    QString m_database;
    std::unique_ptr<Server> m_server;
    std::unique_ptr<MainWindow> m_window;
    MemoryCredentialStore *m_store = nullptr;
    std::unique_ptr<Workspace> m_other; // workspace B, synced as chanmgr
    QString m_partner1;
    QString m_partner2;
};

void TestSyncPane::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("EcotoneTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_syncpane"));
    QSettings().clear();
    theme::apply(QStringLiteral("light"));
    ecotone::ui::installTranslators(*qApp);
    QVERIFY2(QFile::exists(qEnvironmentVariable("ECOTONE_SERVER_BINARY")),
             "ECOTONE_SERVER_BINARY must name the ecotone-server executable");
    m_shots = QDir(test::outputDir()).filePath(QStringLiteral("screenshots"));
    QDir().mkpath(m_shots);

    // Workspace A: the vendor's, with its organization; the server gets the same organization id.
    m_pathA = m_dir.file(QStringLiteral("acme.ecotone"));
    {
        auto ws = test::createWorkspace(m_pathA);
        QVERIFY(ws);
        Organization vendor;
        vendor.kind = OrganizationKind::Vendor;
        vendor.name = QStringLiteral("Acme");
        OrganizationRepository repo(*ws);
        QVERIFY(repo.insert(vendor).ok());
        m_vendorId = vendor.id;
        Organization p1 = partner(QStringLiteral("Northwind Traders"));
        Organization p2 = partner(QStringLiteral("Contoso Cloud"));
        QVERIFY(repo.insert(p1).ok());
        QVERIFY(repo.insert(p2).ok());
        m_partner1 = p1.id;
        m_partner2 = p2.id;
    }
    const QString database = QStringLiteral("sqlite:") + m_dir.file(QStringLiteral("server.sqlite"));
    m_database = database;
    QString error = serverCommand({QStringLiteral("org"), QStringLiteral("add"), QStringLiteral("--database"), database,
                                   QStringLiteral("--id"), m_vendorId, QStringLiteral("--name"), QStringLiteral("Acme"),
                                   QStringLiteral("--kind"), QStringLiteral("vendor")});
    QVERIFY2(error.isEmpty(), qPrintable(error));
    for (const auto &[user, role] : {std::pair{QStringLiteral("vadmin"), QStringLiteral("vendor_admin")},
                                     std::pair{QStringLiteral("chanmgr"), QStringLiteral("channel_manager")}}) {
        error = serverCommand({QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("--database"), database,
                               QStringLiteral("--organization-id"), m_vendorId, QStringLiteral("--username"), user,
                               QStringLiteral("--role"), role},
                              kPassword);
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }
    m_server = std::make_unique<Server>();
    error = m_server->start(database);
    QVERIFY2(error.isEmpty(), qPrintable(error));

    m_other = test::createWorkspace(m_dir.file(QStringLiteral("other.ecotone")));
    QVERIFY(m_other);

    m_window = std::make_unique<MainWindow>();
    m_store = new MemoryCredentialStore;
    m_window->setCredentialStore(m_store);
    m_window->resize(1400, 860);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    const Status opened = m_window->openWorkspace(m_pathA);
    QVERIFY2(opened.ok(), qPrintable(opened.error()));
    m_window->showPane(QStringLiteral("sync"));
    QVERIFY(m_window->syncPane());
    QCOMPARE(m_window->currentPaneKey(), QStringLiteral("sync"));
}

void TestSyncPane::cleanupTestCase()
{
    m_window.reset();
    m_other.reset();
    m_server.reset();
}

void TestSyncPane::shoot(QWidget *widget, const QString &name)
{
    QApplication::processEvents();
    const QString file = QDir(m_shots).filePath(QStringLiteral("sync-") + name + QStringLiteral(".png"));
    QVERIFY2(widget->grab().save(file), qPrintable(file));
}

void TestSyncPane::syncOther()
{
    sync::HttpTransport transport(m_server->url(), QStringLiteral("chanmgr"), kPassword);
    sync::SyncEngine engine(*m_other, transport);
    auto report = engine.sync();
    QVERIFY2(report.ok(), qPrintable(report.error()));
}

void TestSyncPane::waitSync(SyncPane *pane, bool expectOk)
{
    QSignalSpy finished(pane, &SyncPane::syncFinished);
    if (pane->isSyncing())
        QVERIFY(finished.wait(60000));
    QVERIFY(!pane->isSyncing());
    if (!finished.isEmpty())
        QCOMPARE(finished.last().at(0).toBool(), expectOk);
}

void TestSyncPane::renameIn(Workspace &ws, const QString &id, const QString &name)
{
    OrganizationRepository repo(ws);
    auto org = repo.find(id);
    QVERIFY2(org.ok(), qPrintable(org.error()));
    Organization changed = org.value();
    changed.name = name;
    const Status s = repo.update(changed);
    QVERIFY2(s.ok(), qPrintable(s.error()));
}

QString TestSyncPane::nameIn(Workspace &ws, const QString &id)
{
    auto org = OrganizationRepository(ws).find(id);
    return org ? org->name : QString();
}

void TestSyncPane::signedOut()
{
    SyncPane *pane = m_window->syncPane();
    QSignalSpy loaded(pane, &SyncPane::credentialsLoaded);
    QVERIFY(loaded.count() > 0 || loaded.wait(5000));
    QVERIFY(!pane->isSignedIn());
    QCOMPARE(statusText(), QStringLiteral("Offline"));
    QVERIFY(!find<QPushButton>("syncNow")->isEnabled());
    QVERIFY(find<QLineEdit>("syncPassword")->isVisible());
    QVERIFY(!find<QLabel>("syncKeychainNote")->isVisible());
    QVERIFY(find<EmptyState>("conflictEmptyState")->isVisible());
    shoot(m_window.get(), QStringLiteral("signed-out"));
}

void TestSyncPane::wrongPassword()
{
    SyncPane *pane = m_window->syncPane();
    // Credentials in the address are refused before anything is sent (they would be stored and shown).
    find<QLineEdit>("syncServer")->setText(QStringLiteral("http://vadmin:secret@127.0.0.1:1"));
    find<QLineEdit>("syncUsername")->setText(QStringLiteral("vadmin"));
    find<QLineEdit>("syncPassword")->setText(kPassword);
    QTest::mouseClick(find<QPushButton>("syncSignIn"), Qt::LeftButton);
    QVERIFY(find<QLabel>("syncSignInError")->isVisible());
    QVERIFY2(find<QLabel>("syncSignInError")->text().startsWith(QLatin1String("Leave the user name and password out")),
             qPrintable(find<QLabel>("syncSignInError")->text()));
    QVERIFY(!pane->isSigningIn());
    // Nothing listens on port 1: the error says the server cannot be reached.
    find<QLineEdit>("syncServer")->setText(QStringLiteral("http://127.0.0.1:1"));
    find<QLineEdit>("syncUsername")->setText(QStringLiteral("vadmin"));
    find<QLineEdit>("syncPassword")->setText(kPassword);
    {
        QSignalSpy done(pane, &SyncPane::signInFinished);
        QTest::mouseClick(find<QPushButton>("syncSignIn"), Qt::LeftButton);
        QVERIFY(done.wait(30000));
        QCOMPARE(done.last().at(0).toBool(), false);
        QVERIFY2(find<QLabel>("syncSignInError")->text().startsWith(QLatin1String("Cannot reach the server 127.0.0.1")),
                 qPrintable(find<QLabel>("syncSignInError")->text()));
        QCOMPARE(statusText(), QStringLiteral("Offline"));
    }
    find<QLineEdit>("syncServer")->setText(m_server->url().toString());
    find<QLineEdit>("syncUsername")->setText(QStringLiteral("vadmin"));
    find<QLineEdit>("syncPassword")->setText(QStringLiteral("wrong-password"));
    QSignalSpy done(pane, &SyncPane::signInFinished);
    QTest::mouseClick(find<QPushButton>("syncSignIn"), Qt::LeftButton);
    QVERIFY(pane->isSigningIn());
    QVERIFY(done.wait(30000));
    QCOMPARE(done.last().at(0).toBool(), false);
    QLabel *error = find<QLabel>("syncSignInError");
    QVERIFY(error->isVisible());
    QCOMPARE(error->text(), QStringLiteral("The server did not accept this user name and password."));
    QVERIFY(!pane->isSignedIn());
    QVERIFY(m_store->entries().isEmpty());
    QCOMPARE(statusText(), QStringLiteral("Offline"));
    shoot(m_window.get(), QStringLiteral("wrong-password"));
}

void TestSyncPane::signInStoresPassword()
{
    SyncPane *pane = m_window->syncPane();
    find<QLineEdit>("syncPassword")->setText(kPassword);
    QSignalSpy done(pane, &SyncPane::signInFinished);
    QSignalSpy synced(pane, &SyncPane::syncFinished);
    QTest::mouseClick(find<QPushButton>("syncSignIn"), Qt::LeftButton);
    QVERIFY(done.wait(30000));
    QCOMPARE(done.last().at(0).toBool(), true);
    QVERIFY(pane->isSignedIn());
    QVERIFY(!find<QLabel>("syncSignInError")->isVisible());
    QTRY_COMPARE(m_store->password(m_server->url().toString(), QStringLiteral("vadmin")), kPassword);
    // The first sync starts by itself and sends what the workspace holds.
    QVERIFY(synced.count() > 0 || synced.wait(60000));
    QVERIFY2(synced.last().at(0).toBool(), qPrintable(find<QLabel>("syncResult")->text()));
    QCOMPARE(statusText(), QStringLiteral("Online"));
    QVERIFY(m_window->syncStatusLabel()->toolTip().contains(m_server->url().toString()));
    QVERIFY(find<QPushButton>("syncNow")->isEnabled());
    QVERIFY(!find<QLineEdit>("syncPassword")->isVisible());
    // Never in the workspace's settings.
    auto settings = sync::settings(mine());
    QVERIFY(settings.ok());
    QCOMPARE(settings->username, QStringLiteral("vadmin"));
    QSettings().sync();
    QFile settingsFile(QSettings().fileName());
    QVERIFY(!settingsFile.open(QIODevice::ReadOnly) || !settingsFile.readAll().contains(kPassword.toUtf8()));
    // Automatic sync is kept in the workspace with its interval.
    find<QSpinBox>("syncInterval")->setValue(15);
    find<QCheckBox>("syncAutomatic")->setChecked(true);
    QVERIFY(find<QSpinBox>("syncInterval")->isEnabled());
    settings = sync::settings(mine());
    QVERIFY(settings.ok());
    QVERIFY(settings->automatic);
    QCOMPARE(settings->intervalSeconds, 15 * 60);
    QCOMPARE(find<QLabel>("syncPhase")->text(),
             QStringLiteral("Idle; the next automatic sync runs within 15 minutes."));
    shoot(m_window.get(), QStringLiteral("signed-in"));
    shoot(m_window->statusBar(), QStringLiteral("statusbar-online"));
    find<QCheckBox>("syncAutomatic")->setChecked(false);
    QVERIFY(!sync::settings(mine())->automatic);
}

void TestSyncPane::syncNowSendsEdit()
{
    SyncPane *pane = m_window->syncPane();
    renameIn(mine(), m_partner1, QStringLiteral("Northwind Traders GmbH"));
    pane->reload();
    QCOMPARE(find<QLabel>("syncPending")->text(), QStringLiteral("1 change on this computer not sent yet."));
    QSignalSpy finished(pane, &SyncPane::syncFinished);
    QTest::mouseClick(find<QPushButton>("syncNow"), Qt::LeftButton);
    QVERIFY(pane->isSyncing());
    QCOMPARE(statusText(), QStringLiteral("Syncing…"));
    QVERIFY(finished.wait(60000));
    QVERIFY2(finished.last().at(0).toBool(), qPrintable(find<QLabel>("syncResult")->text()));
    QCOMPARE(find<QLabel>("syncPending")->text(), QStringLiteral("Every change on this computer has been sent."));
    QVERIFY2(find<QLabel>("syncResult")->text().contains(QLatin1String("1 change sent")),
             qPrintable(find<QLabel>("syncResult")->text()));
    QCOMPARE(statusText(), QStringLiteral("Online"));

    // Another computer sees it.
    syncOther();
    QCOMPARE(nameIn(*m_other, m_partner1), QStringLiteral("Northwind Traders GmbH"));
    QCOMPARE(nameIn(*m_other, m_partner2), QStringLiteral("Contoso Cloud"));
}

void TestSyncPane::conflictsKeepMineAndTakeTheirs()
{
    SyncPane *pane = m_window->syncPane();
    // Both computers change both partners' names; the other one syncs first.
    renameIn(*m_other, m_partner1, QStringLiteral("Northwind (theirs)"));
    renameIn(*m_other, m_partner2, QStringLiteral("Contoso (theirs)"));
    syncOther();
    renameIn(mine(), m_partner1, QStringLiteral("Northwind (mine)"));
    renameIn(mine(), m_partner2, QStringLiteral("Contoso (mine)"));
    QSignalSpy changed(pane, &SyncPane::dataChanged);
    pane->syncNow();
    waitSync(pane);
    QCOMPARE(changed.count(), 1); // the other computer's names arrived: the panes read again
    QCOMPARE(pane->conflictCount(), 2);
    QCOMPARE(statusText(), QStringLiteral("2 conflicts"));
    QVERIFY(m_window->syncStatusLabel()->toolTip().contains(QLatin1String("Last sync")));
    auto *table = find<QTableWidget>("conflictTable");
    QVERIFY(table->isVisible());
    QCOMPARE(table->rowCount(), 2);
    QStringList records;
    for (int row = 0; row < table->rowCount(); ++row) {
        records << table->item(row, 1)->text();
        QCOMPARE(table->item(row, 0)->text(), QStringLiteral("Organization"));
        QCOMPARE(table->item(row, 2)->text(), QStringLiteral("Name"));
        QVERIFY(table->item(row, 3)->text().contains(QLatin1String("(mine)")));
        QVERIFY(table->item(row, 4)->text().contains(QLatin1String("(theirs)")));
        QCOMPARE(table->item(row, 6)->text(), QStringLiteral("Both changed"));
    }
    QVERIFY(!find<EmptyState>("conflictEmptyState")->isVisible());
    table->selectRow(0);
    shoot(m_window.get(), QStringLiteral("conflicts"));
    shoot(m_window->statusBar(), QStringLiteral("statusbar-conflicts"));
    theme::apply(QStringLiteral("dark"));
    QTest::qWait(50);
    shoot(m_window.get(), QStringLiteral("conflicts-dark"));
    theme::apply(QStringLiteral("light"));
    QTest::qWait(50);

    // Clicking the status bar opens the pane.
    m_window->showPane(QStringLiteral("partners"));
    QTest::mouseClick(m_window->syncStatusLabel(), Qt::LeftButton);
    QCOMPARE(m_window->currentPaneKey(), QStringLiteral("sync"));

    // Keep mine for Northwind, take theirs for Contoso.
    for (const auto &[id, resolution] :
         {std::pair{m_partner1, QStringLiteral("mine")}, std::pair{m_partner2, QStringLiteral("theirs")}}) {
        int row = -1;
        for (int r = 0; r < table->rowCount(); ++r)
            if (pane->conflicts().at(r).rowId == id)
                row = r;
        QVERIFY(row >= 0);
        table->selectRow(row);
        auto *button =
            find<QPushButton>(resolution == QLatin1String("mine") ? "conflictKeepMine" : "conflictTakeTheirs");
        QVERIFY(button->isEnabled());
        QTest::mouseClick(button, Qt::LeftButton);
    }
    QCOMPARE(pane->conflictCount(), 0);
    QCOMPARE(table->rowCount(), 0);
    QVERIFY(find<EmptyState>("conflictEmptyState")->isVisible());
    QCOMPARE(nameIn(mine(), m_partner1), QStringLiteral("Northwind (mine)"));
    QCOMPARE(nameIn(mine(), m_partner2), QStringLiteral("Contoso (theirs)"));
    QVERIFY(!changed.isEmpty()); // the panes were told to read again
    QCOMPARE(statusText(), QStringLiteral("Online"));

    // The choice travels: after both sync, the other computer has the same values.
    pane->syncNow();
    waitSync(pane);
    QCOMPARE(pane->conflictCount(), 0);
    syncOther();
    QCOMPARE(nameIn(*m_other, m_partner1), QStringLiteral("Northwind (mine)"));
    QCOMPARE(nameIn(*m_other, m_partner2), QStringLiteral("Contoso (theirs)"));
}

void TestSyncPane::conflictEdit()
{
    SyncPane *pane = m_window->syncPane();
    renameIn(*m_other, m_partner1, QStringLiteral("Northwind B"));
    syncOther();
    renameIn(mine(), m_partner1, QStringLiteral("Northwind A"));
    pane->syncNow();
    waitSync(pane);
    QCOMPARE(pane->conflictCount(), 1);
    QCOMPARE(statusText(), QStringLiteral("1 conflict"));
    auto *table = find<QTableWidget>("conflictTable");
    table->selectRow(0);

    bool handled = false;
    QTimer poll;
    poll.setInterval(10);
    connect(&poll, &QTimer::timeout, this, [&] {
        auto *dialog = qobject_cast<ConflictEditDialog *>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        poll.stop();
        handled = true;
        QCOMPARE(dialog->editor()->text(), QStringLiteral("Northwind A")); // starts from mine
        shoot(dialog, QStringLiteral("edit-dialog"));
        dialog->editor()->setText(QStringLiteral("Northwind Traders AG"));
        dialog->accept();
    });
    poll.start();
    QTest::mouseClick(find<QPushButton>("conflictEdit"), Qt::LeftButton);
    poll.stop();
    QVERIFY2(handled, "the edit dialog did not open");
    QCOMPARE(pane->conflictCount(), 0);
    QCOMPARE(nameIn(mine(), m_partner1), QStringLiteral("Northwind Traders AG"));
    pane->syncNow();
    waitSync(pane);
    syncOther();
    QCOMPARE(nameIn(*m_other, m_partner1), QStringLiteral("Northwind Traders AG"));
}

void TestSyncPane::staysResponsiveWhileSyncing()
{
    SyncPane *pane = m_window->syncPane();
    {
        Transaction tx(mine());
        QVERIFY(tx.status().ok());
        OrganizationRepository repo(mine());
        for (int i = 0; i < 3000; ++i) {
            Organization org = partner(QStringLiteral("Bulk Partner %1").arg(i, 4, 10, QLatin1Char('0')));
            QVERIFY(repo.insert(org).ok());
        }
        QVERIFY(tx.commit().ok());
    }
    pane->reload();
    QSignalSpy started(pane, &SyncPane::syncStarted);
    QSignalSpy finished(pane, &SyncPane::syncFinished);
    QSignalSpy changed(pane, &SyncPane::dataChanged);

    // A timer on the GUI thread: its ticks must keep coming while the sync runs.
    QElapsedTimer clock;
    clock.start();
    qint64 last = 0;
    qint64 longestGap = 0;
    int ticks = 0;
    QTimer ticker;
    ticker.setInterval(10);
    connect(&ticker, &QTimer::timeout, this, [&] {
        const qint64 now = clock.elapsed();
        if (ticks > 0)
            longestGap = std::max(longestGap, now - last);
        last = now;
        ++ticks;
    });
    ticker.start();
    QTest::mouseClick(find<QPushButton>("syncNow"), Qt::LeftButton);
    pane->syncNow(); // a second request while one runs is ignored
    QCOMPARE(started.count(), 1);
    QCOMPARE(statusText(), QStringLiteral("Syncing…"));
    QVERIFY(!find<QPushButton>("syncNow")->isEnabled());
    // The progress bar shows a phase with numbers once the engine reports.
    bool shot = false;
    QElapsedTimer waited;
    waited.start();
    while (finished.isEmpty() && waited.elapsed() < 120000) {
        QTest::qWait(20);
        if (!shot && find<QLabel>("syncPhase")->text().contains(QLatin1String(" of "))) {
            shoot(m_window.get(), QStringLiteral("syncing"));
            shoot(m_window->statusBar(), QStringLiteral("statusbar-syncing"));
            shot = true;
        }
    }
    ticker.stop();
    QCOMPARE(finished.count(), 1);
    QVERIFY2(finished.last().at(0).toBool(), qPrintable(find<QLabel>("syncResult")->text()));
    QVERIFY2(shot, "no progress with numbers was shown");
    const qint64 took = clock.elapsed();
    qInfo("sync of 3000 changes took %lld ms; %d ticks, longest gap %lld ms", took, ticks, longestGap);
    // A GUI thread that waited for the network would miss the ticks of a whole page (seconds); the bounds leave
    // room for a loaded CI machine.
    QVERIFY(ticks >= took / 100);
    QVERIFY2(longestGap < 500, qPrintable(QStringLiteral("the GUI stalled for %1 ms").arg(longestGap)));
    QCOMPARE(started.count(), 1);
    QCOMPARE(find<QLabel>("syncPending")->text(), QStringLiteral("Every change on this computer has been sent."));
    QCOMPARE(statusText(), QStringLiteral("Online"));
    // Its own changes coming back from the server are not news: the other panes are not reloaded.
    QVERIFY2(find<QLabel>("syncResult")->text().contains(QStringLiteral("0 changes received · 3,000 changes sent")),
             qPrintable(find<QLabel>("syncResult")->text()));
    QCOMPARE(changed.count(), 0);
    shoot(m_window.get(), QStringLiteral("signed-in-idle"));
}

void TestSyncPane::closingStopsSync()
{
    SyncPane *pane = m_window->syncPane();
    {
        Transaction tx(mine());
        QVERIFY(tx.status().ok());
        OrganizationRepository repo(mine());
        for (int i = 0; i < 6000; ++i) {
            Organization org = partner(QStringLiteral("Late Partner %1").arg(i, 4, 10, QLatin1Char('0')));
            QVERIFY(repo.insert(org).ok());
        }
        QVERIFY(tx.commit().ok());
    }
    QSignalSpy started(pane, &SyncPane::syncStarted);
    pane->syncNow();
    QCOMPARE(started.count(), 1);
    // Close as soon as the first page has been reported.
    QTRY_VERIFY_WITH_TIMEOUT(find<QLabel>("syncPhase")->text().contains(QLatin1String(" of ")) || !pane->isSyncing(),
                             30000);
    QElapsedTimer closing;
    closing.start();
    m_window->closeWorkspace();
    const qint64 tookMs = closing.elapsed();
    qInfo("closing during a sync took %lld ms", tookMs);
    QVERIFY(tookMs < 20000);
    QVERIFY(!m_window->syncPane());
    QCOMPARE(statusText(), QStringLiteral("Offline"));
    {
        // It stopped at a page boundary: part of the batch is acknowledged, the rest still waits.
        auto ws = Workspace::open(m_pathA);
        QVERIFY(ws.ok());
        auto status = sync::status(*ws.value());
        QVERIFY(status.ok());
        qInfo("after the stop: %lld of 6000 changes still pending", status->pending);
        QVERIFY(status->pending > 0);
        QVERIFY(status->pending < 6000);
    }

    // Opened again, the password comes from the store and the next sync finishes the rest.
    QVERIFY(m_window->openWorkspace(m_pathA).ok());
    pane = m_window->syncPane();
    QSignalSpy loaded(pane, &SyncPane::credentialsLoaded);
    QVERIFY(loaded.wait(5000));
    QVERIFY(pane->isSignedIn());
    pane->syncNow();
    waitSync(pane);
    QCOMPARE(find<QLabel>("syncPending")->text(), QStringLiteral("Every change on this computer has been sent."));
    QCOMPARE(statusText(), QStringLiteral("Online"));
}

void TestSyncPane::noKeychain()
{
    // Without a keychain the pane says so, signs in all the same and keeps the password nowhere on disk.
    m_window->closeWorkspace();
    m_store->setAvailable(false);
    QVERIFY(m_window->openWorkspace(m_pathA).ok());
    m_window->showPane(QStringLiteral("sync"));
    SyncPane *pane = m_window->syncPane();
    QSignalSpy loaded(pane, &SyncPane::credentialsLoaded);
    QVERIFY(loaded.wait(5000));
    QVERIFY(!pane->isSignedIn());
    QVERIFY(find<QLabel>("syncKeychainNote")->isVisible());
    QCOMPARE(find<QLineEdit>("syncServer")->text(), m_server->url().toString());
    QCOMPARE(find<QLineEdit>("syncUsername")->text(), QStringLiteral("vadmin"));
    shoot(m_window.get(), QStringLiteral("no-keychain"));
    find<QLineEdit>("syncPassword")->setText(kPassword);
    QSignalSpy done(pane, &SyncPane::signInFinished);
    QTest::mouseClick(find<QPushButton>("syncSignIn"), Qt::LeftButton);
    QVERIFY(done.wait(30000));
    QVERIFY(pane->isSignedIn());
    waitSync(pane);
    QCOMPARE(statusText(), QStringLiteral("Online"));
    m_window->closeWorkspace();
    QFile file(m_pathA);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(!file.readAll().contains(kPassword.toUtf8()));
    QFile wal(m_pathA + QStringLiteral("-wal"));
    QVERIFY(!wal.open(QIODevice::ReadOnly) || !wal.readAll().contains(kPassword.toUtf8()));
}

void TestSyncPane::passwordChangedOnServer()
{
    m_store->setAvailable(true); // still holds the password from the first sign-in
    QVERIFY(m_window->openWorkspace(m_pathA).ok());
    m_window->showPane(QStringLiteral("sync"));
    SyncPane *pane = m_window->syncPane();
    QSignalSpy loaded(pane, &SyncPane::credentialsLoaded);
    QVERIFY(loaded.wait(5000));
    QVERIFY(pane->isSignedIn());
    // The administrator sets a new password: the kept one fails, and the pane asks for the new one.
    const QString newPassword = QStringLiteral("staple-battery-horse");
    const QString error = serverCommand({QStringLiteral("user"), QStringLiteral("reset"), QStringLiteral("--database"),
                                         m_database, QStringLiteral("--username"), QStringLiteral("vadmin")},
                                        newPassword);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QSignalSpy finished(pane, &SyncPane::syncFinished);
    pane->syncNow();
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.last().at(0).toBool(), false);
    QVERIFY(!pane->isSignedIn());
    QVERIFY(find<QLineEdit>("syncPassword")->isVisible());
    QCOMPARE(find<QLabel>("syncSignInError")->text(),
             QStringLiteral("The server did not accept the saved password. Type it again to sign in."));
    QCOMPARE(find<QLabel>("syncResult")->text().section(QLatin1Char('\n'), 0, 0),
             QStringLiteral("The server did not accept this user name and password."));
    shoot(m_window.get(), QStringLiteral("password-changed"));
    find<QLineEdit>("syncPassword")->setText(newPassword);
    QSignalSpy done(pane, &SyncPane::signInFinished);
    QTest::mouseClick(find<QPushButton>("syncSignIn"), Qt::LeftButton);
    QVERIFY(done.wait(30000));
    QVERIFY(done.last().at(0).toBool());
    QTRY_COMPARE(m_store->password(m_server->url().toString(), QStringLiteral("vadmin")), newPassword);
    waitSync(pane);
    QCOMPARE(statusText(), QStringLiteral("Online"));
    m_window->closeWorkspace();
}

void TestSyncPane::copiedWorkspaceAsksBeforeSyncing()
{
    // A copy of a workspace (or a file from someone else) names a server and user whose password is in the
    // keychain: nothing is used or sent until the user chooses to sync it as that user.
    m_window->closeWorkspace();
    const QString copy = m_dir.file(QStringLiteral("copy-of-a.ecotone"));
    QVERIFY(QFile::copy(m_pathA, copy));
    QVERIFY(m_window->openWorkspace(copy).ok());
    m_window->showPane(QStringLiteral("sync"));
    SyncPane *pane = m_window->syncPane();
    QSignalSpy loaded(pane, &SyncPane::credentialsLoaded);
    QVERIFY(loaded.wait(5000));
    QVERIFY(!pane->isSignedIn());
    QVERIFY(!pane->isSyncing());
    QLabel *note = find<QLabel>("syncIdentityNote");
    QVERIFY(note->isVisible());
    QVERIFY2(note->text().contains(QLatin1String("vadmin")), qPrintable(note->text()));
    auto *confirm = find<QPushButton>("syncConfirmIdentity");
    QVERIFY(confirm->isVisible());
    QCOMPARE(confirm->text(), QStringLiteral("Sync as vadmin"));
    shoot(m_window.get(), QStringLiteral("identity-question"));
    QTest::mouseClick(confirm, Qt::LeftButton);
    QVERIFY(loaded.wait(5000));
    QVERIFY(pane->isSignedIn());
    QVERIFY(!note->isVisible());
    waitSync(pane);
    m_window->closeWorkspace();
    // Chosen once, the copy is trusted on this computer from then on.
    QVERIFY(m_window->openWorkspace(copy).ok());
    m_window->showPane(QStringLiteral("sync"));
    QSignalSpy again(m_window->syncPane(), &SyncPane::credentialsLoaded);
    QVERIFY(again.wait(5000));
    QVERIFY(m_window->syncPane()->isSignedIn());
    QVERIFY(!find<QLabel>("syncIdentityNote")->isVisible());
    m_window->closeWorkspace();
}

void TestSyncPane::serverGoneShowsOffline()
{
    QVERIFY(m_window->openWorkspace(m_pathA).ok());
    m_window->showPane(QStringLiteral("sync"));
    SyncPane *pane = m_window->syncPane();
    QSignalSpy loaded(pane, &SyncPane::credentialsLoaded);
    QVERIFY(loaded.wait(5000));
    QVERIFY(pane->isSignedIn());
    QCOMPARE(statusText(), QStringLiteral("Online"));
    m_server.reset();
    QSignalSpy finished(pane, &SyncPane::syncFinished);
    pane->syncNow();
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.last().at(0).toBool(), false);
    QCOMPARE(statusText(), QStringLiteral("Offline"));
    const QString result = find<QLabel>("syncResult")->text();
    QVERIFY2(result.startsWith(QLatin1String("Cannot reach the server 127.0.0.1")), qPrintable(result));
    QVERIFY2(result.contains(QLatin1String("Last successful sync")), qPrintable(result));
    QVERIFY(m_window->syncStatusLabel()->toolTip().contains(QLatin1String("Cannot reach")));
    QApplication::processEvents();
    QLabel *shown = find<QLabel>("syncResult");
    QVERIFY(shown->height() >= shown->heightForWidth(shown->width())); // every line of it shows
    shoot(m_window.get(), QStringLiteral("server-gone"));
    theme::apply(QStringLiteral("dark"));
    QTest::qWait(50);
    shoot(m_window.get(), QStringLiteral("server-gone-dark"));
    theme::apply(QStringLiteral("light"));
}

void TestSyncPane::quarantineIsListed()
{
    // Rows the server sent that this workspace could not store are listed (as plain text: a hostile row id is no
    // markup) with the server's number and the reason; nothing is shown when there are none.
    m_window->closeWorkspace();
    {
        auto ws = Workspace::open(m_pathA);
        QVERIFY(ws);
        QSqlQuery q(ws.value()->db());
        QVERIFY(q.exec(QStringLiteral("INSERT INTO sync_quarantine (seq, table_name, row_id, reason, change, "
                                      "received_at) VALUES (4711, 'organizations', '<img src=/dev/zero>', 'CHECK "
                                      "constraint failed: length(trim(name)) > 0', '{}', '2026-12-08T10:00:00.000Z'),"
                                      " (4712, 'deal_registrations', 'reg-9', 'NOT NULL constraint failed: "
                                      "deal_registrations.submitted_at', '{}', '2026-12-08T10:00:01.000Z')")));
    }
    QVERIFY(m_window->openWorkspace(m_pathA).ok());
    m_window->showPane(QStringLiteral("sync"));
    QApplication::processEvents();
    auto *table = find<QTableWidget>("quarantineTable");
    QVERIFY(table->isVisible());
    QVERIFY(find<QLabel>("quarantineTitle")->isVisible());
    QVERIFY(find<QLabel>("quarantineTitle")->text().startsWith(QLatin1String("2 rows from the server")));
    QCOMPARE(table->rowCount(), 2);
    QCOMPARE(table->item(0, 0)->text(), QStringLiteral("4711"));
    QCOMPARE(table->item(0, 2)->text(), QStringLiteral("<img src=/dev/zero>"));
    QVERIFY(table->item(1, 3)->text().contains(QLatin1String("submitted_at")));
    shoot(m_window.get(), QStringLiteral("quarantine"));
    m_window->closeWorkspace();
    {
        auto ws = Workspace::open(m_pathA);
        QVERIFY(ws);
        QVERIFY(QSqlQuery(ws.value()->db()).exec(QStringLiteral("DELETE FROM sync_quarantine")));
    }
    QVERIFY(m_window->openWorkspace(m_pathA).ok());
    m_window->showPane(QStringLiteral("sync"));
    QApplication::processEvents();
    QVERIFY(!find<QTableWidget>("quarantineTable")->isVisible());
    m_window->closeWorkspace();
}

void TestSyncPane::keychainErrorsRead()
{
    // What QtKeychain's error codes mean to the user. On a machine without a D-Bus session bus or Secret Service
    // QtKeychain answers OtherError ("Unknown error"): the first contact failing like that is "no keychain here".
    using O = CredentialReply::Outcome;
    QCOMPARE(KeychainCredentialStore::outcomeFor(QKeychain::NoError, false), O::Ok);
    QCOMPARE(KeychainCredentialStore::outcomeFor(QKeychain::EntryNotFound, false), O::NotFound);
    QCOMPARE(KeychainCredentialStore::outcomeFor(QKeychain::NoBackendAvailable, false), O::Unavailable);
    QCOMPARE(KeychainCredentialStore::outcomeFor(QKeychain::NoBackendAvailable, true), O::Unavailable);
    QCOMPARE(KeychainCredentialStore::outcomeFor(QKeychain::NotImplemented, false), O::Unavailable);
    QCOMPARE(KeychainCredentialStore::outcomeFor(QKeychain::OtherError, false), O::Unavailable);
    QCOMPARE(KeychainCredentialStore::outcomeFor(QKeychain::AccessDenied, false), O::Unavailable);
    // Once the keychain has answered, the same error is a real failure, and a user's "no" is never "no keychain".
    QCOMPARE(KeychainCredentialStore::outcomeFor(QKeychain::OtherError, true), O::Failed);
    QCOMPARE(KeychainCredentialStore::outcomeFor(QKeychain::CouldNotDeleteEntry, true), O::Failed);
    QCOMPARE(KeychainCredentialStore::outcomeFor(QKeychain::AccessDeniedByUser, false), O::Failed);
}

void TestSyncPane::systemKeychainAnswers()
{
    // The real store answers on this machine too, whatever it has: a password it never stored is not found, or
    // there is no keychain; it never hangs, never makes one up and never reports an unexplained error.
    KeychainCredentialStore store;
    QObject receiver;
    bool answered = false;
    CredentialReply reply;
    store.read(QStringLiteral("https://sync.invalid"),
               QStringLiteral("nobody-%1").arg(QCoreApplication::applicationPid()), &receiver,
               [&](const CredentialReply &r) {
                   answered = true;
                   reply = r;
               });
    QTRY_VERIFY_WITH_TIMEOUT(answered, 30000);
    qInfo("system keychain: outcome %d (%s)", int(reply.outcome), qPrintable(reply.error));
    QVERIFY(reply.outcome == CredentialReply::Outcome::NotFound ||
            reply.outcome == CredentialReply::Outcome::Unavailable);
    QVERIFY(reply.password.isEmpty());

    // What the user sees with the real keychain: signed out, no error, and the "no keychain" note exactly when
    // this machine has none.
    m_window->closeWorkspace();
    m_window->setCredentialStore(new KeychainCredentialStore);
    m_store = nullptr; // deleted by the window
    QVERIFY(m_window->openWorkspace(m_pathA).ok());
    m_window->showPane(QStringLiteral("sync"));
    SyncPane *pane = m_window->syncPane();
    QSignalSpy loaded(pane, &SyncPane::credentialsLoaded);
    QVERIFY(loaded.wait(30000));
    QVERIFY(!pane->isSignedIn());
    QVERIFY(!find<QLabel>("syncSignInError")->isVisible());
    QCOMPARE(find<QLabel>("syncKeychainNote")->isVisible(), reply.outcome == CredentialReply::Outcome::Unavailable);
    QVERIFY(find<QLineEdit>("syncPassword")->isVisible());
    shoot(m_window.get(), QStringLiteral("system-keychain"));
    m_window->closeWorkspace();
}

QTEST_MAIN(TestSyncPane)
#include "TestSyncPane.moc"
