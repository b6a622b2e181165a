#pragma once

#include "pipeline/PipelineInsights.h"

#include <QPointer>
#include <QThread>
#include <QWidget>

#include <functional>
#include <memory>

class QBarCategoryAxis;
class QBarSeries;
class QChart;
class QChartView;
class QComboBox;
class QDateEdit;
class QLabel;
class QProgressBar;
class QSpinBox;
class QStackedBarSeries;
class QStackedWidget;
class QTabWidget;
class QTableView;
class QVBarModelMapper;
class QValueAxis;

namespace ecotone {
class Workspace;
}

namespace ecotone::ui {

class PartnerScorecard;

class AttributionTableModel;
class EmptyState;
class NetworkTableModel;
class NetworkView;
class PipelineSeriesModel;
class PipelineTableModel;

// The Insights pane (docs/insights.md): pipeline and revenue that partners sourced, influenced or did not touch,
// per partner, partner type and month; the workspace's journeys under every attribution model side by side; the
// partner network. Every figure is read on a worker thread with its own connection, so the pane never blocks;
// charts are fed from the item models their tables show (QVBarModelMapper), so the two never disagree.
// Nothing is read until the pane is first shown.
class InsightsPane : public QWidget
{
    Q_OBJECT

public:
    enum class View
    {
        Pipeline,
        Attribution,
        Network,
        Scorecards,
    };
    enum class Tile
    {
        Sourced,
        Influenced,
        Untouched,
        PartnerToPartner,
        WithPartners,
        WithoutPartners,
    };

    explicit InsightsPane(Workspace &workspace, QWidget *parent = nullptr);
    ~InsightsPane() override;

    // Reads everything again (after deal rooms, partners or attribution inputs changed). Cheap to call while the
    // pane is hidden: it then only marks the data stale and reads when shown.
    void reload();
    void setView(View view);
    View view() const;
    // The period; invalid dates leave a side open (both invalid: all time).
    void setPeriod(const QDate &from, const QDate &to);
    void setCurrency(const QString &currency);
    void setBucket(pipeline::Bucket bucket);
    void setGroupByType(bool byType);
    // Writes the report of the current view (pipeline, attribution or network) for the pane's period, as PDF,
    // CSV, JSON, PNG or SVG by the file's extension, on a worker thread; reportExported tells how it went.
    void exportReport(const QString &path);

    bool pipelineReady() const { return m_pipelineReady; }
    bool attributionReady() const { return m_attributionReady; }
    bool networkReady() const { return m_networkReady; }
    const pipeline::PipelineInsights &insights() const { return m_insights; }
    QLabel *tile(Tile t) const;
    PipelineTableModel *tableModel() const { return m_table; }
    QTableView *tableView() const { return m_tableView; }
    PipelineSeriesModel *seriesModel() const { return m_series; }
    QStackedBarSeries *pipelineSeries() const { return m_stacked; }
    QChartView *pipelineChartView() const { return m_pipelineChartView; }
    AttributionTableModel *attributionModel() const { return m_attribution; }
    QBarSeries *attributionSeries() const { return m_grouped; }
    NetworkTableModel *networkModel() const { return m_network; }
    NetworkView *networkView() const { return m_networkView; }
    PartnerScorecard *scorecard() const { return m_scorecard; }
    EmptyState *emptyState() const { return m_empty; }
    bool showsEmptyState() const;
    // Attribution inputs, as the CLI reports them.
    double journeyConversions() const { return m_journeyConversions; }
    double journeyValue() const { return m_journeyValue; }
    int journeyCount() const { return m_journeyCount; }

Q_SIGNALS:
    void partnerActivated(const QString &partnerId); // a node of the network or a partner row was double-clicked
    void pipelineLoaded();
    void attributionLoaded();
    void networkLoaded();
    void reportExported(const QString &path, bool ok, const QString &message);

protected:
    void showEvent(QShowEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    struct AttributionData;
    struct NetworkData;

    void buildUi();
    QWidget *buildPipelinePage();
    QWidget *buildAttributionPage();
    QWidget *buildNetworkPage();
    void periodPresetChanged();
    void requestPipeline();
    void requestAttribution();
    void requestNetwork();
    void requestCurrentView();
    void applyPipeline(const pipeline::PipelineInsights &insights, const QString &error);
    void applyAttribution(const std::shared_ptr<AttributionData> &data);
    void applyNetwork(const std::shared_ptr<NetworkData> &data);
    void fillTiles();
    void fillTable();
    void fillSeries();
    void fillAttributionChart();
    void restyle();
    void setBusy(bool busy, const QString &text = {});
    // Long work (attribution, network) at low priority; the pipeline the user waits for at normal.
    void runWorker(std::function<void()> work, QThread::Priority priority = QThread::LowPriority);
    pipeline::PipelineQuery query() const;

    Workspace &m_workspace;
    PartnerScorecard *m_scorecard = nullptr;
    bool m_shownOnce = false;
    bool m_stale = true;
    bool m_pipelineReady = false;
    bool m_attributionReady = false;
    bool m_networkReady = false;
    bool m_attributionStale = true;
    bool m_networkStale = true;
    quint64 m_pipelineGeneration = 0;
    quint64 m_attributionGeneration = 0;
    quint64 m_networkGeneration = 0;
    int m_busyCount = 0;
    QList<QPointer<QThread>> m_workers;
    pipeline::PipelineInsights m_insights;
    double m_journeyConversions = 0;
    double m_journeyValue = 0;
    int m_journeyCount = 0;

    QComboBox *m_period = nullptr;
    QDateEdit *m_from = nullptr;
    QDateEdit *m_to = nullptr;
    QLabel *m_dash = nullptr;
    QComboBox *m_currency = nullptr;
    QComboBox *m_bucket = nullptr;
    QProgressBar *m_busy = nullptr;
    QLabel *m_busyLabel = nullptr;
    QStackedWidget *m_stack = nullptr;
    EmptyState *m_empty = nullptr;
    QTabWidget *m_tabs = nullptr;

    QList<QLabel *> m_tiles;
    QLabel *m_periodNote = nullptr;
    PipelineTableModel *m_table = nullptr;
    QTableView *m_tableView = nullptr;
    QComboBox *m_groupBy = nullptr;
    PipelineSeriesModel *m_series = nullptr;
    QTableView *m_seriesView = nullptr;
    QComboBox *m_measure = nullptr;
    QChart *m_pipelineChart = nullptr;
    QChartView *m_pipelineChartView = nullptr;
    QStackedBarSeries *m_stacked = nullptr;
    QVBarModelMapper *m_stackedMapper = nullptr;
    QBarCategoryAxis *m_bucketAxis = nullptr;
    QValueAxis *m_amountAxis = nullptr;

    AttributionTableModel *m_attribution = nullptr;
    QTableView *m_attributionView = nullptr;
    QComboBox *m_creditKind = nullptr;
    QSpinBox *m_halfLife = nullptr;
    QSpinBox *m_markovOrder = nullptr;
    QComboBox *m_shapley = nullptr;
    QComboBox *m_linearPer = nullptr;
    QLabel *m_attributionNote = nullptr;
    QChart *m_attributionChart = nullptr;
    QChartView *m_attributionChartView = nullptr;
    QBarSeries *m_grouped = nullptr;
    QVBarModelMapper *m_groupedMapper = nullptr;
    QBarCategoryAxis *m_partnerAxis = nullptr;
    QValueAxis *m_creditAxis = nullptr;

    NetworkTableModel *m_network = nullptr;
    QTableView *m_networkTable = nullptr;
    NetworkView *m_networkView = nullptr;
    QLabel *m_networkNote = nullptr;
};

} // namespace ecotone::ui
