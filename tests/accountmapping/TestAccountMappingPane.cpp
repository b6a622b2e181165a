// Opens the real main window (offscreen) on a small demo workspace with sharing terms for one partner, drives the
// Account Mapping pane through its widgets (partner switch, a cell, greenfield, export, the Sharing dialog, a revoke,
// an empty partner) and saves screenshots into $ECOTONE_TEST_OUTPUT/screenshots.
#include "MainWindow.h"
#include "TestSupport.h"
#include "common/Theme.h"
#include "common/Translations.h"
#include "demo/DemoEcosystem.h"
#include "governance/AgreementRepository.h"
#include "mapping/AccountMappingPane.h"
#include "mapping/MappingDialogs.h"
#include "mapping/OverlapModels.h"
#include "mapping/PopulationRepository.h"
#include "store/Repositories.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>
#include <QTimer>

using namespace ecotone;
using namespace ecotone::ui;
using namespace ecotone::ui::mapping;

class TestAccountMappingPane : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void matrixForPartner();
    void drillDownOfACell();
    void countsOnlyAndLockedCells();
    void greenfieldAndExport();
    void darkTheme();
    void sharingDialogGrantsCounts();
    void revokeEmptiesTheViews();
    void staleSwitchIsIgnored();
    void customPopulationAddsRowAndColumn();
    void partnerWithoutAccounts();
    void cleanupTestCase();

private:
    void shoot(QWidget *widget, const QString &name);
    bool waitForMatrix(const QString &partnerId);
    qint64 ledgerCount(const QString &action);
    QModelIndex busiestVisibleCell(int column);
    template <typename Dialog>
    void withModal(const std::function<void()> &action, const std::function<void(Dialog *)> &handler);

    test::TempDir m_dir;
    QString m_shots;
    std::unique_ptr<MainWindow> m_window;
    AccountMappingPane *m_pane = nullptr;
    QString m_partnerId; // has Full customers, Counts opportunities, nothing for prospects
    QString m_otherId;   // has no agreements
    QString m_customerAgreement;
    std::unique_ptr<QAbstractItemModelTester> m_matrixTester;
    std::unique_ptr<QAbstractItemModelTester> m_drillTester;
};

void TestAccountMappingPane::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("EcotoneTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_accountmappingpane"));
    QSettings().clear();
    theme::apply(QStringLiteral("light"));
    ecotone::ui::installTranslators(*qApp); // English plurals, as the app shows them
    const QString path = m_dir.file(QStringLiteral("demo.ecotone"));
    DemoOptions options;
    options.partners = 6;
    options.accounts = 5000;
    auto demo = createDemoWorkspace(path, options);
    QVERIFY2(demo.ok(), qPrintable(demo.error()));
    m_shots = QDir(test::outputDir()).filePath(QStringLiteral("screenshots"));
    QDir().mkpath(m_shots);

    m_window = std::make_unique<MainWindow>();
    m_window->resize(1320, 820);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    const Status s = m_window->openWorkspace(path);
    QVERIFY2(s.ok(), qPrintable(s.error()));

    // The two partners with the most accounts: one with terms, one without.
    OrganizationRepository orgs(*m_window->workspace());
    AccountRepository accounts(*m_window->workspace());
    QList<std::pair<qint64, QString>> sizes;
    const auto all = orgs.all();
    QVERIFY(all.ok());
    for (const Organization &o : all.value())
        if (o.kind == OrganizationKind::Partner)
            sizes << std::pair(accounts.countForOwner(o.id).value(), o.id);
    std::sort(sizes.begin(), sizes.end(), std::greater<>());
    QVERIFY(sizes.size() >= 2 && sizes.at(1).first > 0);
    m_partnerId = sizes.at(0).second;
    m_otherId = sizes.at(1).second;
    AgreementRepository repo(*m_window->workspace(), QStringLiteral("tester"));
    auto grant = [&](const QString &population, SharingLevel level, const QStringList &fields) -> QString {
        SharingAgreement a;
        a.partnerId = m_partnerId;
        a.population = population;
        a.level = level;
        a.fields = fields;
        if (!repo.create(a) || !repo.consent(a.id, AgreementRepository::Side::Ours) ||
            !repo.consent(a.id, AgreementRepository::Side::Theirs))
            return {};
        return a.id;
    };
    m_customerAgreement = grant(QStringLiteral("customer"), SharingLevel::Full,
                                {QStringLiteral("name"), QStringLiteral("domain"), QStringLiteral("country")});
    QVERIFY(!m_customerAgreement.isEmpty());
    QVERIFY(!grant(QStringLiteral("opportunity"), SharingLevel::Counts, {}).isEmpty());

    m_window->showPane(QStringLiteral("mapping"));
    m_pane = m_window->findChild<AccountMappingPane *>();
    QVERIFY(m_pane && m_pane->isVisible());
    m_matrixTester = std::make_unique<QAbstractItemModelTester>(m_pane->matrixModel(),
                                                                QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_drillTester = std::make_unique<QAbstractItemModelTester>(m_pane->drillModel(),
                                                               QAbstractItemModelTester::FailureReportingMode::QtTest);
    QTRY_VERIFY_WITH_TIMEOUT(m_pane->partnerBox()->count() == 6, 20000);
}

void TestAccountMappingPane::cleanupTestCase()
{
    m_matrixTester.reset();
    m_drillTester.reset();
    m_window.reset();
}

void TestAccountMappingPane::shoot(QWidget *widget, const QString &name)
{
    QApplication::processEvents();
    const QString file = QDir(m_shots).filePath(name + QStringLiteral(".png"));
    QVERIFY2(widget->grab().save(file), qPrintable(file));
}

template <typename Dialog>
void TestAccountMappingPane::withModal(const std::function<void()> &action,
                                       const std::function<void(Dialog *)> &handler)
{
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
    QVERIFY2(handled, "the expected dialog did not open");
}

bool TestAccountMappingPane::waitForMatrix(const QString &partnerId)
{
    return QTest::qWaitFor(
        [&] {
            return !m_pane->isBusy() && m_pane->matrixModel()->overlap() &&
                   m_pane->matrixModel()->overlap()->partnerId == partnerId;
        },
        20000);
}

qint64 TestAccountMappingPane::ledgerCount(const QString &action)
{
    ConsentLedger ledger(*m_window->workspace());
    auto entries = ledger.entries();
    return std::count_if(entries->begin(), entries->end(), [&](const LedgerEntry &e) { return e.action == action; });
}

QModelIndex TestAccountMappingPane::busiestVisibleCell(int column)
{
    OverlapMatrixModel *m = m_pane->matrixModel();
    QModelIndex best;
    for (int r = 0; r < m->rowCount(); ++r) {
        const QModelIndex i = m->index(r, column);
        if (!best.isValid() ||
            i.data(OverlapMatrixModel::LinksRole).toLongLong() > best.data(OverlapMatrixModel::LinksRole).toLongLong())
            best = i;
    }
    return best;
}

void TestAccountMappingPane::matrixForPartner()
{
    QVERIFY(m_pane->selectPartner(m_partnerId));
    QVERIFY(waitForMatrix(m_partnerId));
    OverlapMatrixModel *m = m_pane->matrixModel();
    QCOMPARE(m->rowCount(), 3);
    QCOMPARE(m->columnCount(), 3);
    QCOMPARE(m->headerData(0, Qt::Vertical).toString(), QStringLiteral("Our Customers"));
    QCOMPARE(m->headerData(2, Qt::Horizontal).toString(), QStringLiteral("Their Prospects"));
    // Their customers (Full) and opportunities (Counts) show numbers; their prospects are locked.
    const overlap::Overlap *o = m->overlap();
    for (int r = 0; r < 3; ++r) {
        QCOMPARE(m->index(r, 0).data(OverlapMatrixModel::LinksRole).toLongLong(), qint64(o->cell(r, 0).links));
        QVERIFY(!m->index(r, 1).data(OverlapMatrixModel::LockedRole).toBool());
        QVERIFY(m->index(r, 2).data(OverlapMatrixModel::LockedRole).toBool());
        QCOMPARE(m->index(r, 2).data().toString(), QStringLiteral("Not shared"));
        QCOMPARE(m->index(r, 2).data(OverlapMatrixModel::LinksRole).toLongLong(), qint64(-1));
    }
    QVERIFY(o->maxLinks() > 0);
    QVERIFY(m_pane->summaryLabel()->text().contains(QLatin1String("companies")));
    // Their prospects are not shared, so neither are their totals.
    QVERIFY(m_pane->summaryLabel()->text().contains(QLatin1String("totals not shared")));
    QVERIFY(m_pane->greenfieldButton()->isEnabled());
    QVERIFY(!m_pane->exportButton()->isEnabled());
    shoot(m_window.get(), QStringLiteral("mapping-matrix"));
}

void TestAccountMappingPane::drillDownOfACell()
{
    const QModelIndex cell = busiestVisibleCell(0);
    QVERIFY(cell.data(OverlapMatrixModel::LinksRole).toLongLong() > 0);
    const qint64 views = ledgerCount(QStringLiteral("view"));
    QTableView *view = m_pane->matrixView();
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(cell).center());
    QTRY_VERIFY(m_pane->drillModel()->rowCount() > 0);
    const overlap::Overlap *o = m_pane->matrixModel()->overlap();
    QCOMPARE(m_pane->drillModel()->rowCount(), int(o->cell(cell.row(), 0).pairs.size()));
    // Ours (4), their agreed fields (3), rule and score.
    QCOMPARE(m_pane->drillModel()->columnCount(), 9);
    QCOMPARE(m_pane->drillModel()->headerData(4, Qt::Horizontal).toString(), QStringLiteral("Their name"));
    QCOMPARE(m_pane->drillModel()->headerData(7, Qt::Horizontal).toString(), QStringLiteral("Match rule"));
    QCOMPARE(ledgerCount(QStringLiteral("view")), views + 1);
    QVERIFY(m_pane->exportButton()->isEnabled());
    // Sortable by score, numerically.
    QTableView *drill = m_pane->drillView();
    drill->sortByColumn(8, Qt::AscendingOrder);
    const double first = drill->model()->index(0, 8).data(DrillDownModel::SortRole).toDouble();
    const double last =
        drill->model()->index(drill->model()->rowCount() - 1, 8).data(DrillDownModel::SortRole).toDouble();
    QVERIFY(first <= last);
    shoot(m_window.get(), QStringLiteral("mapping-drilldown"));
}

void TestAccountMappingPane::countsOnlyAndLockedCells()
{
    const qint64 views = ledgerCount(QStringLiteral("view"));
    m_pane->showCell(0, 1); // their opportunities: counts only
    QCOMPARE(m_pane->drillModel()->rowCount(), 0);
    QVERIFY(m_pane->drillTitle()->text().contains(QLatin1String("matched companies")));
    m_pane->showCell(0, 2); // their prospects: not shared
    QCOMPARE(m_pane->drillModel()->rowCount(), 0);
    QVERIFY(m_pane->drillTitle()->text().contains(QLatin1String("not shared")));
    QVERIFY(!m_pane->exportButton()->isEnabled());
    QCOMPARE(ledgerCount(QStringLiteral("view")), views); // nothing shown, nothing recorded
    shoot(m_window.get(), QStringLiteral("mapping-locked-cell"));
}

void TestAccountMappingPane::greenfieldAndExport()
{
    QTest::mouseClick(m_pane->greenfieldButton(), Qt::LeftButton);
    const overlap::Overlap *o = m_pane->matrixModel()->overlap();
    QCOMPARE(m_pane->drillModel()->rowCount(), int(o->greenfield.size()));
    QVERIFY(o->greenfield.size() > 0);
    QCOMPARE(m_pane->drillModel()->columnCount(), 3); // their agreed fields only
    shoot(m_window.get(), QStringLiteral("mapping-greenfield"));

    const qint64 exports = ledgerCount(QStringLiteral("export"));
    const QString path = m_dir.file(QStringLiteral("greenfield.csv"));
    const Status s = m_pane->exportTo(path);
    QVERIFY2(s.ok(), qPrintable(s.error()));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readLine(), QByteArray("their_name,their_domain,their_country\r\n"));
    QCOMPARE(ledgerCount(QStringLiteral("export")), exports + 1);
    // A path that cannot be written is an error, and nothing is recorded.
    const Status bad = m_pane->exportTo(m_dir.file(QStringLiteral("no/such/dir/x.csv")));
    QVERIFY(!bad.ok());
    QCOMPARE(ledgerCount(QStringLiteral("export")), exports + 1);
}

void TestAccountMappingPane::darkTheme()
{
    theme::apply(QStringLiteral("dark"));
    QApplication::processEvents();
    const QModelIndex cell = busiestVisibleCell(0);
    m_pane->matrixView()->setCurrentIndex(cell);
    QTRY_VERIFY(m_pane->drillModel()->rowCount() > 0);
    shoot(m_window.get(), QStringLiteral("mapping-dark"));
    theme::apply(QStringLiteral("light"));
    QApplication::processEvents();
}

void TestAccountMappingPane::sharingDialogGrantsCounts()
{
    QVERIFY(m_pane->matrixModel()->index(0, 2).data(OverlapMatrixModel::LockedRole).toBool());
    withModal<SharingDialog>([&] { QTest::mouseClick(m_pane->sharingButton(), Qt::LeftButton); },
                             [&](SharingDialog *dialog) {
                                 QComboBox *prospects = dialog->levelBox(QStringLiteral("prospect"));
                                 QVERIFY(prospects);
                                 prospects->setCurrentIndex(prospects->findData(int(SharingLevel::Counts)));
                                 QVERIFY(dialog->consentBox()->isChecked());
                                 shoot(dialog, QStringLiteral("mapping-sharing-dialog"));
                                 dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save)->click();
                             });
    QTRY_VERIFY(!m_pane->matrixModel()->index(0, 2).data(OverlapMatrixModel::LockedRole).toBool());
    AgreementRepository repo(*m_window->workspace(), QStringLiteral("tester"));
    auto list = repo.forPartner(m_partnerId);
    QCOMPARE(list->size(), 3);
    // Every population now shares counts: their totals show.
    QVERIFY(!m_pane->summaryLabel()->text().contains(QLatin1String("totals not shared")));
}

void TestAccountMappingPane::revokeEmptiesTheViews()
{
    m_pane->showGreenfield();
    QVERIFY(m_pane->drillModel()->rowCount() > 0);
    AgreementRepository repo(*m_window->workspace(), QStringLiteral("tester"));
    QVERIFY(repo.revoke(m_customerAgreement).ok());
    m_pane->refreshTerms(); // what the pane's timer does every few seconds
    QCOMPARE(m_pane->drillModel()->rowCount(), 0);
    QVERIFY(!m_pane->greenfieldButton()->isEnabled());
    for (int r = 0; r < 3; ++r)
        QVERIFY(m_pane->matrixModel()->index(r, 0).data(OverlapMatrixModel::LockedRole).toBool());
    shoot(m_window.get(), QStringLiteral("mapping-revoked"));
}

void TestAccountMappingPane::staleSwitchIsIgnored()
{
    // Two switches in a row: only the last partner's answer is shown.
    QVERIFY(m_pane->selectPartner(m_partnerId));
    QVERIFY(m_pane->selectPartner(m_otherId));
    QVERIFY(waitForMatrix(m_otherId));
    QTest::qWait(200);
    QCOMPARE(m_pane->matrixModel()->overlap()->partnerId, m_otherId);
    QVERIFY(m_pane->findChild<QLabel *>(QStringLiteral("sharingBanner"))->isVisible());
    shoot(m_window.get(), QStringLiteral("mapping-nothing-shared"));
}

void TestAccountMappingPane::customPopulationAddsRowAndColumn()
{
    PopulationRepository repo(*m_window->workspace());
    CustomPopulation p{{}, QStringLiteral("Enterprise US"), {}, {}};
    p.filter.countries = {QStringLiteral("US")};
    QVERIFY(repo.create(p).ok());
    QVERIFY(m_pane->selectPartner(m_partnerId));
    QTRY_VERIFY_WITH_TIMEOUT(!m_pane->isBusy() && m_pane->matrixModel()->rowCount() == 4, 20000);
    QCOMPARE(m_pane->matrixModel()->headerData(3, Qt::Vertical).toString(), QStringLiteral("Our Enterprise US"));
    // No agreement names custom:Enterprise US, so the column is locked.
    QVERIFY(m_pane->matrixModel()->index(0, 3).data(OverlapMatrixModel::LockedRole).toBool());
}

void TestAccountMappingPane::partnerWithoutAccounts()
{
    OrganizationRepository orgs(*m_window->workspace());
    Organization empty;
    empty.name = QStringLiteral("Aardvark Empty Partner");
    empty.types = {PartnerType::Referral};
    QVERIFY(orgs.insert(empty).ok());
    m_pane->reloadPartners();
    QTRY_VERIFY_WITH_TIMEOUT(m_pane->partnerBox()->count() == 7, 20000);
    QVERIFY(waitForMatrix(m_partnerId)); // the pane stays on the partner it showed
    QVERIFY(m_pane->partnerBox()->itemText(0).contains(QLatin1String("no accounts")));
    QVERIFY(m_pane->selectPartner(empty.id));
    QTRY_VERIFY_WITH_TIMEOUT(!m_pane->isBusy() && m_pane->matrixModel()->rowCount() == 0, 20000);
    bool shown = false;
    for (QLabel *label : m_pane->findChildren<QLabel *>())
        shown = shown || (label->isVisible() && label->text().contains(QLatin1String("No accounts for")));
    QVERIFY(shown);
    shoot(m_window.get(), QStringLiteral("mapping-no-accounts"));
}

QTEST_MAIN(TestAccountMappingPane)
#include "TestAccountMappingPane.moc"
