#include "insights/PartnerScorecard.h"

#include "common/Theme.h"
#include "deals/BoardColumnModel.h"
#include "insights/InsightsModels.h"
#include "mapping/CrmOpportunities.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QGraphicsLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLegend>
#include <QLocale>
#include <QPushButton>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBarModelMapper>
#include <QVBoxLayout>
#include <QValueAxis>

#include <cmath>

namespace ecotone::ui {

namespace {
QString money(qint64 minor, const QString &currency)
{
    return formatMoney(minor, currency, true);
}
} // namespace

PartnerScorecard::PartnerScorecard(QWidget *parent)
    : QWidget(parent)
    , m_partner(new QComboBox(this))
    , m_figures(new QLabel(this))
    , m_model(new QStandardItemModel(this))
    , m_table(new QTableView(this))
    , m_chart(new QChart)
    , m_bars(new QBarSeries(m_chart))
{
    setObjectName(QStringLiteral("partnerScorecard"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 8, 0, 0);
    auto *row = new QHBoxLayout;
    auto *label = new QLabel(tr("&Partner:"), this);
    label->setBuddy(m_partner);
    m_partner->setAccessibleName(tr("Partner of the scorecard"));
    m_partner->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_partner->setMinimumContentsLength(28);
    row->addWidget(label);
    row->addWidget(m_partner);
    auto *open = new QPushButton(tr("Open Partner"), this);
    open->setToolTip(tr("Show this partner in the Partners pane"));
    connect(open, &QPushButton::clicked, this, [this] {
        if (!partnerId().isEmpty())
            Q_EMIT partnerActivated(partnerId());
    });
    row->addWidget(open);
    row->addStretch(1);
    layout->addLayout(row);

    m_figures->setObjectName(QStringLiteral("scorecardFigures"));
    m_figures->setTextFormat(Qt::RichText);
    m_figures->setWordWrap(true);
    m_figures->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_figures);

    auto *split = new QSplitter(Qt::Horizontal, this);
    split->setChildrenCollapsible(false);
    m_chart->addSeries(m_bars);
    auto *months = new QBarCategoryAxis(m_chart);
    auto *amounts = new QValueAxis(m_chart);
    amounts->setLabelFormat(QStringLiteral("%.0f"));
    m_chart->addAxis(months, Qt::AlignBottom);
    m_chart->addAxis(amounts, Qt::AlignLeft);
    m_bars->attachAxis(months);
    m_bars->attachAxis(amounts);
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->setMargins(QMargins(6, 6, 6, 6));
    m_chart->layout()->setContentsMargins(0, 0, 0, 0);
    m_chart->setBackgroundRoundness(0);
    // The chart draws the table's columns: pipeline and revenue per bucket.
    m_model->setColumnCount(2);
    m_model->setHorizontalHeaderLabels({tr("Pipeline"), tr("Revenue")});
    auto *mapper = new QVBarModelMapper(this);
    mapper->setFirstBarSetColumn(0);
    mapper->setLastBarSetColumn(1);
    mapper->setSeries(m_bars);
    mapper->setModel(m_model);
    m_chartView = new QChartView(m_chart, split);
    m_chartView->setRenderHint(QPainter::Antialiasing);
    m_chartView->setMinimumHeight(260);
    m_chartView->setAccessibleName(tr("The partner's pipeline and revenue over time"));
    m_table->setModel(m_model);
    m_table->setItemDelegate(new NumberDelegate(0, m_table)); // 1,091,749 rather than 1.09175e+06
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    split->addWidget(m_chartView);
    split->addWidget(m_table);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 0);
    split->setSizes({900, 260});
    layout->addWidget(split, 1);

    connect(m_partner, &QComboBox::currentIndexChanged, this, [this] { showPartner(); });
}

void PartnerScorecard::setInsights(const pipeline::PipelineInsights &insights)
{
    const QString current = partnerId();
    m_insights = insights;
    const QSignalBlocker block(m_partner);
    m_partner->clear();
    for (const pipeline::GroupRow &r : insights.partners)
        if (!r.id.isEmpty())
            m_partner->addItem(r.name, r.id);
    m_partner->setCurrentIndex(std::max(0, m_partner->findData(current)));
    showPartner();
}

bool PartnerScorecard::setPartner(const QString &id)
{
    const int index = m_partner->findData(id);
    if (index < 0)
        return false;
    m_partner->setCurrentIndex(index);
    showPartner();
    return true;
}

QString PartnerScorecard::partnerId() const
{
    return m_partner->currentData().toString();
}

void PartnerScorecard::showPartner()
{
    using namespace pipeline;
    const QString id = partnerId();
    const QString c = m_insights.currency;
    const GroupRow *row = nullptr;
    for (const GroupRow &r : m_insights.partners)
        if (!id.isEmpty() && r.id == id)
            row = &r;
    const QLocale locale;
    if (!row) {
        m_figures->setText(tr("No partner took part in a deal room of this period and currency."));
    } else {
        const Performance &f = row->performance;
        const QString muted = palette().color(QPalette::PlaceholderText).name();
        auto cell = [&](const QString &figure, const QString &what) {
            return QStringLiteral("<td style='padding-right:22px'><span style='font-size:large; font-weight:600'>%1"
                                  "</span><br><span style='color:%2'>%3</span></td>")
                .arg(figure.toHtmlEscaped(), muted, what.toHtmlEscaped());
        };
        const QString rate = f.won + f.lost > 0 ? locale.toString(f.winRate() * 100, 'f', 0) + QStringLiteral(" %")
                                                : QStringLiteral("–");
        const QString days =
            f.won > 0 ? tr("%1 days").arg(locale.toString(f.averageDaysToClose(), 'f', 0)) : QStringLiteral("–");
        const QString deal = f.won > 0 ? money(qint64(std::llround(f.averageDealMinor())), c) : QStringLiteral("–");
        m_figures->setText(
            QStringLiteral("<table><tr>") + cell(money(row->pipeline[Sourced].minor, c), tr("pipeline sourced")) +
            cell(money(row->pipeline[Influenced].minor, c), tr("pipeline influenced")) +
            cell(money(row->revenue[Sourced].minor, c), tr("revenue sourced")) +
            cell(money(row->revenue[Influenced].minor, c), tr("revenue influenced")) + QStringLiteral("</tr><tr>") +
            cell(tr("%1 won, %2 lost").arg(locale.toString(f.won), locale.toString(f.lost)), tr("closed rooms")) +
            cell(rate, tr("win rate")) + cell(days, tr("to close, average")) + cell(deal, tr("average deal")) +
            QStringLiteral("</tr><tr>") +
            cell(money(row->partnerToPartner.minor, c), tr("partner-to-partner revenue (as primary partner)")) +
            cell(money(row->multiPartnerRevenue.minor, c), tr("revenue of multi-partner deals it took part in")) +
            QStringLiteral("</tr></table>"));
    }

    // The table the chart is drawn from: one row per bucket, in whole units of the currency.
    const QList<std::pair<qint64, qint64>> series = partnerSeries(m_insights, id);
    // Rows go and come; the columns stay (clearing the model under a bar mapper crashes Qt Charts 6.4).
    m_model->removeRows(0, m_model->rowCount());
    const double unit = std::pow(10.0, crmopportunities::currencyDigits(c));
    QStringList labels;
    double top = 0;
    for (qsizetype i = 0; i < series.size(); ++i) {
        const QString label = bucketLabel(m_insights.series.at(i).start, m_insights.query.bucket);
        labels << label;
        QList<QStandardItem *> items;
        for (const qint64 minor : {series.at(i).first, series.at(i).second}) {
            auto *item = new QStandardItem;
            item->setData(std::round(double(minor) / unit), Qt::DisplayRole);
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            items << item;
            top = std::max(top, double(minor) / unit);
        }
        m_model->appendRow(items);
        m_model->setVerticalHeaderItem(int(i), new QStandardItem(label));
    }
    auto *months = qobject_cast<QBarCategoryAxis *>(m_chart->axes(Qt::Horizontal).value(0));
    auto *amounts = qobject_cast<QValueAxis *>(m_chart->axes(Qt::Vertical).value(0));
    if (months) {
        months->clear();
        months->append(labels);
        months->setLabelsAngle(labels.size() > 12 ? -90 : 0);
    }
    if (amounts) {
        amounts->setRange(0, top > 0 ? top * 1.05 : 1);
        amounts->applyNiceNumbers();
        amounts->setTitleText(c);
    }
    m_chart->setTitle(row ? tr("%1: pipeline created and revenue won per period").arg(row->name) : QString());
    const bool dark = theme::isDark();
    m_chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    m_chart->setBackgroundBrush(palette().color(QPalette::Base));
    m_chart->setTitleBrush(palette().color(QPalette::Text));
    m_chart->legend()->setLabelColor(palette().color(QPalette::Text));
    const QColor colors[] = {QColor(0x25, 0x63, 0xeb), QColor(0x0f, 0x76, 0x6e)};
    for (int s = 0; s < m_bars->count() && s < 2; ++s)
        m_bars->barSets().at(s)->setColor(colors[s]);
}

} // namespace ecotone::ui
