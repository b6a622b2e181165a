#include "insights/InsightsPane.h"

#include "attribution/AttributionModels.h"
#include "attribution/WorkspaceTouchpoints.h"
#include "common/EmptyState.h"
#include "common/Theme.h"
#include "deals/BoardColumnModel.h"
#include "insights/InsightsModels.h"
#include "insights/NetworkView.h"
#include "insights/PartnerNetwork.h"
#include "insights/PartnerScorecard.h"
#include "reports/Reports.h"
#include "store/Workspace.h"

#include <QApplication>
#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateEdit>
#include <QDir>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGraphicsLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStackedBarSeries>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QThread>
#include <QVBarModelMapper>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace ecotone::ui {

namespace {
constexpr int kChartPartners = 10; // partners in the attribution chart (the table lists all)

enum Preset
{
    AllTime,
    Last12Months,
    ThisYear,
    LastYear,
    ThisQuarter,
    LastQuarter,
    Custom,
};

// Fixed colours per partner type, so a type keeps its colour when the period changes which types appear.
QColor typeColor(const QString &key, int index)
{
    static const QHash<QString, QColor> colors = {
        {QStringLiteral("reseller"), QColor(0x2F, 0x6F, 0xDE)},
        {QStringLiteral("technology"), QColor(0x1E, 0xA3, 0x8A)},
        {QStringLiteral("hyperscaler"), QColor(0xF2, 0x99, 0x1B)},
        {QStringLiteral("systems_integrator"), QColor(0x8E, 0x5C, 0xD9)},
        {QStringLiteral("isv"), QColor(0xD9, 0x4F, 0x70)},
        {QStringLiteral("referral"), QColor(0x5B, 0xA8, 0x3A)},
        {QStringLiteral("untyped"), QColor(0x8D, 0x99, 0xA6)},
        {QStringLiteral("none"), QColor(0xB9, 0xC0, 0xC8)},
    };
    static const QColor spare[] = {QColor(0x00, 0x8B, 0xA8), QColor(0xA6, 0x6A, 0x2C), QColor(0x6B, 0x7F, 0x3A)};
    return colors.value(key, spare[index % 3]);
}

QColor modelColor(int index)
{
    static const QColor colors[] = {QColor(0x2F, 0x6F, 0xDE), QColor(0x1E, 0xA3, 0x8A), QColor(0xF2, 0x99, 0x1B),
                                    QColor(0x8E, 0x5C, 0xD9), QColor(0xD9, 0x4F, 0x70), QColor(0x5B, 0xA8, 0x3A),
                                    QColor(0x00, 0x8B, 0xA8), QColor(0x7A, 0x86, 0x93)};
    return colors[index % 8];
}

QString modelTitle(const QString &model)
{
    if (model == QLatin1String("first-touch"))
        return InsightsPane::tr("First touch");
    if (model == QLatin1String("last-touch"))
        return InsightsPane::tr("Last touch");
    if (model == QLatin1String("linear"))
        return InsightsPane::tr("Linear");
    if (model == QLatin1String("position-based"))
        return InsightsPane::tr("Position-based");
    if (model == QLatin1String("time-decay"))
        return InsightsPane::tr("Time decay");
    if (model == QLatin1String("w-shaped"))
        return InsightsPane::tr("W-shaped");
    if (model == QLatin1String("shapley"))
        return InsightsPane::tr("Shapley");
    if (model == QLatin1String("markov"))
        return InsightsPane::tr("Markov");
    return model;
}

QString money(qint64 minor, const QString &currency)
{
    return formatMoney(minor, currency, true);
}

void setupTable(QTableView *view)
{
    view->setSortingEnabled(true);
    view->setAlternatingRowColors(true);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 10);
    view->horizontalHeader()->setHighlightSections(false);
    view->horizontalHeader()->setSortIndicatorShown(true);
    view->setWordWrap(false);
}

QChartView *makeChartView(QChart *chart, QWidget *parent)
{
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(6, 6, 6, 6));
    chart->layout()->setContentsMargins(0, 0, 0, 0);
    chart->setBackgroundRoundness(0);
    auto *view = new QChartView(chart, parent);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumHeight(240);
    return view;
}
} // namespace

struct InsightsPane::AttributionData
{
    bool complete = true; // false: the first delivery, with Markov still running
    QList<AttributionTableModel::ModelRun> runs;
    QString error;
    int journeys = 0;
    double conversions = 0;
    double value = 0;
    double nulls = 0;
    double milliseconds = 0;
};

struct InsightsPane::NetworkData
{
    insights::PartnerNetwork network;
    insights::NetworkMeasures measures;
    std::vector<QPointF> positions;
    QString error;
};

InsightsPane::InsightsPane(Workspace &workspace, QWidget *parent)
    : QWidget(parent)
    , m_workspace(workspace)
    , m_table(new PipelineTableModel(this))
    , m_series(new PipelineSeriesModel(this))
    , m_attribution(new AttributionTableModel(this))
    , m_network(new NetworkTableModel(this))
{
    setObjectName(QStringLiteral("insightsPane"));
    buildUi();
}

InsightsPane::~InsightsPane()
{
    // Workers deliver through a QPointer to this pane, so they only need to finish before the process does; the
    // attribution models and the network measures are bounded, so waiting here is short.
    for (const QPointer<QThread> &worker : std::as_const(m_workers))
        if (worker)
            worker->wait();
}

void InsightsPane::buildUi()
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(20, 16, 20, 12);
    outer->setSpacing(10);

    outer->addWidget(theme::paneTitle(tr("Insights"), this));

    auto *bar = new QHBoxLayout;
    bar->setSpacing(8);
    auto *periodLabel = new QLabel(tr("&Period:"), this);
    m_period = new QComboBox(this);
    m_period->setObjectName(QStringLiteral("periodBox"));
    m_period->addItem(tr("All time"), AllTime);
    m_period->addItem(tr("Last 12 months"), Last12Months);
    m_period->addItem(tr("This year"), ThisYear);
    m_period->addItem(tr("Last year"), LastYear);
    m_period->addItem(tr("This quarter"), ThisQuarter);
    m_period->addItem(tr("Last quarter"), LastQuarter);
    m_period->addItem(tr("Custom"), Custom);
    periodLabel->setBuddy(m_period);
    m_from = new QDateEdit(this);
    m_to = new QDateEdit(this);
    for (QDateEdit *d : {m_from, m_to}) {
        d->setCalendarPopup(true);
        d->setDisplayFormat(QLocale().dateFormat(QLocale::ShortFormat));
        d->setDate(QDate::currentDate());
    }
    m_from->setAccessibleName(tr("From"));
    m_to->setAccessibleName(tr("To"));
    m_dash = new QLabel(QStringLiteral("–"), this);
    auto *currencyLabel = new QLabel(tr("C&urrency:"), this);
    m_currency = new QComboBox(this);
    m_currency->setObjectName(QStringLiteral("currencyBox"));
    m_currency->setToolTip(tr("Amounts are never converted: one currency at a time"));
    currencyLabel->setBuddy(m_currency);
    auto *bucketLabel = new QLabel(tr("&By:"), this);
    m_bucket = new QComboBox(this);
    m_bucket->addItem(tr("Month"));
    m_bucket->addItem(tr("Quarter"));
    bucketLabel->setBuddy(m_bucket);
    m_busy = new QProgressBar(this);
    m_busy->setRange(0, 0);
    m_busy->setMaximumWidth(90);
    m_busy->setMaximumHeight(10);
    m_busy->setTextVisible(false);
    m_busyLabel = new QLabel(this);
    m_busyLabel->setForegroundRole(QPalette::PlaceholderText);
    for (QWidget *w : {static_cast<QWidget *>(m_busy), static_cast<QWidget *>(m_busyLabel)}) {
        QSizePolicy sp = w->sizePolicy();
        sp.setRetainSizeWhenHidden(true);
        w->setSizePolicy(sp);
        w->hide();
    }
    bar->addWidget(periodLabel);
    bar->addWidget(m_period);
    bar->addWidget(m_from);
    bar->addWidget(m_dash);
    bar->addWidget(m_to);
    bar->addSpacing(12);
    bar->addWidget(currencyLabel);
    bar->addWidget(m_currency);
    bar->addSpacing(12);
    bar->addWidget(bucketLabel);
    bar->addWidget(m_bucket);
    bar->addSpacing(12);
    bar->addWidget(m_busy);
    bar->addWidget(m_busyLabel);
    bar->addStretch();
    auto *exportButton = new QPushButton(tr("Export Report…"), this);
    exportButton->setObjectName(QStringLiteral("exportReport"));
    exportButton->setToolTip(tr("The current view's report for this period: PDF with charts and tables, CSV, JSON, "
                                "or the chart as PNG or SVG"));
    connect(exportButton, &QPushButton::clicked, this, [this] {
        QSettings settings;
        const QString dir = settings
                                .value(QStringLiteral("insights/exportDirectory"),
                                       QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation))
                                .toString();
        const QString kind = view() == View::Attribution ? QStringLiteral("attribution")
                             : view() == View::Network   ? QStringLiteral("network")
                                                         : QStringLiteral("pipeline");
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Export Report"),
            QDir(dir).filePath(m_workspace.displayName() + QLatin1Char('-') + kind + QStringLiteral(".pdf")),
            tr("PDF report (*.pdf);;CSV table (*.csv);;JSON data (*.json);;PNG chart (*.png);;SVG chart (*.svg)"));
        if (path.isEmpty())
            return;
        settings.setValue(QStringLiteral("insights/exportDirectory"), QFileInfo(path).absolutePath());
        exportReport(path);
    });
    bar->addWidget(exportButton);
    outer->addLayout(bar);

    m_stack = new QStackedWidget(this);
    m_empty = new EmptyState(QStringLiteral("insights"), tr("No deal rooms yet"),
                             tr("Insights show the pipeline and revenue your partners source and influence, how each "
                                "attribution model credits them, and how partners work together. They are computed "
                                "from deal rooms: open one in the Deal Rooms pane, or register a deal."),
                             m_stack);
    m_empty->setPoints({tr("Sourced, influenced and untouched pipeline and revenue"),
                        tr("Win rate and time to close with and without partners"),
                        tr("Every attribution model side by side"), tr("The partner network and its brokers")});
    m_tabs = new QTabWidget(m_stack);
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(buildPipelinePage(), tr("Pipeline"));
    m_tabs->addTab(buildAttributionPage(), tr("Attribution"));
    m_tabs->addTab(buildNetworkPage(), tr("Network"));
    m_scorecard = new PartnerScorecard(m_tabs);
    m_tabs->addTab(m_scorecard, tr("Scorecards"));
    connect(m_scorecard, &PartnerScorecard::partnerActivated, this, &InsightsPane::partnerActivated);
    m_stack->addWidget(m_tabs);
    m_stack->addWidget(m_empty);
    m_stack->setCurrentWidget(m_tabs);
    outer->addWidget(m_stack, 1);

    auto presetChanged = [this] { periodPresetChanged(); };
    connect(m_period, &QComboBox::currentIndexChanged, this, presetChanged);
    auto datesChanged = [this] {
        if (m_period->currentData().toInt() == Custom)
            reload();
    };
    connect(m_from, &QDateEdit::dateChanged, this, datesChanged);
    connect(m_to, &QDateEdit::dateChanged, this, datesChanged);
    connect(m_currency, &QComboBox::activated, this, [this] { requestPipeline(); });
    connect(m_bucket, &QComboBox::currentIndexChanged, this, [this] { requestPipeline(); });
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] { requestCurrentView(); });
    periodPresetChanged();
    restyle();
}

QWidget *InsightsPane::buildPipelinePage()
{
    auto *page = new QWidget(this);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 10, 0, 0);
    layout->setSpacing(8);

    auto *tiles = new QGridLayout;
    tiles->setSpacing(8);
    const QStringList names = {tr("Sourced by partners"), tr("Influenced by partners"), tr("No partner"),
                               tr("Partner-to-partner"),  tr("With partners"),          tr("Without partners")};
    for (int i = 0; i < names.size(); ++i) {
        auto *tile = new QLabel(page);
        tile->setObjectName(QStringLiteral("insightTile"));
        tile->setTextFormat(Qt::RichText);
        tile->setAccessibleName(names.at(i));
        tile->setAlignment(Qt::AlignLeft | Qt::AlignTop);
        tile->setMinimumWidth(150);
        tile->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
        tiles->addWidget(tile, i / 3, i % 3);
        tiles->setColumnStretch(i % 3, 1);
        m_tiles << tile;
    }
    layout->addLayout(tiles);
    m_periodNote = new QLabel(page);
    m_periodNote->setForegroundRole(QPalette::PlaceholderText);
    m_periodNote->setWordWrap(true);
    layout->addWidget(m_periodNote);

    auto *split = new QSplitter(Qt::Vertical, page);
    split->setChildrenCollapsible(false);

    // Top: the stacked chart and the table it is drawn from.
    auto *top = new QSplitter(Qt::Horizontal, split);
    top->setChildrenCollapsible(false);
    m_pipelineChart = new QChart;
    m_stacked = new QStackedBarSeries(m_pipelineChart);
    m_stacked->setBarWidth(0.7);
    m_pipelineChart->addSeries(m_stacked);
    m_bucketAxis = new QBarCategoryAxis(m_pipelineChart);
    m_amountAxis = new QValueAxis(m_pipelineChart);
    m_amountAxis->setLabelFormat(QStringLiteral("%.0f"));
    m_amountAxis->setLabelsVisible(false); // "0 0 0 1 1 1" on the empty 0..1 axis until the first figures arrive
    m_pipelineChart->addAxis(m_bucketAxis, Qt::AlignBottom);
    m_pipelineChart->addAxis(m_amountAxis, Qt::AlignLeft);
    m_stacked->attachAxis(m_bucketAxis);
    m_stacked->attachAxis(m_amountAxis);
    m_stackedMapper = new QVBarModelMapper(this);
    m_stackedMapper->setFirstBarSetColumn(0);
    m_stackedMapper->setLastBarSetColumn(-1);
    m_stackedMapper->setSeries(m_stacked);
    m_stackedMapper->setModel(m_series);
    m_pipelineChartView = makeChartView(m_pipelineChart, top);
    m_pipelineChartView->setObjectName(QStringLiteral("pipelineChart"));
    m_pipelineChartView->setAccessibleName(tr("Pipeline over time, stacked by partner type"));

    auto *seriesBox = new QWidget(top);
    auto *seriesLayout = new QVBoxLayout(seriesBox);
    seriesLayout->setContentsMargins(0, 0, 0, 0);
    auto *measureRow = new QHBoxLayout;
    m_measure = new QComboBox(seriesBox);
    m_measure->addItem(tr("Pipeline by partner type"));
    m_measure->addItem(tr("Revenue by partner type"));
    m_measure->addItem(tr("Partner-to-partner revenue by partner type"));
    m_measure->setAccessibleName(tr("Chart measure"));
    measureRow->addWidget(m_measure);
    measureRow->addStretch();
    seriesLayout->addLayout(measureRow);
    m_seriesView = new QTableView(seriesBox);
    m_seriesView->setObjectName(QStringLiteral("seriesTable"));
    m_seriesView->setModel(m_series);
    m_seriesView->setItemDelegate(new NumberDelegate(0, m_seriesView));
    setupTable(m_seriesView);
    m_seriesView->setSortingEnabled(false); // rows are time; the chart follows row order
    m_seriesView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    seriesLayout->addWidget(m_seriesView, 1);
    top->addWidget(m_pipelineChartView);
    top->addWidget(seriesBox);
    top->setStretchFactor(0, 3);
    top->setStretchFactor(1, 2);
    m_pipelineChartView->setMinimumWidth(480);
    top->setSizes({3000, 2000}); // the chart gets the larger share; the table's size hint would take it all

    // Bottom: the breakdown per partner or partner type.
    auto *bottom = new QWidget(split);
    auto *bottomLayout = new QVBoxLayout(bottom);
    bottomLayout->setContentsMargins(0, 0, 0, 0);
    auto *groupRow = new QHBoxLayout;
    auto *groupLabel = new QLabel(tr("&Group by:"), bottom);
    m_groupBy = new QComboBox(bottom);
    m_groupBy->addItem(tr("Partner"));
    m_groupBy->addItem(tr("Partner type"));
    groupLabel->setBuddy(m_groupBy);
    groupRow->addWidget(groupLabel);
    groupRow->addWidget(m_groupBy);
    auto *creditNote = new QLabel(
        tr("Each room counts once, for its primary partner (the sourcing partner, else the first partner added)."),
        bottom);
    creditNote->setForegroundRole(QPalette::PlaceholderText);
    groupRow->addSpacing(12);
    groupRow->addWidget(creditNote, 1);
    bottomLayout->addLayout(groupRow);
    m_tableView = new QTableView(bottom);
    m_tableView->setObjectName(QStringLiteral("breakdownTable"));
    m_tableView->setModel(m_table);
    setupTable(m_tableView);
    m_tableView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_tableView->horizontalHeader()->setSectionResizeMode(PipelineTableModel::Name, QHeaderView::Stretch);
    m_tableView->horizontalHeader()->setSortIndicator(PipelineTableModel::Revenue, Qt::DescendingOrder);
    bottomLayout->addWidget(m_tableView, 1);
    split->addWidget(top);
    split->addWidget(bottom);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    layout->addWidget(split, 1);

    connect(m_measure, &QComboBox::currentIndexChanged, this, [this] { fillSeries(); });
    connect(m_groupBy, &QComboBox::currentIndexChanged, this, [this] { fillTable(); });
    connect(m_tableView, &QTableView::doubleClicked, this, [this](const QModelIndex &index) {
        if (m_table->perPartner() && !index.data(kIdRole).toString().isEmpty())
            Q_EMIT partnerActivated(index.data(kIdRole).toString());
    });
    return page;
}

QWidget *InsightsPane::buildAttributionPage()
{
    auto *page = new QWidget(this);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 10, 0, 0);
    layout->setSpacing(8);

    auto *options = new QHBoxLayout;
    options->setSpacing(8);
    m_creditKind = new QComboBox(page);
    m_creditKind->addItem(tr("Conversions"));
    m_creditKind->addItem(tr("Value"));
    m_creditKind->setAccessibleName(tr("Credit"));
    m_linearPer = new QComboBox(page);
    m_linearPer->addItem(tr("per touch"), QStringLiteral("touch"));
    m_linearPer->addItem(tr("per partner"), QStringLiteral("partner"));
    m_halfLife = new QSpinBox(page);
    m_halfLife->setRange(1, 365);
    m_halfLife->setValue(7);
    m_halfLife->setSuffix(tr(" days"));
    m_shapley = new QComboBox(page);
    m_shapley->addItem(tr("subsets (a)"), QStringLiteral("subset"));
    m_shapley->addItem(tr("exact coalitions (b)"), QStringLiteral("exact"));
    m_markovOrder = new QSpinBox(page);
    m_markovOrder->setRange(1, 4);
    m_markovOrder->setValue(1);
    auto addOption = [&](const QString &text, QWidget *w) {
        auto *label = new QLabel(text, page);
        label->setBuddy(w);
        options->addWidget(label);
        options->addWidget(w);
        options->addSpacing(8);
    };
    addOption(tr("&Credit:"), m_creditKind);
    addOption(tr("&Linear:"), m_linearPer);
    addOption(tr("&Half-life:"), m_halfLife);
    addOption(tr("&Shapley:"), m_shapley);
    addOption(tr("&Markov order:"), m_markovOrder);
    options->addStretch();
    layout->addLayout(options);
    m_attributionNote = new QLabel(page);
    m_attributionNote->setWordWrap(true);
    m_attributionNote->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(m_attributionNote);

    auto *split = new QSplitter(Qt::Vertical, page);
    split->setChildrenCollapsible(false);
    m_attributionChart = new QChart;
    m_grouped = new QBarSeries(m_attributionChart);
    m_grouped->setBarWidth(0.85);
    m_attributionChart->addSeries(m_grouped);
    m_partnerAxis = new QBarCategoryAxis(m_attributionChart);
    m_creditAxis = new QValueAxis(m_attributionChart);
    m_attributionChart->addAxis(m_partnerAxis, Qt::AlignBottom);
    m_attributionChart->addAxis(m_creditAxis, Qt::AlignLeft);
    m_grouped->attachAxis(m_partnerAxis);
    m_grouped->attachAxis(m_creditAxis);
    m_groupedMapper = new QVBarModelMapper(this);
    m_groupedMapper->setFirstBarSetColumn(1);
    m_groupedMapper->setLastBarSetColumn(0);
    m_groupedMapper->setFirstRow(0);
    m_groupedMapper->setRowCount(kChartPartners);
    m_groupedMapper->setSeries(m_grouped);
    m_groupedMapper->setModel(m_attribution);
    m_attributionChartView = makeChartView(m_attributionChart, split);
    m_attributionChartView->setObjectName(QStringLiteral("attributionChart"));
    m_attributionChartView->setAccessibleName(tr("Credit per partner under every model"));
    m_attributionView = new QTableView(split);
    m_attributionView->setObjectName(QStringLiteral("attributionTable"));
    m_attributionView->setModel(m_attribution);
    m_attributionView->setItemDelegate(new NumberDelegate(2, m_attributionView));
    setupTable(m_attributionView);
    m_attributionView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_attributionView->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    split->addWidget(m_attributionChartView);
    split->addWidget(m_attributionView);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    layout->addWidget(split, 1);

    connect(m_creditKind, &QComboBox::currentIndexChanged, this, [this](int i) {
        m_attribution->setShowValue(i == 1);
        static_cast<NumberDelegate *>(m_attributionView->itemDelegate())->setDecimals(i == 1 ? 0 : 2);
        fillAttributionChart();
    });
    auto rerun = [this] {
        m_attributionStale = true;
        requestCurrentView();
    };
    connect(m_linearPer, &QComboBox::currentIndexChanged, this, rerun);
    connect(m_halfLife, &QSpinBox::valueChanged, this, rerun);
    connect(m_shapley, &QComboBox::currentIndexChanged, this, rerun);
    connect(m_markovOrder, &QSpinBox::valueChanged, this, rerun);
    // Sorting the table changes which partners the chart maps (its first rows): redraw the categories.
    connect(m_attribution, &QAbstractItemModel::layoutChanged, this, [this] { fillAttributionChart(); });
    return page;
}

QWidget *InsightsPane::buildNetworkPage()
{
    auto *page = new QWidget(this);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 10, 0, 0);
    layout->setSpacing(8);
    m_networkNote = new QLabel(page);
    m_networkNote->setWordWrap(true);
    m_networkNote->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(m_networkNote);
    auto *split = new QSplitter(Qt::Horizontal, page);
    split->setChildrenCollapsible(false);
    m_networkView = new NetworkView(split);
    m_networkTable = new QTableView(split);
    m_networkTable->setObjectName(QStringLiteral("networkTable"));
    m_networkTable->setModel(m_network);
    setupTable(m_networkTable);
    m_networkTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_networkTable->horizontalHeader()->setSectionResizeMode(NetworkTableModel::Name, QHeaderView::Stretch);
    m_networkTable->horizontalHeader()->setSortIndicator(NetworkTableModel::Betweenness, Qt::DescendingOrder);
    split->addWidget(m_networkView);
    split->addWidget(m_networkTable);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    m_networkView->setMinimumWidth(420);
    split->setSizes({3000, 2000});
    layout->addWidget(split, 1);

    connect(m_networkView, &NetworkView::partnerClicked, this, [this](const QString &id) {
        const int row = m_network->rowOf(id);
        if (row >= 0)
            m_networkTable->selectRow(row);
        Q_EMIT partnerActivated(id);
    });
    connect(m_networkTable, &QTableView::clicked, this,
            [this](const QModelIndex &index) { m_networkView->highlight(index.data(kIdRole).toString()); });
    connect(m_networkTable, &QTableView::doubleClicked, this,
            [this](const QModelIndex &index) { Q_EMIT partnerActivated(index.data(kIdRole).toString()); });
    return page;
}

void InsightsPane::periodPresetChanged()
{
    const int preset = m_period->currentData().toInt();
    const QDate today = QDate::currentDate();
    const QDate quarterStart(today.year(), (today.month() - 1) / 3 * 3 + 1, 1);
    QDate from, to;
    switch (preset) {
    case Last12Months:
        from = today.addYears(-1).addDays(1);
        to = today;
        break;
    case ThisYear:
        from = QDate(today.year(), 1, 1);
        to = QDate(today.year(), 12, 31);
        break;
    case LastYear:
        from = QDate(today.year() - 1, 1, 1);
        to = QDate(today.year() - 1, 12, 31);
        break;
    case ThisQuarter:
        from = quarterStart;
        to = quarterStart.addMonths(3).addDays(-1);
        break;
    case LastQuarter:
        from = quarterStart.addMonths(-3);
        to = quarterStart.addDays(-1);
        break;
    default:
        break;
    }
    const bool custom = preset == Custom;
    m_from->setEnabled(custom);
    m_to->setEnabled(custom);
    m_from->setVisible(preset != AllTime);
    m_to->setVisible(preset != AllTime);
    if (!custom && from.isValid()) {
        const QSignalBlocker b1(m_from), b2(m_to);
        m_from->setDate(from);
        m_to->setDate(to);
    }
    m_dash->setVisible(preset != AllTime);
    reload();
}

void InsightsPane::setPeriod(const QDate &from, const QDate &to)
{
    const QSignalBlocker b(m_period);
    if (!from.isValid() && !to.isValid()) {
        m_period->setCurrentIndex(m_period->findData(AllTime));
        periodPresetChanged();
        return;
    }
    m_period->setCurrentIndex(m_period->findData(Custom));
    {
        const QSignalBlocker b1(m_from), b2(m_to);
        m_from->setDate(from.isValid() ? from : QDate(1900, 1, 1));
        m_to->setDate(to.isValid() ? to : QDate(9999, 12, 31));
    }
    periodPresetChanged();
}

void InsightsPane::setCurrency(const QString &currency)
{
    int i = m_currency->findData(currency);
    if (i < 0) {
        m_currency->addItem(currency, currency);
        i = m_currency->count() - 1;
    }
    m_currency->setCurrentIndex(i);
    requestPipeline();
}

void InsightsPane::setBucket(pipeline::Bucket bucket)
{
    m_bucket->setCurrentIndex(bucket == pipeline::Bucket::Quarter ? 1 : 0);
}

void InsightsPane::setGroupByType(bool byType)
{
    m_groupBy->setCurrentIndex(byType ? 1 : 0);
}

void InsightsPane::setView(View view)
{
    m_tabs->setCurrentIndex(int(view));
}

InsightsPane::View InsightsPane::view() const
{
    return View(m_tabs->currentIndex());
}

QLabel *InsightsPane::tile(Tile t) const
{
    return m_tiles.value(int(t));
}

bool InsightsPane::showsEmptyState() const
{
    return m_stack->currentWidget() == m_empty;
}

pipeline::PipelineQuery InsightsPane::query() const
{
    pipeline::PipelineQuery q;
    if (m_period->currentData().toInt() != AllTime) {
        q.from = m_from->date();
        q.to = m_to->date();
    }
    q.currency = m_currency->currentData().toString();
    q.bucket = m_bucket->currentIndex() == 1 ? pipeline::Bucket::Quarter : pipeline::Bucket::Month;
    return q;
}

void InsightsPane::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (!m_shownOnce || m_stale) {
        m_shownOnce = true;
        reload();
    }
}

void InsightsPane::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        restyle();
}

void InsightsPane::reload()
{
    m_attributionStale = true;
    m_networkStale = true;
    if (!isVisible()) {
        m_stale = true;
        return;
    }
    m_stale = false;
    requestPipeline();
    requestCurrentView();
}

void InsightsPane::requestCurrentView()
{
    if (!isVisible())
        return;
    if (view() == View::Attribution && m_attributionStale)
        requestAttribution();
    else if (view() == View::Network && m_networkStale)
        requestNetwork();
}

void InsightsPane::setBusy(bool busy, const QString &text)
{
    m_busyCount = std::max(0, m_busyCount + (busy ? 1 : -1));
    if (busy && !text.isEmpty())
        m_busyLabel->setText(text);
    m_busy->setVisible(m_busyCount > 0);
    m_busyLabel->setVisible(m_busyCount > 0);
}

void InsightsPane::exportReport(const QString &path)
{
    const QString kind = view() == View::Attribution ? QStringLiteral("attribution")
                         : view() == View::Network   ? QStringLiteral("network")
                                                     : QStringLiteral("pipeline");
    const pipeline::PipelineQuery q = query();
    setBusy(true, tr("Writing the report…"));
    QPointer<InsightsPane> self(this);
    runWorker(
        [self, kind, q, path, workspacePath = m_workspace.path()] {
            QString error;
            if (auto ws = Workspace::open(workspacePath); !ws) {
                error = ws.error();
            } else if (auto report = reports::build(*ws.value(), kind, q.from, q.to); !report) {
                error = report.error();
            } else if (Status s = reports::write(report.value(), path); !s) {
                error = s.error();
            }
            QMetaObject::invokeMethod(
                qApp,
                [self, path, error] {
                    if (!self)
                        return;
                    self->setBusy(false);
                    Q_EMIT self->reportExported(path, error.isEmpty(),
                                                error.isEmpty() ? tr("Report written to %1").arg(path) : error);
                    if (!error.isEmpty())
                        QMessageBox::warning(self, tr("Export Report"), error);
                },
                Qt::QueuedConnection);
        },
        QThread::NormalPriority);
}

void InsightsPane::runWorker(std::function<void()> work, QThread::Priority priority)
{
    QThread *worker = QThread::create(std::move(work));
    connect(worker, &QThread::finished, worker, &QObject::deleteLater);
    m_workers.removeAll(QPointer<QThread>());
    m_workers << worker;
    worker->start(priority);
}

void InsightsPane::requestPipeline()
{
    if (!isVisible()) {
        m_stale = true;
        return;
    }
    const quint64 generation = ++m_pipelineGeneration;
    m_pipelineReady = false;
    setBusy(true, tr("Summing pipeline…"));
    QPointer<InsightsPane> self(this);
    const pipeline::PipelineQuery q = query();
    runWorker(
        [self, generation, q, path = m_workspace.path()] {
            // A read-only connection of this thread's own: the GUI thread's connection is not to be shared.
            const QString name = QStringLiteral("insights-%1").arg(quintptr(QThread::currentThreadId()));
            Result<pipeline::PipelineInsights> result = Error{};
            {
                QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
                db.setDatabaseName(path);
                db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=5000"));
                if (db.open()) {
                    // As the workspace's own connection: sorts and groups in memory, a cache that holds the rooms.
                    QSqlQuery pragma(db);
                    pragma.exec(QStringLiteral("PRAGMA temp_store=MEMORY"));
                    pragma.exec(QStringLiteral("PRAGMA cache_size=-65536"));
                    result = pipeline::readPipelineInsights(db, q);
                } else
                    result = Error{tr("Could not open %1 to read the pipeline").arg(path)};
            }
            QSqlDatabase::removeDatabase(name);
            const pipeline::PipelineInsights value = result.ok() ? result.value() : pipeline::PipelineInsights{};
            const QString error = result.ok() ? QString() : result.error();
            QMetaObject::invokeMethod(
                qApp,
                [self, generation, value, error] {
                    if (self && generation == self->m_pipelineGeneration)
                        self->applyPipeline(value, error);
                    if (self)
                        self->setBusy(false);
                },
                Qt::QueuedConnection);
        },
        QThread::NormalPriority);
}

void InsightsPane::applyPipeline(const pipeline::PipelineInsights &insights, const QString &error)
{
    m_insights = insights;
    if (!error.isEmpty()) {
        m_empty->setTitle(tr("Insights could not be read"));
        m_empty->setText(error);
        m_stack->setCurrentWidget(m_empty);
        m_pipelineReady = true;
        Q_EMIT pipelineLoaded();
        return;
    }
    if (insights.currencies.isEmpty()) {
        m_empty->setTitle(tr("No deal rooms yet"));
        m_stack->setCurrentWidget(m_empty);
    } else {
        m_stack->setCurrentWidget(m_tabs);
    }
    {
        const QSignalBlocker block(m_currency);
        m_currency->clear();
        for (const auto &[code, rooms] : insights.currencies)
            m_currency->addItem(tr("%1 (rooms: %2)").arg(code, QLocale().toString(rooms)), code);
        m_currency->setCurrentIndex(std::max(0, m_currency->findData(insights.currency)));
    }
    fillTiles();
    fillTable();
    fillSeries();
    m_scorecard->setInsights(insights);
    m_pipelineReady = true;
    Q_EMIT pipelineLoaded();
}

void InsightsPane::fillTiles()
{
    using namespace pipeline;
    const PipelineInsights &p = m_insights;
    const QString c = p.currency;
    const QString muted = palette().color(QPalette::PlaceholderText).name();
    auto head = [&](const QString &title) -> QString {
        return QStringLiteral("<div style='color:%1; font-size:small'>%2</div>").arg(muted, title.toHtmlEscaped());
    };
    auto line = [&](const QString &figure, const QString &rest) -> QString {
        return QStringLiteral("<div><span style='font-size:large; font-weight:600'>%1</span> "
                              "<span style='color:%2'>%3</span></div>")
            .arg(figure.toHtmlEscaped(), muted, rest.toHtmlEscaped());
    };
    auto touch = [&](Touch t, const QString &title) -> QString {
        const Amount &pipe = p.pipeline[size_t(t)];
        const Amount &rev = p.revenue[size_t(t)];
        return head(title) +
               line(money(pipe.minor, c), tr("pipeline · open rooms: %1").arg(QLocale().toString(pipe.rooms))) +
               line(money(rev.minor, c), tr("revenue · won: %1").arg(QLocale().toString(rev.rooms)));
    };
    auto perf = [&](const Performance &f, const QString &title) -> QString {
        const QString rate = f.won + f.lost > 0 ? QLocale().toString(f.winRate() * 100, 'f', 0) + QStringLiteral(" %")
                                                : QStringLiteral("–");
        const QString days =
            f.won > 0 ? tr("%1 days").arg(QLocale().toString(f.averageDaysToClose(), 'f', 0)) : QStringLiteral("–");
        const QString deal = f.won > 0 ? money(qint64(std::llround(f.averageDealMinor())), c) : QStringLiteral("–");
        return head(title) + line(rate, tr("win rate · closed: %1").arg(QLocale().toString(f.won + f.lost))) +
               line(days, tr("to close · avg deal %1").arg(deal));
    };
    m_tiles[int(Tile::Sourced)]->setText(touch(Sourced, tr("Sourced by partners")));
    m_tiles[int(Tile::Influenced)]->setText(touch(Influenced, tr("Influenced by partners")));
    m_tiles[int(Tile::Untouched)]->setText(touch(Untouched, tr("No partner")));
    const qint64 revenue = p.revenue[0].minor + p.revenue[1].minor + p.revenue[2].minor;
    const QString share = revenue > 0
                              ? QLocale().toString(100.0 * double(p.partnerToPartner.minor) / double(revenue), 'f', 0) +
                                    QStringLiteral(" %")
                              : QStringLiteral("–");
    m_tiles[int(Tile::PartnerToPartner)]->setText(
        head(tr("Partner-to-partner revenue")) +
        line(money(p.partnerToPartner.minor, c),
             tr("won rooms: %1").arg(QLocale().toString(p.partnerToPartner.rooms))) +
        line(share, tr("of revenue, two or more partners")));
    m_tiles[int(Tile::WithPartners)]->setText(perf(p.withPartners, tr("With partners")));
    m_tiles[int(Tile::WithoutPartners)]->setText(perf(p.withoutPartners, tr("Without partners")));
    for (QLabel *t : std::as_const(m_tiles))
        t->setToolTip(tr("Amounts in %1; rooms in other currencies are not converted or added").arg(c));

    QString period;
    if (!p.query.from.isValid() && !p.query.to.isValid())
        period = tr("All time");
    else
        period = tr("%1 to %2")
                     .arg(QLocale().toString(p.query.from, QLocale::ShortFormat),
                          QLocale().toString(p.query.to, QLocale::ShortFormat));
    const qint64 others = std::accumulate(p.currencies.cbegin(), p.currencies.cend(), qint64(0),
                                          [&](qint64 s, const auto &cc) { return cc.first == c ? s : s + cc.second; });
    // Counts read "rooms: N", so the sentence has no plural form to translate.
    QString note = tr("%1 · rooms in %2: %3. Open ones count by the day they were created, won and lost ones by "
                      "their close date.")
                       .arg(period, c, QLocale().toString(p.roomsInPeriod));
    if (others > 0)
        note += QLatin1Char(' ') +
                tr("Rooms in other currencies, left out: %1 (pick one above).").arg(QLocale().toString(others));
    m_periodNote->setText(note);
}

void InsightsPane::fillTable()
{
    const bool byType = m_groupBy->currentIndex() == 1;
    m_table->setRows(byType ? m_insights.partnerTypes : m_insights.partners, m_insights.currency, !byType);
    m_tableView->setColumnHidden(PipelineTableModel::Type, byType);
    m_tableView->setColumnHidden(PipelineTableModel::MultiPartner, byType);
}

void InsightsPane::fillSeries()
{
    const auto measure = PipelineSeriesModel::Measure(std::clamp(m_measure->currentIndex(), 0, 2));
    m_series->setInsights(m_insights, measure);
    // The mapper re-reads the model on reset; the bar set range follows the number of types.
    m_stackedMapper->setLastBarSetColumn(m_series->columnCount() - 1);
    const QList<QBarSet *> sets = m_stacked->barSets();
    for (int i = 0; i < sets.size(); ++i) {
        sets.at(i)->setColor(typeColor(m_insights.seriesTypes.value(i), i));
        sets.at(i)->setBorderColor(Qt::transparent);
    }
    const QStringList labels = m_series->bucketLabels();
    m_bucketAxis->clear();
    m_bucketAxis->append(labels);
    m_bucketAxis->setLabelsAngle(labels.size() > 12 ? -90 : 0);
    m_bucketAxis->setTruncateLabels(false);
    double top = 0;
    for (int r = 0; r < m_series->rowCount(); ++r) {
        double sum = 0;
        for (int c = 0; c < m_series->columnCount(); ++c)
            sum += m_series->index(r, c).data().toDouble();
        top = std::max(top, sum);
    }
    m_amountAxis->setLabelsVisible(!m_insights.series.isEmpty());
    m_amountAxis->setRange(0, top > 0 ? top * 1.05 : 1);
    m_amountAxis->applyNiceNumbers();
    m_amountAxis->setLabelFormat(m_series->scale() > 1 && top < 20 ? QStringLiteral("%.1f") : QStringLiteral("%.0f"));
    m_amountAxis->setTitleText(m_series->unitText());
    static_cast<NumberDelegate *>(m_seriesView->itemDelegate())->setDecimals(m_series->scale() > 1 ? 1 : 0);
    const bool quarters = m_insights.query.bucket == pipeline::Bucket::Quarter;
    switch (measure) {
    case PipelineSeriesModel::Measure::Pipeline:
        m_pipelineChart->setTitle(quarters ? tr("Open pipeline by quarter created, stacked by partner type")
                                           : tr("Open pipeline by month created, stacked by partner type"));
        break;
    case PipelineSeriesModel::Measure::Revenue:
        m_pipelineChart->setTitle(quarters ? tr("Won revenue by close quarter, stacked by partner type")
                                           : tr("Won revenue by close month, stacked by partner type"));
        break;
    case PipelineSeriesModel::Measure::PartnerToPartner:
        m_pipelineChart->setTitle(quarters ? tr("Partner-to-partner revenue (two or more partners) by close quarter")
                                           : tr("Partner-to-partner revenue (two or more partners) by close month"));
        break;
    }
    m_seriesView->resizeColumnsToContents();
}

void InsightsPane::requestAttribution()
{
    m_attributionStale = false;
    m_attributionReady = false;
    const quint64 generation = ++m_attributionGeneration;
    setBusy(true, tr("Running attribution models…"));
    QPointer<InsightsPane> self(this);
    attribution::WorkspaceJourneyOptions period;
    if (m_period->currentData().toInt() != AllTime) {
        period.from = m_from->date();
        period.to = m_to->date();
    }
    QHash<QString, QMap<QString, QString>> options;
    options[QStringLiteral("linear")][QStringLiteral("per")] = m_linearPer->currentData().toString();
    options[QStringLiteral("time-decay")][QStringLiteral("half_life_days")] = QString::number(m_halfLife->value());
    options[QStringLiteral("shapley")][QStringLiteral("value")] = m_shapley->currentData().toString();
    options[QStringLiteral("markov")][QStringLiteral("order")] = QString::number(m_markovOrder->value());
    runWorker([self, generation, period, options, path = m_workspace.path()] {
        auto out = std::make_shared<AttributionData>();
        QElapsedTimer timer;
        timer.start();
        if (auto ws = Workspace::open(path); !ws) {
            out->error = ws.error();
        } else if (auto paths = attribution::readWorkspaceJourneys(*ws.value(), period); !paths) {
            out->error = paths.error();
        } else {
            const attribution::PathSet &set = paths.value();
            out->journeys = int(set.journeys().size());
            out->conversions = set.totalConversions();
            out->value = set.totalValue();
            out->nulls = set.totalNulls();
            // Only time decay reads the touches' ages. Without them identical journeys merge (PathSet::aggregate),
            // which makes the other seven models several times faster on a large workspace, with the same credits.
            attribution::PathSet untimed;
            for (const QString &partner : set.partners())
                untimed.partnerId(partner);
            for (const attribution::Journey &journey : set.journeys()) {
                attribution::Journey copy = journey;
                copy.ages.clear();
                untimed.add(std::move(copy));
            }
            untimed.aggregate();
            // Markov solves one absorbing chain per partner: on a large program it takes longer than the seven
            // others together, so they are shown first and its column follows.
            const QStringList models = attribution::modelNames();
            for (const QString &model : models) {
                AttributionTableModel::ModelRun run;
                run.model = model;
                run.title = modelTitle(model);
                run.pending = model == QLatin1String("markov");
                out->runs << run;
            }
            auto runModel = [&](AttributionTableModel::ModelRun &run) {
                auto result = attribution::attribute(run.model == QLatin1String("time-decay") ? set : untimed,
                                                     run.model, options.value(run.model));
                if (result)
                    run.result = result.value();
                else
                    run.error = result.error();
                run.pending = false;
            };
            for (AttributionTableModel::ModelRun &run : out->runs)
                if (!run.pending)
                    runModel(run);
            if (std::any_of(out->runs.cbegin(), out->runs.cend(), [](const auto &r) { return r.pending; })) {
                auto partial = std::make_shared<AttributionData>(*out);
                partial->complete = false;
                QMetaObject::invokeMethod(
                    qApp,
                    [self, generation, partial] {
                        if (self && generation == self->m_attributionGeneration)
                            self->applyAttribution(partial);
                    },
                    Qt::QueuedConnection);
                for (AttributionTableModel::ModelRun &run : out->runs)
                    if (run.pending)
                        runModel(run);
            }
        }
        out->milliseconds = double(timer.nsecsElapsed()) / 1e6;
        QMetaObject::invokeMethod(
            qApp,
            [self, generation, out] {
                if (self && generation == self->m_attributionGeneration)
                    self->applyAttribution(out);
                if (self)
                    self->setBusy(false);
            },
            Qt::QueuedConnection);
    });
}

void InsightsPane::applyAttribution(const std::shared_ptr<AttributionData> &result)
{
    m_journeyCount = result->journeys;
    m_journeyConversions = result->conversions;
    m_journeyValue = result->value;
    m_attribution->setRuns(result->runs, m_creditKind->currentIndex() == 1);
    QString note;
    if (!result->error.isEmpty()) {
        note = result->error;
    } else {
        QStringList failed;
        for (const auto &run : std::as_const(result->runs))
            if (!run.error.isEmpty())
                failed << run.title + QStringLiteral(": ") + run.error;
        note = tr("Journeys from deal rooms, registrations and referrals closed in the period: %3, with %1 "
                  "conversions and %2 without. Every model shares out the same conversions, so each column adds up "
                  "to %1. Value adds won amounts in each room's own currency (not converted).")
                   .arg(QLocale().toString(result->conversions, 'f', 0), QLocale().toString(result->nulls, 'f', 0),
                        QLocale().toString(result->journeys));
        if (!failed.isEmpty())
            note += QLatin1Char(' ') + failed.join(QStringLiteral("; "));
    }
    if (!result->complete)
        note += QLatin1Char(' ') + tr("Markov is still being computed.");
    m_attributionNote->setText(note);
    fillAttributionChart();
    if (result->complete) {
        m_attributionReady = true;
        Q_EMIT attributionLoaded();
    }
}

void InsightsPane::fillAttributionChart()
{
    m_groupedMapper->setLastBarSetColumn(m_attribution->columnCount() - 1);
    const QList<QBarSet *> sets = m_grouped->barSets();
    for (int i = 0; i < sets.size(); ++i) {
        sets.at(i)->setColor(modelColor(i));
        sets.at(i)->setBorderColor(Qt::transparent);
    }
    const int rows = std::min(kChartPartners, m_attribution->rowCount());
    QStringList names;
    const QFontMetrics fm(m_partnerAxis->labelsFont());
    double top = 0;
    for (int r = 0; r < rows; ++r) {
        names << fm.elidedText(m_attribution->index(r, 0).data().toString(), Qt::ElideRight, 110);
        for (int c = 1; c < m_attribution->columnCount(); ++c)
            top = std::max(top, m_attribution->index(r, c).data(kSortRole).toDouble());
    }
    m_partnerAxis->clear();
    m_partnerAxis->append(names);
    m_partnerAxis->setTruncateLabels(false); // already elided to a width that fits
    m_creditAxis->setRange(0, top > 0 ? top * 1.05 : 1);
    m_creditAxis->applyNiceNumbers();
    m_creditAxis->setLabelFormat(m_attribution->showsValue() || top >= 20 ? QStringLiteral("%.0f")
                                                                          : QStringLiteral("%.1f"));
    m_creditAxis->setTitleText(m_attribution->showsValue() ? tr("Value credited") : tr("Conversions credited"));
    m_attributionChart->setTitle(rows < m_attribution->rowCount()
                                     ? tr("The same journeys under every model: the %1 partners with the most credit "
                                          "(every partner in the table)")
                                           .arg(rows)
                                     : tr("The same journeys under every model"));
}

void InsightsPane::requestNetwork()
{
    m_networkStale = false;
    m_networkReady = false;
    const quint64 generation = ++m_networkGeneration;
    setBusy(true, tr("Measuring the partner network…"));
    QPointer<InsightsPane> self(this);
    runWorker([self, generation, path = m_workspace.path()] {
        auto out = std::make_shared<NetworkData>();
        if (auto ws = Workspace::open(path); !ws) {
            out->error = ws.error();
        } else if (auto network = insights::readPartnerNetwork(*ws.value()); !network) {
            out->error = network.error();
        } else {
            out->network = network.value();
            out->measures = insights::measure(out->network.graph);
            // The layout is quadratic in partners: fewer rounds on large programs keep it under a second.
            const int n = out->network.graph.nodeCount();
            out->positions = forceLayout(out->network.graph, n > 1500 ? 40 : n > 600 ? 120 : 300);
        }
        QMetaObject::invokeMethod(
            qApp,
            [self, generation, out] {
                if (self && generation == self->m_networkGeneration)
                    self->applyNetwork(out);
                if (self)
                    self->setBusy(false);
            },
            Qt::QueuedConnection);
    });
}

void InsightsPane::applyNetwork(const std::shared_ptr<NetworkData> &result)
{
    if (!result->error.isEmpty()) {
        m_networkNote->setText(result->error);
        m_networkView->clearNetwork();
    } else {
        m_network->setNetwork(result->network, result->measures);
        m_networkView->setNetwork(result->network, result->measures, result->positions);
        m_networkNote->setText(
            tr("Partners: %4; links: %1 shared deal rooms, %2 referrals, %3 integrations. Node size: weighted degree; "
               "colour: betweenness (brokers are warmer). Wheel to zoom, drag to move, click a partner to open it.")
                .arg(result->network.sharedRoomLinks)
                .arg(result->network.referralLinks)
                .arg(result->network.integrationLinks)
                .arg(result->network.graph.nodeCount()));
        if (m_networkView->linksDrawn() < m_networkView->linksTotal())
            m_networkNote->setText(m_networkNote->text() + QLatin1Char(' ') +
                                   tr("The %1 strongest of %2 links are drawn; the measures use all of them.")
                                       .arg(QLocale().toString(m_networkView->linksDrawn()),
                                            QLocale().toString(m_networkView->linksTotal())));
    }
    m_networkReady = true;
    Q_EMIT networkLoaded();
}

void InsightsPane::restyle()
{
    // Explicit colours, set again when the theme changes: palette() in a style sheet is resolved only once. Set on
    // the tiles alone: a style sheet on the pane would freeze the palette of every child.
    const QString tileStyle =
        QStringLiteral("QLabel#insightTile { background: %1; border: 1px solid %2; border-radius: 6px; "
                       "padding: 8px 10px; }")
            .arg(palette().color(QPalette::AlternateBase).name(), palette().color(QPalette::Mid).name());
    for (QLabel *t : std::as_const(m_tiles))
        t->setStyleSheet(tileStyle);
    const bool dark = theme::isDark();
    for (QChart *chart : {m_pipelineChart, m_attributionChart}) {
        if (!chart)
            continue;
        chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
        chart->setBackgroundBrush(palette().color(QPalette::Base));
        chart->setTitleBrush(palette().color(QPalette::Text));
        chart->legend()->setLabelColor(palette().color(QPalette::Text));
        QFont f = chart->titleFont();
        f.setPointSizeF(font().pointSizeF());
        f.setWeight(QFont::DemiBold);
        chart->setTitleFont(f);
    }
    if (m_pipelineChart) {
        // setTheme resets the series colours.
        fillSeries();
        fillAttributionChart();
    }
    if (m_shownOnce && m_pipelineReady)
        fillTiles();
}

} // namespace ecotone::ui
