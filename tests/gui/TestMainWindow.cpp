// Opens the real main window (offscreen) on a demo workspace, drives the Partners pane through its widgets,
// undoes an edit, and saves a screenshot of every pane into $ECOTONE_TEST_OUTPUT/screenshots.
#include "MainWindow.h"
#include "TestSupport.h"
#include "common/Theme.h"
#include "common/Translations.h"
#include "demo/DemoEcosystem.h"
#include "imports/ImportAccountsDialog.h"
#include "item/PartnerTableModel.h"
#include "partners/PartnerDetailView.h"
#include "partners/PartnerDialog.h"
#include "partners/PartnersPane.h"
#include "store/Repositories.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTest>
#include <QTimer>
#include <QUndoStack>

using namespace ecotone;
using namespace ecotone::ui;

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void opensOnDemo();
    void everyPaneHasAScreenshot();
    void searchAndFilters();
    void editThroughDialogAndUndo();
    void createValidatesAndDeleteUndoes();
    void refusesGarbageWorkspace();
    void vendorProfile();
    void importAccountsIntoSelectedPartner();
    void darkThemeAndWelcome();
    void cleanupTestCase();

private:
    void shoot(QWidget *widget, const QString &name);
    // Runs action (which opens a modal dialog) and, once the dialog is up, hands it to handler.
    template <typename Dialog>
    void withModal(const std::function<void()> &action, const std::function<void(Dialog *)> &handler);

    test::TempDir m_dir;
    QString m_path;
    std::unique_ptr<MainWindow> m_window;
    QString m_shots;
};

void TestMainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("EcotoneTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
    QSettings().clear();
    theme::apply(QStringLiteral("light"));
    ecotone::ui::installTranslators(*qApp); // English plurals, as the app shows them
    m_path = m_dir.file(QStringLiteral("demo.ecotone"));
    DemoOptions options;
    options.partners = 300; // more than one page, so lazy fetching is exercised
    options.accounts = 6000;
    auto demo = createDemoWorkspace(m_path, options);
    QVERIFY2(demo.ok(), qPrintable(demo.error()));
    m_shots = QDir(test::outputDir()).filePath(QStringLiteral("screenshots"));
    QDir().mkpath(m_shots);

    m_window = std::make_unique<MainWindow>();
    m_window->resize(1400, 860);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    const Status s = m_window->openWorkspace(m_path);
    QVERIFY2(s.ok(), qPrintable(s.error()));
}

void TestMainWindow::shoot(QWidget *widget, const QString &name)
{
    QApplication::processEvents();
    const QString file = QDir(m_shots).filePath(name + QStringLiteral(".png"));
    QVERIFY2(widget->grab().save(file), qPrintable(file));
}

template <typename Dialog>
void TestMainWindow::withModal(const std::function<void()> &action, const std::function<void(Dialog *)> &handler)
{
    // Polls from inside the dialog's own event loop; stopped when the action returns, so a dialog that never
    // opened fails this test instead of leaking a handler into the next one.
    bool handled = false;
    QTimer poll;
    poll.setInterval(10);
    connect(&poll, &QTimer::timeout, this, [&] {
        if (auto *dialog = qobject_cast<Dialog *>(QApplication::activeModalWidget())) {
            poll.stop();
            handled = true;
            handler(dialog);
        }
    });
    poll.start();
    action();
    poll.stop();
    // The offscreen platform does not hand activation back to the main window when a dialog closes.
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    QVERIFY2(handled, "the expected dialog did not open");
}

void TestMainWindow::opensOnDemo()
{
    QCOMPARE(m_window->currentPaneKey(), QStringLiteral("partners"));
    PartnersPane *pane = m_window->partnersPane();
    QVERIFY(pane && pane->isVisible());
    QAbstractItemModelTester tester(pane->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(pane->model()->totalMatches(), 300);
    QVERIFY(pane->model()->rowCount() >= PartnerTableModel::kPageSize);
    // Scrolling to the end pulls the rest in through fetchMore.
    pane->table()->scrollToBottom();
    QTRY_COMPARE(pane->model()->rowCount(), 300);
    // The counts arrive from a worker thread.
    auto sawCounts = [this] {
        for (QLabel *label : m_window->statusBar()->findChildren<QLabel *>())
            if (label->text().contains(QStringLiteral("300 partners")) &&
                label->text().contains(QStringLiteral("6,000 accounts")))
                return true;
        return false;
    };
    QTRY_VERIFY(sawCounts());
    QVERIFY(m_window->windowTitle().startsWith(QStringLiteral("demo")));
    // Every control a keyboard or screen-reader user reaches has a name.
    for (QWidget *w : pane->findChildren<QWidget *>()) {
        if ((qobject_cast<QLineEdit *>(w) || qobject_cast<QComboBox *>(w) || qobject_cast<QTableView *>(w) ||
             qobject_cast<QPushButton *>(w)) &&
            w->isVisible())
            QVERIFY2(!w->accessibleName().isEmpty(), w->metaObject()->className());
    }
}

void TestMainWindow::everyPaneHasAScreenshot()
{
    const QStringList keys = m_window->paneKeys();
    QCOMPARE(keys.size(), 9);
    auto *sidebar = m_window->findChild<QListWidget *>(QStringLiteral("sidebar"));
    QVERIFY(sidebar);
    for (int i = 0; i < keys.size(); ++i) {
        // Navigate the way a keyboard user does: focus the sidebar and move with the arrow keys.
        sidebar->setFocus();
        sidebar->setCurrentRow(0);
        for (int k = 0; k < i; ++k)
            QTest::keyClick(sidebar, Qt::Key_Down);
        QCOMPARE(m_window->currentPaneKey(), keys.at(i));
        QWidget *pane = m_window->pane(keys.at(i));
        QVERIFY(pane && pane->isVisible());
        shoot(m_window.get(), QStringLiteral("pane-%1").arg(keys.at(i)));
    }
    m_window->showPane(QStringLiteral("partners"));
    m_window->partnersPane()->selectPartner(m_window->partnersPane()->model()->idAt(0));
    shoot(m_window.get(), QStringLiteral("pane-partners-selected"));
}

void TestMainWindow::searchAndFilters()
{
    PartnersPane *pane = m_window->partnersPane();
    PartnerTableModel *model = pane->model();
    // Pick a word from a real partner name and type it key by key.
    const QString name = model->index(0, PartnerTableModel::Name).data().toString();
    const QString word = name.section(QLatin1Char(' '), 0, 0);
    QTest::keyClicks(pane->searchField(), word.toLower());
    QVERIFY(model->totalMatches() >= 1);
    QVERIFY(model->totalMatches() < 300);
    for (int r = 0; r < model->rowCount(); ++r) {
        OrganizationRepository repo(*m_window->workspace());
        auto org = repo.find(model->idAt(r));
        QVERIFY(org.ok());
        const QString haystack =
            (org->name + org->domain + org->capabilities.join(QLatin1Char(' ')) + org->description).toLower();
        QVERIFY2(haystack.contains(word.toLower()), qPrintable(org->name));
    }
    shoot(m_window.get(), QStringLiteral("partners-search"));

    // Nonsense shows the "no matches" state with a way out.
    pane->searchField()->setText(QStringLiteral("zzzz-no-such-partner"));
    QCOMPARE(model->totalMatches(), 0);
    shoot(m_window.get(), QStringLiteral("partners-no-matches"));
    pane->searchField()->clear();
    QCOMPARE(model->totalMatches(), 300);

    auto *tier = pane->findChildren<QComboBox *>().at(1);
    QCOMPARE(tier->accessibleName(), QStringLiteral("Filter by tier"));
    tier->setCurrentIndex(tier->findData(QStringLiteral("Platinum")));
    QVERIFY(model->totalMatches() > 0 && model->totalMatches() < 300);
    for (int r = 0; r < model->rowCount(); ++r)
        QCOMPARE(model->index(r, PartnerTableModel::Tier).data().toString(), QStringLiteral("Platinum"));
    tier->setCurrentIndex(0);
    QCOMPARE(model->totalMatches(), 300);
}

void TestMainWindow::editThroughDialogAndUndo()
{
    PartnersPane *pane = m_window->partnersPane();
    const QString id = pane->model()->idAt(3);
    pane->selectPartner(id);
    QCOMPARE(pane->selectedId(), id);
    OrganizationRepository repo(*m_window->workspace());
    const QString before = repo.find(id)->name;
    const qint64 journalBefore = test::rowCount(*m_window->workspace(), QStringLiteral("journal"));

    pane->table()->setFocus();
    withModal<PartnerDialog>([&] { QTest::keyClick(pane->table(), Qt::Key_F2); },
                             [&](PartnerDialog *dialog) {
                                 dialog->nameEdit()->selectAll();
                                 QTest::keyClicks(dialog->nameEdit(), QStringLiteral("Renamed Partner Ltd"));
                                 dialog->websiteEdit()->setText(
                                     QStringLiteral("HTTPS://WWW.Renamed-Partner.co.uk/about/"));
                                 shoot(dialog, QStringLiteral("partner-dialog"));
                                 QTest::keyClick(dialog, Qt::Key_Return);
                             });
    auto after = repo.find(id);
    QCOMPARE(after->name, QStringLiteral("Renamed Partner Ltd"));
    QCOMPARE(after->website, QStringLiteral("https://www.renamed-partner.co.uk/about"));
    QCOMPARE(after->domain, QStringLiteral("renamed-partner.co.uk"));
    QCOMPARE(pane->selectedId(), id);
    bool detailShowsName = false;
    for (QLabel *label : pane->detail()->findChildren<QLabel *>())
        detailShowsName |= label->accessibleName() == QStringLiteral("Partner name") &&
                           label->text() == QStringLiteral("Renamed Partner Ltd");
    QVERIFY(detailShowsName);
    // name, website and domain changed: one journal entry per field
    QCOMPARE(test::rowCount(*m_window->workspace(), QStringLiteral("journal")), journalBefore + 3);
    QCOMPARE(m_window->undoStack()->count(), 1);

    // Undo with the keyboard shortcut, as a user would.
    QTest::keySequence(m_window.get(), QKeySequence::Undo);
    QCOMPARE(repo.find(id)->name, before);
    QCOMPARE(pane->model()->index(pane->model()->rowOf(id), 0).data().toString(), before);
    QTest::keySequence(m_window.get(), QKeySequence::Redo);
    QCOMPARE(repo.find(id)->name, QStringLiteral("Renamed Partner Ltd"));
    m_window->undoStack()->undo();
    QCOMPARE(repo.find(id)->name, before);
}

void TestMainWindow::createValidatesAndDeleteUndoes()
{
    PartnersPane *pane = m_window->partnersPane();
    const WorkspaceCounts before = countRecords(*m_window->workspace()).value();
    withModal<PartnerDialog>([&] { pane->newPartner(); },
                             [&](PartnerDialog *dialog) {
                                 auto *ok = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
                                 QVERIFY(!ok->isEnabled()); // no name, no type yet
                                 QTest::keyClicks(dialog->nameEdit(), QStringLiteral("Aardvark Integration Partners"));
                                 QVERIFY(!ok->isEnabled()); // still no type
                                 auto boxes = dialog->findChildren<QCheckBox *>();
                                 QVERIFY(!boxes.isEmpty());
                                 boxes.first()->setChecked(true);
                                 dialog->websiteEdit()->setText(QStringLiteral("not a web address"));
                                 QVERIFY(!ok->isEnabled());
                                 dialog->websiteEdit()->setText(QStringLiteral("aardvark-ip.com"));
                                 QVERIFY(ok->isEnabled());
                                 ok->click();
                             });
    QCOMPARE(countRecords(*m_window->workspace())->partners, before.partners + 1);
    const QString id = pane->selectedId();
    QVERIFY(!id.isEmpty());
    QCOMPARE(pane->model()->index(pane->model()->rowOf(id), 0).data().toString(),
             QStringLiteral("Aardvark Integration Partners"));

    // Delete a partner that has people and accounts, confirm, then undo: everything returns with the same ids.
    const QString victim = pane->model()->idAt(5);
    AccountRepository accounts(*m_window->workspace());
    const qint64 victimAccounts = accounts.countForOwner(victim).value();
    QVERIFY(victimAccounts > 0);
    pane->selectPartner(victim);
    pane->table()->setFocus();
    withModal<QMessageBox>([&] { QTest::keyClick(pane->table(), Qt::Key_Delete); },
                           [&](QMessageBox *box) {
                               shoot(box, QStringLiteral("partner-delete-confirm"));
                               for (QAbstractButton *b : box->buttons())
                                   if (box->buttonRole(b) == QMessageBox::DestructiveRole)
                                       b->click();
                           });
    QCOMPARE(pane->model()->rowOf(victim), -1);
    QCOMPARE(accounts.countForOwner(victim).value(), 0);
    m_window->undoStack()->undo();
    QCOMPARE(accounts.countForOwner(victim).value(), victimAccounts);
    QVERIFY(OrganizationRepository(*m_window->workspace()).find(victim).ok());
    m_window->undoStack()->undo(); // the creation
    QCOMPARE(countRecords(*m_window->workspace())->partners, before.partners);
}

void TestMainWindow::refusesGarbageWorkspace()
{
    const QString junk = m_dir.file(QStringLiteral("junk.ecotone"));
    QFile f(junk);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QByteArray(4096, 'x'));
    f.close();
    const QByteArray hash = test::fileHash(junk);
    const Status s = m_window->openWorkspace(junk);
    QVERIFY(!s.ok());
    QVERIFY2(s.error().contains(QStringLiteral("not an Ecotone workspace")), qPrintable(s.error()));
    QCOMPARE(test::fileHash(junk), hash);
    // The open workspace is untouched by the failed attempt.
    QCOMPARE(m_window->workspace()->path(), QFileInfo(m_path).absoluteFilePath());
}

void TestMainWindow::vendorProfile()
{
    OrganizationRepository repo(*m_window->workspace());
    const Organization vendor = repo.find(repo.vendorId().value()).value();
    withModal<PartnerDialog>([&] { m_window->editVendorProfile(); },
                             [&](PartnerDialog *dialog) {
                                 // A vendor has no partner types: the type boxes are not offered.
                                 for (QCheckBox *box : dialog->findChildren<QCheckBox *>())
                                     QVERIFY(!box->isVisibleTo(dialog));
                                 dialog->nameEdit()->setText(QStringLiteral("Helioform Software AG"));
                                 shoot(dialog, QStringLiteral("vendor-dialog"));
                                 dialog->accept();
                             });
    QCOMPARE(repo.find(vendor.id)->name, QStringLiteral("Helioform Software AG"));
    QCOMPARE(repo.find(vendor.id)->kind, OrganizationKind::Vendor);
    m_window->undoStack()->undo();
    QCOMPARE(repo.find(vendor.id)->name, vendor.name);
}

void TestMainWindow::importAccountsIntoSelectedPartner()
{
    m_window->showPane(QStringLiteral("partners"));
    const QString partner = m_window->partnersPane()->model()->idAt(2);
    m_window->partnersPane()->selectPartner(partner);
    AccountRepository accounts(*m_window->workspace());
    const qint64 before = accounts.countForOwner(partner).value();
    const QString file = m_dir.file(QStringLiteral("crm.csv"));
    {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("Id,Name,Website,BillingCountry,Type\n"
                "0019000001,Quillon Freight,quillonfreight.com,Canada,Customer\n"
                "0019000002,Marrowick Dental,marrowick.ca,Canada,Prospect\n");
    }
    withModal<ImportAccountsDialog>([&] { m_window->importAccounts(); },
                                    [&](ImportAccountsDialog *dialog) {
                                        // The partner selected in the Partners pane is the one imported into.
                                        QCOMPARE(dialog->organizationId(), partner);
                                        dialog->setFile(file);
                                        QSignalSpy finished(dialog, &ImportAccountsDialog::runFinished);
                                        dialog->startImport();
                                        QVERIFY(finished.wait(30000));
                                        QVERIFY(finished.first().first().toBool());
                                        dialog->done(QDialog::Rejected);
                                    });
    QCOMPARE(accounts.countForOwner(partner).value(), before + 2);
}

void TestMainWindow::darkThemeAndWelcome()
{
    theme::apply(QStringLiteral("dark"));
    QApplication::processEvents();
    QVERIFY(theme::isDark());
    m_window->showPane(QStringLiteral("partners"));
    m_window->partnersPane()->selectPartner(m_window->partnersPane()->model()->idAt(1));
    shoot(m_window.get(), QStringLiteral("pane-partners-dark"));
    m_window->showPane(QStringLiteral("mapping"));
    shoot(m_window.get(), QStringLiteral("pane-mapping-dark"));
    theme::apply(QStringLiteral("light"));
    m_window->closeWorkspace();
    QVERIFY(!m_window->workspace());
    QVERIFY(m_window->findChild<QWidget *>(QStringLiteral("welcomePage"))->isVisible());
    shoot(m_window.get(), QStringLiteral("welcome"));

    // First start: the welcome page builds the default demo ecosystem and opens it.
    QFile::remove(MainWindow::defaultDemoPath());
    auto *demo = m_window->findChild<QPushButton *>(QStringLiteral("openDemoButton"));
    QVERIFY(demo && demo->isVisible());
    demo->click();
    QTRY_VERIFY(m_window->workspace() != nullptr);
    QCOMPARE(m_window->workspace()->path(), QFileInfo(MainWindow::defaultDemoPath()).absoluteFilePath());
    QCOMPARE(countRecords(*m_window->workspace())->partners, 250);
    QCOMPARE(countRecords(*m_window->workspace())->accounts, 20000);
    QCOMPARE(MainWindow::recentWorkspaces().constFirst(), m_window->workspace()->path());
    m_window->closeWorkspace();
    QFile::remove(MainWindow::defaultDemoPath());
}

void TestMainWindow::cleanupTestCase()
{
    m_window.reset();
    QSettings().clear();
}

QTEST_MAIN(TestMainWindow)
#include "TestMainWindow.moc"
