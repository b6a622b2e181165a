#pragma once

#include "attribution/AttributionModels.h"
#include "insights/PartnerNetwork.h"
#include "pipeline/PipelineInsights.h"

#include <QAbstractTableModel>
#include <QStyledItemDelegate>

namespace ecotone::ui {

// Raw numbers for sorting and tests, whatever the display role shows.
inline constexpr int kSortRole = Qt::UserRole + 1;
inline constexpr int kIdRole = Qt::UserRole + 2;

// Pipeline and revenue per partner or per partner type (primary credit: rows add up to the summary's totals).
// Sorting is in memory: a workspace has hundreds of partners, not millions.
class PipelineTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        Name,
        Type,
        Pipeline,
        SourcedPipeline,
        InfluencedPipeline,
        Revenue,
        SourcedRevenue,
        InfluencedRevenue,
        PartnerToPartner,
        MultiPartner, // partner rows only
        Won,
        WinRate,
        DaysToClose,
        ColumnCount,
    };

    using QAbstractTableModel::QAbstractTableModel;
    void setRows(const QList<pipeline::GroupRow> &rows, const QString &currency, bool perPartner);
    const pipeline::GroupRow &row(int i) const { return m_rows.at(i); }
    bool perPartner() const { return m_perPartner; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

private:
    QVariant value(const pipeline::GroupRow &r, int column) const;

    QList<pipeline::GroupRow> m_rows;
    QString m_currency;
    bool m_perPartner = true;
    int m_sortColumn = -1;
    Qt::SortOrder m_sortOrder = Qt::DescendingOrder;
};

// Pipeline (or revenue) per bucket and primary partner type: rows are months or quarters, columns the types.
// The display role is a number in major units divided by scale() (a chart reads the display role through
// QVBarModelMapper, so the table and the stacked bars show the same figures); NumberDelegate formats it.
class PipelineSeriesModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum class Measure
    {
        Pipeline,
        Revenue,
        PartnerToPartner, // won revenue of rooms with two or more partners
    };

    using QAbstractTableModel::QAbstractTableModel;
    void setInsights(const pipeline::PipelineInsights &insights, Measure measure);
    Measure measure() const { return m_measure; }
    double scale() const { return m_scale; } // 1, 1,000 or 1,000,000
    QString unitText() const;                // "USD", "USD thousands", …
    QStringList bucketLabels() const;
    qint64 minorAt(int row, int column) const; // exact, before scaling

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    static const QList<qint64> &cells(const pipeline::SeriesBucket &b, Measure measure);

    QList<pipeline::SeriesBucket> m_buckets;
    QStringList m_types;
    QString m_currency;
    pipeline::Bucket m_bucket = pipeline::Bucket::Month;
    Measure m_measure = Measure::Pipeline;
    double m_divisor = 100; // minor units per major unit
    double m_scale = 1;
};

// The same journeys under every attribution model: one row per partner, one column per model, each cell the
// partner's credit (conversions, or value). Rows are sorted by the mean credit over the models, largest first, so
// a chart mapping the first rows shows the partners that matter.
class AttributionTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    struct ModelRun
    {
        QString model;
        QString title;
        attribution::AttributionResult result;
        QString error;        // the model could not run (its column stays empty)
        bool pending = false; // still running (its column stays empty until it is delivered)
    };

    using QAbstractTableModel::QAbstractTableModel;
    void setRuns(const QList<ModelRun> &runs, bool value);
    void setShowValue(bool value);
    bool showsValue() const { return m_value; }
    const QList<ModelRun> &runs() const { return m_runs; }
    double credit(int row, int run) const; // conversions or value, per showsValue()

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

private:
    void rebuild();

    QList<ModelRun> m_runs;
    QStringList m_partners;
    // m_cells[row][run]: index into the run's credits, -1 when the partner is not in that run
    QList<QList<int>> m_index;
    bool m_value = false;
};

// Partner network measures, one row per partner.
class NetworkTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        Name,
        Degree,
        WeightedDegree,
        Betweenness,
        MultiPartnerRevenue,
        ColumnCount,
    };

    using QAbstractTableModel::QAbstractTableModel;
    void setNetwork(const insights::PartnerNetwork &network, const insights::NetworkMeasures &measures);
    int rowOf(const QString &partnerId) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

private:
    struct Row
    {
        QString id;
        QString name;
        int degree = 0;
        double weightedDegree = 0;
        double betweenness = 0;
        double multiPartnerRevenue = 0;
    };
    QList<Row> m_rows;
};

// Shows a numeric display role with the locale's grouping and a fixed number of decimals.
class NumberDelegate : public QStyledItemDelegate
{
public:
    NumberDelegate(int decimals, QObject *parent)
        : QStyledItemDelegate(parent)
        , m_decimals(decimals)
    {}
    void setDecimals(int decimals) { m_decimals = decimals; }
    QString displayText(const QVariant &value, const QLocale &locale) const override;

private:
    int m_decimals;
};

} // namespace ecotone::ui
