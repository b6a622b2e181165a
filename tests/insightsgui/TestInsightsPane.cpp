// The Insights pane on a small demo workspace, standalone in a window: the summary equals an independent SQL
// computation (EXISTS sub-queries per room rather than the pane's aggregate), the stacked chart's bar sets equal the
// table they are mapped from, the breakdown adds up to the summary, every attribution model's credits add up to the
// journeys' conversions, the network view emits partnerActivated on a click and zooms with the wheel, and the
// empty state shows on a workspace without rooms. Screenshots in light and dark under $ECOTONE_TEST_OUTPUT/screenshots.
#include "TestSupport.h"
#include "common/EmptyState.h"
#include "common/Theme.h"
#include "common/Translations.h"
#include "deals/BoardColumnModel.h"
#include "demo/DemoDeals.h"
#include "demo/DemoEcosystem.h"
#include "insights/InsightsModels.h"
#include "insights/InsightsPane.h"
#include "insights/NetworkView.h"
#include "insights/PartnerScorecard.h"
#include "store/Workspace.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QBarSeries>
#include <QBarSet>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QStackedBarSeries>
#include <QStandardItemModel>
#include <QTableView>
#include <QTest>
#include <QVBoxLayout>
#include <QWheelEvent>

#include <cmath>

using namespace ecotone;
using namespace ecotone::ui;

class TestInsightsPane : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void summaryMatchesSql();
    void chartMatchesTable();
    void breakdownAddsUp();
    void periodAndQuarters();
    void attribution();
    void network();
    void exportsTheViewsReport();
    void scorecardIsThePartnersRow();
    void emptyWorkspace();
    void screenshots();
    void cleanupTestCase();

private:
    void shoot(QWidget *window, const QString &name);
    qint64 value(const QString &sql, const QString &currency);
    void exec(const QString &sql);

    test::TempDir m_dir;
    std::unique_ptr<Workspace> m_ws;
    std::unique_ptr<QWidget> m_window;
    InsightsPane *m_pane = nullptr;
    QString m_shots;
};

void TestInsightsPane::exec(const QString &sql)
{
    QSqlQuery q(m_ws->db());
    QVERIFY2(q.exec(sql), qPrintable(q.lastError().text()));
}

void TestInsightsPane::initTestCase()
{
    ecotone::ui::installTranslators(*qApp); // English plurals, as the app shows them
    theme::apply(QStringLiteral("light"));
    const QString path = m_dir.file(QStringLiteral("demo.ecotone"));
    DemoOptions options;
    options.partners = 30;
    options.accounts = 600;
    auto demo = createDemoWorkspace(path, options);
    QVERIFY2(demo.ok(), qPrintable(demo.error()));
    auto ws = Workspace::open(path);
    QVERIFY2(ws.ok(), qPrintable(ws.error()));
    m_ws = std::move(ws.value());
    QVERIFY(addDemoDeals(*m_ws, 7, 240, 6).ok());
    // Every demo room has a sourcing partner. To see the three kinds, one room in four loses its sourcing role
    // (influenced when other partners remain) and one in seven loses every partner (untouched).
    exec(QStringLiteral("DELETE FROM deal_room_participants WHERE role = 'sourcing' AND room_id IN "
                        "(SELECT id FROM deal_rooms WHERE rowid % 4 = 1)"));
    exec(QStringLiteral("DELETE FROM deal_room_participants WHERE room_id IN (SELECT id FROM deal_rooms WHERE "
                        "rowid % 7 = 3)"));
    m_shots = QDir(test::outputDir()).filePath(QStringLiteral("screenshots"));
    QDir().mkpath(m_shots);

    m_window = std::make_unique<QWidget>();
    auto *layout = new QVBoxLayout(m_window.get());
    layout->setContentsMargins(0, 0, 0, 0);
    m_pane = new InsightsPane(*m_ws, m_window.get());
    layout->addWidget(m_pane);
    m_window->resize(1500, 950);
    QVERIFY(!m_pane->pipelineReady()); // nothing is read before the pane is shown
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QTRY_VERIFY_WITH_TIMEOUT(m_pane->pipelineReady(), 20000);
}

void TestInsightsPane::cleanupTestCase()
{
    m_window.reset();
    m_ws.reset();
}

void TestInsightsPane::shoot(QWidget *window, const QString &name)
{
    QApplication::processEvents();
    const QString file = QDir(m_shots).filePath(QStringLiteral("insights-") + name + QStringLiteral(".png"));
    QVERIFY2(window->grab().save(file), qPrintable(file));
}

qint64 TestInsightsPane::value(const QString &sql, const QString &currency)
{
    QSqlQuery q(m_ws->db());
    q.prepare(sql);
    q.addBindValue(currency);
    if (!q.exec() || !q.next()) {
        qWarning() << q.lastError().text();
        return -1;
    }
    return q.value(0).toLongLong();
}

void TestInsightsPane::summaryMatchesSql()
{
    const pipeline::PipelineInsights &p = m_pane->insights();
    // The default currency is the one with the most rooms.
    const QString currency = p.currency;
    QCOMPARE(value(QStringLiteral("SELECT count(*) FROM deal_rooms WHERE currency = ?"), currency),
             p.currencies.first().second);
    QVERIFY(!m_pane->showsEmptyState());

    // Per room, with EXISTS: a partner takes part / a partner is sourcing.
    const QString partner = QStringLiteral("EXISTS (SELECT 1 FROM deal_room_participants x JOIN organizations o ON "
                                           "o.id = x.organization_id WHERE x.room_id = r.id AND o.kind = 'partner'");
    const QString anyPartner = partner + QLatin1Char(')');
    const QString sourcing = partner + QStringLiteral(" AND x.role = 'sourcing')");
    auto sum = [&](const QString &outcome, const QString &where) {
        return value(QStringLiteral("SELECT coalesce(sum(r.amount_minor), 0) FROM deal_rooms r JOIN deal_stages s ON "
                                    "s.id = r.stage WHERE r.currency = ? AND s.outcome = '") +
                         outcome + QStringLiteral("' AND ") + where,
                     currency);
    };
    auto rooms = [&](const QString &outcome, const QString &where) {
        return value(QStringLiteral("SELECT count(*) FROM deal_rooms r JOIN deal_stages s ON s.id = r.stage WHERE "
                                    "r.currency = ? AND s.outcome = '") +
                         outcome + QStringLiteral("' AND ") + where,
                     currency);
    };
    const QString influenced = anyPartner + QStringLiteral(" AND NOT ") + sourcing;
    const QString untouched = QStringLiteral("NOT ") + anyPartner;
    using namespace pipeline;
    QCOMPARE(p.pipeline[Sourced].minor, sum(QStringLiteral("open"), sourcing));
    QCOMPARE(p.pipeline[Influenced].minor, sum(QStringLiteral("open"), influenced));
    QCOMPARE(p.pipeline[Untouched].minor, sum(QStringLiteral("open"), untouched));
    QCOMPARE(p.revenue[Sourced].minor, sum(QStringLiteral("won"), sourcing));
    QCOMPARE(p.revenue[Influenced].minor, sum(QStringLiteral("won"), influenced));
    QCOMPARE(p.revenue[Untouched].minor, sum(QStringLiteral("won"), untouched));
    QCOMPARE(p.revenue[Sourced].rooms, rooms(QStringLiteral("won"), sourcing));
    // All three kinds are present, so the test compares more than zeros.
    for (int t = 0; t < TouchCount; ++t)
        QVERIFY2(p.pipeline[size_t(t)].minor > 0, qPrintable(QString::number(t)));
    const QString twoPartners =
        QStringLiteral("(SELECT count(DISTINCT x.organization_id) FROM deal_room_participants x JOIN organizations o "
                       "ON o.id = x.organization_id WHERE x.room_id = r.id AND o.kind = 'partner') >= 2");
    QCOMPARE(p.partnerToPartner.minor, sum(QStringLiteral("won"), twoPartners));
    QVERIFY(p.partnerToPartner.minor > 0);
    QCOMPARE(p.withPartners.won, rooms(QStringLiteral("won"), anyPartner));
    QCOMPARE(p.withPartners.lost, rooms(QStringLiteral("lost"), anyPartner));
    QCOMPARE(p.withoutPartners.won, rooms(QStringLiteral("won"), untouched));
    QCOMPARE(p.withoutPartners.lost, rooms(QStringLiteral("lost"), untouched));

    // What the tiles show.
    const QString sourcedTile = m_pane->tile(InsightsPane::Tile::Sourced)->text();
    QVERIFY2(sourcedTile.contains(formatMoney(p.pipeline[Sourced].minor, currency, true).toHtmlEscaped()),
             qPrintable(sourcedTile));
    QVERIFY(sourcedTile.contains(formatMoney(p.revenue[Sourced].minor, currency, true).toHtmlEscaped()));
    QVERIFY(m_pane->tile(InsightsPane::Tile::Untouched)
                ->text()
                .contains(formatMoney(p.pipeline[Untouched].minor, currency, true).toHtmlEscaped()));
    QVERIFY(m_pane->tile(InsightsPane::Tile::PartnerToPartner)
                ->text()
                .contains(formatMoney(p.partnerToPartner.minor, currency, true).toHtmlEscaped()));
    const QString rate = QLocale().toString(p.withPartners.winRate() * 100, 'f', 0) + QStringLiteral(" %");
    QVERIFY2(m_pane->tile(InsightsPane::Tile::WithPartners)->text().contains(rate), qPrintable(rate));
}

void TestInsightsPane::chartMatchesTable()
{
    PipelineSeriesModel *model = m_pane->seriesModel();
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QStackedBarSeries *series = m_pane->pipelineSeries();
    QVERIFY(model->rowCount() > 1);
    QCOMPARE(series->count(), model->columnCount());
    qint64 minor = 0;
    for (int c = 0; c < model->columnCount(); ++c) {
        QBarSet *set = series->barSets().at(c);
        QCOMPARE(set->label(), model->headerData(c, Qt::Horizontal).toString());
        QCOMPARE(set->count(), model->rowCount());
        double column = 0, bars = 0;
        for (int r = 0; r < model->rowCount(); ++r) {
            column += model->index(r, c).data().toDouble();
            bars += set->at(r);
            minor += model->minorAt(r, c);
        }
        QCOMPARE(bars, column);
    }
    // The chart's pipeline is the summary's: every open room of the period in one bucket and type.
    const pipeline::PipelineInsights &p = m_pane->insights();
    QCOMPARE(minor, p.pipeline[0].minor + p.pipeline[1].minor + p.pipeline[2].minor);

    // Revenue: the same, after switching the measure.
    auto *measure = m_pane->findChildren<QComboBox *>().first();
    for (QComboBox *box : m_pane->findChildren<QComboBox *>())
        if (box->accessibleName() == QStringLiteral("Chart measure"))
            measure = box;
    measure->setCurrentIndex(1);
    QCOMPARE(model->measure(), PipelineSeriesModel::Measure::Revenue);
    qint64 revenue = 0;
    double bars = 0, cells = 0;
    for (int c = 0; c < model->columnCount(); ++c)
        for (int r = 0; r < model->rowCount(); ++r) {
            revenue += model->minorAt(r, c);
            bars += series->barSets().at(c)->at(r);
            cells += model->index(r, c).data().toDouble();
        }
    QCOMPARE(revenue, p.revenue[0].minor + p.revenue[1].minor + p.revenue[2].minor);
    QCOMPARE(bars, cells);

    // Partner-to-partner revenue over time: the same, adding up to the tile's figure.
    measure->setCurrentIndex(2);
    QCOMPARE(model->measure(), PipelineSeriesModel::Measure::PartnerToPartner);
    qint64 p2p = 0;
    bars = cells = 0;
    for (int c = 0; c < model->columnCount(); ++c)
        for (int r = 0; r < model->rowCount(); ++r) {
            p2p += model->minorAt(r, c);
            bars += series->barSets().at(c)->at(r);
            cells += model->index(r, c).data().toDouble();
        }
    QCOMPARE(p2p, p.partnerToPartner.minor);
    QCOMPARE(bars, cells);
    measure->setCurrentIndex(0);
}

void TestInsightsPane::breakdownAddsUp()
{
    PipelineTableModel *model = m_pane->tableModel();
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const pipeline::PipelineInsights &p = m_pane->insights();
    for (bool byType : {false, true}) {
        m_pane->setGroupByType(byType);
        QCOMPARE(model->perPartner(), !byType);
        qint64 pipe = 0, revenue = 0, p2p = 0;
        for (int r = 0; r < model->rowCount(); ++r) {
            pipe += model->index(r, PipelineTableModel::Pipeline).data(kSortRole).toLongLong();
            revenue += model->index(r, PipelineTableModel::Revenue).data(kSortRole).toLongLong();
            p2p += model->index(r, PipelineTableModel::PartnerToPartner).data(kSortRole).toLongLong();
        }
        QCOMPARE(pipe, p.pipeline[0].minor + p.pipeline[1].minor + p.pipeline[2].minor);
        QCOMPARE(revenue, p.revenue[0].minor + p.revenue[1].minor + p.revenue[2].minor);
        QCOMPARE(p2p, p.partnerToPartner.minor);
        QCOMPARE(m_pane->tableView()->isColumnHidden(PipelineTableModel::MultiPartner), byType);
    }
    m_pane->setGroupByType(false);
    // Sortable, through the view's header.
    m_pane->tableView()->sortByColumn(PipelineTableModel::Pipeline, Qt::DescendingOrder);
    for (int r = 1; r < model->rowCount(); ++r)
        QVERIFY(model->index(r - 1, PipelineTableModel::Pipeline).data(kSortRole).toLongLong() >=
                model->index(r, PipelineTableModel::Pipeline).data(kSortRole).toLongLong());
    m_pane->tableView()->sortByColumn(PipelineTableModel::Name, Qt::AscendingOrder);
    QVERIFY(QString::localeAwareCompare(model->index(0, 0).data().toString(), model->index(1, 0).data().toString()) <=
            0);
    // A double-click on a partner row opens the partner.
    QSignalSpy activated(m_pane, &InsightsPane::partnerActivated);
    int row = 0;
    while (model->index(row, 0).data(kIdRole).toString().isEmpty())
        ++row;
    const QModelIndex index = m_pane->tableView()->model()->index(row, 0);
    m_pane->tableView()->scrollTo(index);
    const QRect rect = m_pane->tableView()->visualRect(index);
    QTest::mouseClick(m_pane->tableView()->viewport(), Qt::LeftButton, {}, rect.center());
    QTest::mouseDClick(m_pane->tableView()->viewport(), Qt::LeftButton, {}, rect.center());
    QCOMPARE(activated.size(), 1);
    QCOMPARE(activated.first().first().toString(), index.data(kIdRole).toString());
    m_pane->tableView()->sortByColumn(PipelineTableModel::Revenue, Qt::DescendingOrder);
}

void TestInsightsPane::periodAndQuarters()
{
    // A custom period: open rooms by their creation day, closed ones by close date (else updated_at).
    const QDate from = QDate::currentDate().addDays(-200), to = QDate::currentDate().addDays(-20);
    QSignalSpy loaded(m_pane, &InsightsPane::pipelineLoaded);
    m_pane->setPeriod(from, to);
    QTRY_VERIFY_WITH_TIMEOUT(loaded.size() >= 1 && m_pane->pipelineReady(), 20000);
    const pipeline::PipelineInsights &p = m_pane->insights();
    QCOMPARE(p.query.from, from);
    QCOMPARE(p.query.to, to);
    const QString currency = p.currency;
    const QString f = from.toString(Qt::ISODate), t = to.toString(Qt::ISODate);
    QCOMPARE(p.pipeline[0].minor + p.pipeline[1].minor + p.pipeline[2].minor,
             value(QStringLiteral("SELECT coalesce(sum(r.amount_minor), 0) FROM deal_rooms r JOIN deal_stages s ON "
                                  "s.id = r.stage WHERE r.currency = ? AND s.outcome = 'open' AND "
                                  "substr(r.created_at, 1, 10) BETWEEN '%1' AND '%2'")
                       .arg(f, t),
                   currency));
    QCOMPARE(p.revenue[0].minor + p.revenue[1].minor + p.revenue[2].minor,
             value(QStringLiteral("SELECT coalesce(sum(r.amount_minor), 0) FROM deal_rooms r JOIN deal_stages s ON "
                                  "s.id = r.stage WHERE r.currency = ? AND s.outcome = 'won' AND "
                                  "coalesce(nullif(r.close_date, ''), substr(r.updated_at, 1, 10)) BETWEEN '%1' AND "
                                  "'%2'")
                       .arg(f, t),
                   currency));
    for (const pipeline::SeriesBucket &b : p.series)
        QVERIFY(b.start >= QDate(from.year(), from.month(), 1) && b.start <= to);

    // Quarters: at most three months per bucket, same totals.
    const qint64 total = p.pipeline[0].minor + p.pipeline[1].minor + p.pipeline[2].minor;
    const qsizetype months = p.series.size();
    loaded.clear();
    m_pane->setBucket(pipeline::Bucket::Quarter);
    QTRY_VERIFY_WITH_TIMEOUT(loaded.size() >= 1 && m_pane->pipelineReady(), 20000);
    QVERIFY(m_pane->insights().series.size() <= (months + 2) / 3 + 1);
    qint64 quarterSum = 0;
    for (int r = 0; r < m_pane->seriesModel()->rowCount(); ++r)
        for (int c = 0; c < m_pane->seriesModel()->columnCount(); ++c)
            quarterSum += m_pane->seriesModel()->minorAt(r, c);
    QCOMPARE(quarterSum, total);
    QVERIFY(m_pane->seriesModel()->headerData(0, Qt::Vertical).toString().startsWith(QLatin1Char('Q')));

    // Another currency: never mixed.
    const QString other = m_pane->insights().currencies.last().first;
    loaded.clear();
    m_pane->setCurrency(other);
    QTRY_VERIFY_WITH_TIMEOUT(loaded.size() >= 1 && m_pane->pipelineReady(), 20000);
    QCOMPARE(m_pane->insights().currency, other);

    loaded.clear();
    m_pane->setCurrency(currency);
    m_pane->setBucket(pipeline::Bucket::Month);
    m_pane->setPeriod({}, {});
    QTRY_VERIFY_WITH_TIMEOUT(
        loaded.size() >= 1 && m_pane->pipelineReady() && !m_pane->insights().query.from.isValid() &&
            m_pane->insights().query.bucket == pipeline::Bucket::Month && m_pane->insights().currency == currency,
        20000);
}

void TestInsightsPane::attribution()
{
    m_pane->setView(InsightsPane::View::Attribution);
    QTRY_VERIFY_WITH_TIMEOUT(m_pane->attributionReady(), 60000);
    AttributionTableModel *model = m_pane->attributionModel();
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model->runs().size(), 8); // every model of docs/attribution.md
    const double conversions = m_pane->journeyConversions();
    QVERIFY(conversions > 0);
    // Conversions are won rooms that partners touched: no more than the won rooms.
    QVERIFY(conversions <= value(QStringLiteral("SELECT count(*) FROM deal_rooms r JOIN deal_stages s ON s.id = "
                                                "r.stage WHERE s.outcome = 'won' AND r.currency <> ?"),
                                 QStringLiteral("none")));
    for (int run = 0; run < model->runs().size(); ++run) {
        QVERIFY2(model->runs().at(run).error.isEmpty(), qPrintable(model->runs().at(run).error));
        double sum = 0;
        for (int r = 0; r < model->rowCount(); ++r)
            sum += model->index(r, run + 1).data().toDouble();
        QVERIFY2(std::abs(sum - conversions) < 1e-6 * conversions,
                 qPrintable(model->runs().at(run).model + QStringLiteral(": ") + QString::number(sum)));
    }
    // The grouped chart maps the table: one bar set per model, one bar per partner of the first rows.
    QBarSeries *series = m_pane->attributionSeries();
    QCOMPARE(series->count(), model->runs().size());
    for (int run = 0; run < series->count(); ++run) {
        QBarSet *set = series->barSets().at(run);
        QCOMPARE(set->label(), model->headerData(run + 1, Qt::Horizontal).toString());
        QCOMPARE(set->count(), std::min(10, model->rowCount()));
        for (int r = 0; r < set->count(); ++r)
            QCOMPARE(set->at(r), model->index(r, run + 1).data().toDouble());
    }
    // Value: the credits add up to the journeys' value.
    model->setShowValue(true);
    for (int run = 0; run < model->runs().size(); ++run) {
        double sum = 0;
        for (int r = 0; r < model->rowCount(); ++r)
            sum += model->index(r, run + 1).data().toDouble();
        QVERIFY(std::abs(sum - m_pane->journeyValue()) < 1e-6 * m_pane->journeyValue());
    }
    model->setShowValue(false);
}

void TestInsightsPane::network()
{
    m_pane->setView(InsightsPane::View::Network);
    QTRY_VERIFY_WITH_TIMEOUT(m_pane->networkReady(), 60000);
    QAbstractItemModelTester tester(m_pane->networkModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    NetworkView *view = m_pane->networkView();
    QCOMPARE(view->nodeCount(), m_pane->networkModel()->rowCount());
    QCOMPARE(qint64(view->nodeCount()),
             value(QStringLiteral("SELECT count(*) FROM organizations WHERE kind = 'partner' AND id <> ?"),
                   QStringLiteral("-")));
    QApplication::processEvents();

    // A click on the most central partner (the table's first row) opens it.
    const QString id = m_pane->networkModel()->index(0, 0).data(kIdRole).toString();
    const QPoint at = view->nodeViewportPos(id);
    QVERIFY(view->viewport()->rect().contains(at));
    QSignalSpy activated(m_pane, &InsightsPane::partnerActivated);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, at);
    QCOMPARE(activated.size(), 1);
    QCOMPARE(activated.first().first().toString(), id);

    // The wheel zooms in under the mouse.
    const double before = view->zoom();
    QWheelEvent wheel(QPointF(at), view->viewport()->mapToGlobal(QPointF(at)), {}, QPoint(0, 240), Qt::NoButton,
                      Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(view->viewport(), &wheel);
    QVERIFY(view->zoom() > before * 1.3);
    view->fitAll();
}

// Export Report writes the current view's report (here the network's) off the GUI thread, and says so.
void TestInsightsPane::exportsTheViewsReport()
{
    m_pane->setView(InsightsPane::View::Network);
    for (const char *ext : {"pdf", "json"}) {
        const QString path = m_dir.file(QStringLiteral("insights-export.") + QLatin1String(ext));
        QSignalSpy done(m_pane, &InsightsPane::reportExported);
        m_pane->exportReport(path);
        QVERIFY(done.wait(30000));
        QVERIFY2(done.first().at(1).toBool(), qPrintable(done.first().at(2).toString()));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        if (QLatin1String(ext) == QLatin1String("pdf"))
            QVERIFY(bytes.startsWith("%PDF-"));
        else
            QCOMPARE(QJsonDocument::fromJson(bytes).object().value(QStringLiteral("kind")).toString(),
                     QStringLiteral("network"));
    }
    QVERIFY(m_pane->findChild<QPushButton *>(QStringLiteral("exportReport")));
    m_pane->setView(InsightsPane::View::Pipeline);
}

// A partner's scorecard: its figures are its row of the Pipeline tab, its series adds up to that row, and the chart
// draws the table's columns.
void TestInsightsPane::scorecardIsThePartnersRow()
{
    m_pane->setView(InsightsPane::View::Scorecards);
    const pipeline::PipelineInsights &p = m_pane->insights();
    const pipeline::GroupRow *row = nullptr;
    for (const pipeline::GroupRow &r : p.partners)
        if (!r.id.isEmpty() && r.revenueTotal().minor > 0 && r.pipelineTotal().minor > 0) {
            row = &r;
            break;
        }
    QVERIFY(row);
    PartnerScorecard *card = m_pane->scorecard();
    QVERIFY(card->setPartner(row->id));
    const auto series = pipeline::partnerSeries(p, row->id);
    qint64 pipelineSum = 0, revenueSum = 0;
    for (const auto &[pipe, rev] : series) {
        pipelineSum += pipe;
        revenueSum += rev;
    }
    QCOMPARE(pipelineSum, row->pipelineTotal().minor);
    QCOMPARE(revenueSum, row->revenueTotal().minor);
    QStandardItemModel *model = card->seriesModel();
    QCOMPARE(model->rowCount(), int(p.series.size()));
    QCOMPARE(card->chartSeries()->count(), 2);
    for (int column = 0; column < 2; ++column) {
        const QBarSet *set = card->chartSeries()->barSets().at(column);
        QCOMPARE(set->count(), model->rowCount());
        for (int r = 0; r < model->rowCount(); ++r)
            QCOMPARE(set->at(r), model->item(r, column)->data(Qt::DisplayRole).toDouble());
    }
    QVERIFY(card->figures()->text().contains(QStringLiteral("%1 won").arg(row->performance.won)));
    shoot(m_window.get(), QStringLiteral("scorecard"));
    m_pane->setView(InsightsPane::View::Pipeline);
}

void TestInsightsPane::emptyWorkspace()
{
    auto ws = test::createWorkspace(m_dir.file(QStringLiteral("empty.ecotone")));
    QVERIFY(ws);
    QWidget window;
    auto *layout = new QVBoxLayout(&window);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *pane = new InsightsPane(*ws, &window);
    layout->addWidget(pane);
    window.resize(1200, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_VERIFY_WITH_TIMEOUT(pane->pipelineReady(), 20000);
    QVERIFY(pane->showsEmptyState());
    QVERIFY(pane->emptyState()->isVisible());
    shoot(&window, QStringLiteral("empty"));
}

void TestInsightsPane::screenshots()
{
    for (const QString &t : {QStringLiteral("light"), QStringLiteral("dark")}) {
        theme::apply(t);
        m_pane->setView(InsightsPane::View::Pipeline);
        shoot(m_window.get(), QStringLiteral("pipeline-") + t);
        m_pane->setView(InsightsPane::View::Attribution);
        QTRY_VERIFY_WITH_TIMEOUT(m_pane->attributionReady(), 60000);
        shoot(m_window.get(), QStringLiteral("attribution-") + t);
        m_pane->setView(InsightsPane::View::Network);
        QTRY_VERIFY_WITH_TIMEOUT(m_pane->networkReady(), 60000);
        shoot(m_window.get(), QStringLiteral("network-") + t);
    }
    theme::apply(QStringLiteral("light"));
    m_pane->setView(InsightsPane::View::Pipeline);
    m_pane->setGroupByType(true);
    for (QComboBox *box : m_pane->findChildren<QComboBox *>())
        if (box->accessibleName() == QStringLiteral("Chart measure"))
            box->setCurrentIndex(2); // partner-to-partner revenue over time
    shoot(m_window.get(), QStringLiteral("pipeline-types"));
    m_pane->setGroupByType(false);
}

QTEST_MAIN(TestInsightsPane)
#include "TestInsightsPane.moc"
