#pragma once

#include "pipeline/PipelineInsights.h"

#include <QWidget>

class QBarSeries;
class QChart;
class QChartView;
class QComboBox;
class QLabel;
class QStandardItemModel;
class QTableView;

namespace ecotone::ui {

// One partner's scorecard for the Insights period: pipeline and revenue it sourced and influenced, won and lost
// rooms, win rate, time to close, average deal, partner-to-partner and multi-partner revenue, and its pipeline and
// revenue per month or quarter as a chart fed from the table beside it (QVBarModelMapper). Rooms count for their
// primary partner, as in the Pipeline tab, so a scorecard's figures are its row there.
class PartnerScorecard : public QWidget
{
    Q_OBJECT

public:
    explicit PartnerScorecard(QWidget *parent = nullptr);

    void setInsights(const pipeline::PipelineInsights &insights);
    // The partner shown; false when it has no row in the period.
    bool setPartner(const QString &partnerId);
    QString partnerId() const;

    QLabel *figures() const { return m_figures; }
    QStandardItemModel *seriesModel() const { return m_model; }
    QBarSeries *chartSeries() const { return m_bars; }

Q_SIGNALS:
    void partnerActivated(const QString &partnerId);

private:
    void showPartner();

    pipeline::PipelineInsights m_insights;
    QComboBox *m_partner;
    QLabel *m_figures;
    QStandardItemModel *m_model;
    QTableView *m_table;
    QChart *m_chart;
    QChartView *m_chartView;
    QBarSeries *m_bars;
};

} // namespace ecotone::ui
