#include "insights/InsightsModels.h"

#include "deals/BoardColumnModel.h"
#include "deals/DealTypes.h"

#include <QLocale>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace ecotone::ui {

using pipeline::GroupRow;

namespace {
QString percent(double share)
{
    return QLocale().toString(share * 100.0, 'f', 0) + QStringLiteral(" %");
}
} // namespace

// ---- PipelineTableModel

void PipelineTableModel::setRows(const QList<GroupRow> &rows, const QString &currency, bool perPartner)
{
    beginResetModel();
    m_rows = rows;
    m_currency = currency;
    m_perPartner = perPartner;
    endResetModel();
    if (m_sortColumn >= 0)
        sort(m_sortColumn, m_sortOrder);
}

int PipelineTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int PipelineTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PipelineTableModel::value(const GroupRow &r, int column) const
{
    using pipeline::Influenced;
    using pipeline::Sourced;
    switch (column) {
    case Name:
        return r.name;
    case Type:
        return m_perPartner && !r.id.isEmpty() ? pipeline::typeName(r.type) : QString();
    case Pipeline:
        return r.pipelineTotal().minor;
    case SourcedPipeline:
        return r.pipeline[Sourced].minor;
    case InfluencedPipeline:
        return r.pipeline[Influenced].minor;
    case Revenue:
        return r.revenueTotal().minor;
    case SourcedRevenue:
        return r.revenue[Sourced].minor;
    case InfluencedRevenue:
        return r.revenue[Influenced].minor;
    case PartnerToPartner:
        return r.partnerToPartner.minor;
    case MultiPartner:
        return r.multiPartnerRevenue.minor;
    case Won:
        return r.performance.won;
    case WinRate:
        return r.performance.won + r.performance.lost > 0 ? QVariant(r.performance.winRate()) : QVariant();
    case DaysToClose:
        return r.performance.won > 0 ? QVariant(r.performance.averageDaysToClose()) : QVariant();
    }
    return {};
}

QVariant PipelineTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const GroupRow &r = m_rows.at(index.row());
    const int column = index.column();
    if (role == kSortRole)
        return value(r, column);
    if (role == kIdRole)
        return r.id.isEmpty() && !m_perPartner ? r.type : r.id;
    if (role == Qt::TextAlignmentRole)
        return column <= Type ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                              : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::FontRole && r.id.isEmpty() && r.type == QLatin1String("none")) {
        QFont f;
        f.setItalic(true);
        return f;
    }
    if (role == Qt::ToolTipRole && column == MultiPartner)
        return tr("Won rooms with two or more partners that %1 took part in, whatever its role").arg(r.name);
    if (role != Qt::DisplayRole && role != Qt::AccessibleTextRole)
        return {};
    const QVariant v = value(r, column);
    switch (column) {
    case Name:
    case Type:
        return v;
    case Won:
        return QLocale().toString(v.toLongLong());
    case WinRate:
        return v.isValid() ? percent(v.toDouble()) : QStringLiteral("–");
    case DaysToClose:
        return v.isValid() ? tr("%1 d").arg(QLocale().toString(v.toDouble(), 'f', 0)) : QStringLiteral("–");
    default:
        return v.toLongLong() == 0 ? QStringLiteral("–") : formatMoney(v.toLongLong(), m_currency, true);
    }
}

QVariant PipelineTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Pipeline:
            return tr("Open rooms created in the period, credited to their primary partner");
        case Revenue:
            return tr("Won rooms closed in the period, credited to their primary partner");
        case PartnerToPartner:
            return tr("Won rooms with two or more partners whose primary partner is this one (adds up)");
        case MultiPartner:
            return tr("Won rooms with two or more partners this partner took part in (a room counts for each)");
        case WinRate:
            return tr("Won rooms out of won and lost rooms closed in the period");
        case DaysToClose:
            return tr("Average days from a won room's creation to its close date");
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return m_perPartner ? tr("Partner") : tr("Partner type");
    case Type:
        return tr("Type");
    case Pipeline:
        return tr("Pipeline");
    case SourcedPipeline:
        return tr("Sourced");
    case InfluencedPipeline:
        return tr("Influenced");
    case Revenue:
        return tr("Revenue");
    case SourcedRevenue:
        return tr("Sourced rev.");
    case InfluencedRevenue:
        return tr("Influenced rev.");
    case PartnerToPartner:
        return tr("Partner-to-partner");
    case MultiPartner:
        return tr("Multi-partner deals");
    case Won:
        return tr("Won");
    case WinRate:
        return tr("Win rate");
    case DaysToClose:
        return tr("Time to close");
    }
    return {};
}

void PipelineTableModel::sort(int column, Qt::SortOrder order)
{
    if (column < 0 || column >= ColumnCount)
        return;
    m_sortColumn = column;
    m_sortOrder = order;
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList before = persistentIndexList();
    QList<GroupRow> old = m_rows;
    QList<int> order0(m_rows.size());
    std::iota(order0.begin(), order0.end(), 0);
    std::stable_sort(order0.begin(), order0.end(), [&](int a, int b) {
        const QVariant va = value(old.at(a), column), vb = value(old.at(b), column);
        int c = 0;
        if (column <= Type)
            c = QString::localeAwareCompare(va.toString(), vb.toString());
        else if (va.isValid() != vb.isValid())
            c = va.isValid() ? 1 : -1;
        else
            c = va.toDouble() < vb.toDouble() ? -1 : va.toDouble() > vb.toDouble() ? 1 : 0;
        return order == Qt::AscendingOrder ? c < 0 : c > 0;
    });
    QList<int> newRow(m_rows.size());
    for (int i = 0; i < order0.size(); ++i) {
        m_rows[i] = old.at(order0.at(i));
        newRow[order0.at(i)] = i;
    }
    QModelIndexList after;
    for (const QModelIndex &i : before)
        after << index(newRow.value(i.row()), i.column());
    changePersistentIndexList(before, after);
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

// ---- PipelineSeriesModel

void PipelineSeriesModel::setInsights(const pipeline::PipelineInsights &insights, Measure measure)
{
    beginResetModel();
    m_buckets = insights.series;
    // The insights' buckets span both measures (revenue closes later than pipeline is created): leave out the empty
    // months at either end of this one, so the chart has no blank stretch.
    auto empty = [measure](const pipeline::SeriesBucket &b) {
        const QList<qint64> &values = cells(b, measure);
        return std::all_of(values.cbegin(), values.cend(), [](qint64 v) { return v == 0; });
    };
    while (!m_buckets.isEmpty() && empty(m_buckets.first()))
        m_buckets.removeFirst();
    while (!m_buckets.isEmpty() && empty(m_buckets.last()))
        m_buckets.removeLast();
    m_types = insights.seriesTypeNames;
    m_currency = insights.currency;
    m_bucket = insights.query.bucket;
    m_measure = measure;
    m_divisor = std::pow(10.0, deals::minorDigits(m_currency));
    // One unit for the whole table, from its largest stacked bar, so the axis reads "12.5" rather than 12500000.
    double largest = 0;
    for (const pipeline::SeriesBucket &b : std::as_const(m_buckets)) {
        const QList<qint64> &values = cells(b, measure);
        largest = std::max(largest, double(std::accumulate(values.cbegin(), values.cend(), qint64(0))) / m_divisor);
    }
    m_scale = largest >= 1e7 ? 1e6 : largest >= 1e4 ? 1e3 : 1;
    endResetModel();
}

QString PipelineSeriesModel::unitText() const
{
    if (m_scale >= 1e6)
        return tr("%1 millions").arg(m_currency);
    if (m_scale >= 1e3)
        return tr("%1 thousands").arg(m_currency);
    return m_currency;
}

QStringList PipelineSeriesModel::bucketLabels() const
{
    QStringList labels;
    for (const pipeline::SeriesBucket &b : m_buckets)
        labels << pipeline::bucketLabel(b.start, m_bucket);
    return labels;
}

qint64 PipelineSeriesModel::minorAt(int row, int column) const
{
    const pipeline::SeriesBucket &b = m_buckets.at(row);
    return cells(b, m_measure).value(column);
}

const QList<qint64> &PipelineSeriesModel::cells(const pipeline::SeriesBucket &b, Measure measure)
{
    switch (measure) {
    case Measure::Pipeline:
        return b.pipelineMinor;
    case Measure::Revenue:
        return b.revenueMinor;
    case Measure::PartnerToPartner:
        break;
    }
    return b.partnerToPartnerMinor;
}

int PipelineSeriesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_buckets.size());
}

int PipelineSeriesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_types.size());
}

QVariant PipelineSeriesModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_buckets.size() || index.column() >= m_types.size())
        return {};
    if (role == kSortRole)
        return minorAt(index.row(), index.column());
    if (role == Qt::TextAlignmentRole)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole)
        return formatMoney(minorAt(index.row(), index.column()), m_currency, true);
    if (role == Qt::DisplayRole)
        return double(minorAt(index.row(), index.column())) / m_divisor / m_scale;
    return {};
}

QVariant PipelineSeriesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Horizontal)
        return m_types.value(section);
    return section < m_buckets.size() ? pipeline::bucketLabel(m_buckets.at(section).start, m_bucket) : QString();
}

// ---- AttributionTableModel

void AttributionTableModel::setRuns(const QList<ModelRun> &runs, bool value)
{
    beginResetModel();
    m_runs = runs;
    m_value = value;
    rebuild();
    endResetModel();
}

void AttributionTableModel::setShowValue(bool value)
{
    if (value == m_value)
        return;
    beginResetModel();
    m_value = value;
    rebuild();
    endResetModel();
}

void AttributionTableModel::rebuild()
{
    // Every run reads the same journeys, so partners are the same; the union keeps a failed run harmless.
    m_partners.clear();
    QHash<QString, int> rows;
    for (const ModelRun &run : std::as_const(m_runs))
        for (const QString &p : run.result.partners)
            if (!rows.contains(p)) {
                rows.insert(p, int(m_partners.size()));
                m_partners << p;
            }
    m_index = QList<QList<int>>(m_partners.size(), QList<int>(m_runs.size(), -1));
    for (int r = 0; r < m_runs.size(); ++r) {
        const QStringList &ps = m_runs.at(r).result.partners;
        for (int i = 0; i < ps.size(); ++i)
            m_index[rows.value(ps.at(i))][r] = i;
    }
    // Largest mean credit first.
    QList<int> order(m_partners.size());
    std::iota(order.begin(), order.end(), 0);
    QList<double> mean(m_partners.size(), 0.0);
    for (int p = 0; p < m_partners.size(); ++p)
        for (int r = 0; r < m_runs.size(); ++r)
            mean[p] += credit(p, r);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        if (mean.at(a) != mean.at(b))
            return mean.at(a) > mean.at(b);
        return QString::localeAwareCompare(m_partners.at(a), m_partners.at(b)) < 0;
    });
    QStringList partners;
    QList<QList<int>> index;
    for (int i : std::as_const(order)) {
        partners << m_partners.at(i);
        index << m_index.at(i);
    }
    m_partners = partners;
    m_index = index;
}

double AttributionTableModel::credit(int row, int run) const
{
    const int i = m_index.value(row).value(run, -1);
    if (i < 0)
        return 0;
    const attribution::Credit &c = m_runs.at(run).result.credits.at(size_t(i));
    return m_value ? c.value : c.conversions;
}

int AttributionTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_partners.size());
}

int AttributionTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_runs.size()) + 1;
}

QVariant AttributionTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_partners.size())
        return {};
    const int run = index.column() - 1;
    if (role == Qt::TextAlignmentRole)
        return run < 0 ? QVariant(Qt::AlignLeft | Qt::AlignVCenter) : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != kSortRole)
        return {};
    if (run < 0)
        return m_partners.at(index.row());
    if (!m_runs.at(run).error.isEmpty() || m_runs.at(run).pending)
        return role == kSortRole ? QVariant(0.0) : QVariant();
    return credit(index.row(), run);
}

QVariant AttributionTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (section == 0)
        return role == Qt::DisplayRole ? tr("Partner") : QVariant();
    const ModelRun *run = section - 1 < m_runs.size() ? &m_runs.at(section - 1) : nullptr;
    if (!run)
        return {};
    if (role == Qt::DisplayRole)
        return run->pending ? run->title + QStringLiteral(" …") : run->title;
    if (role == Qt::ToolTipRole) {
        if (!run->error.isEmpty())
            return run->error;
        QStringList options;
        for (auto it = run->result.options.cbegin(); it != run->result.options.cend(); ++it)
            options << it.key() + QLatin1Char('=') + it.value();
        return options.isEmpty()
                   ? run->model
                   : run->model + QStringLiteral(" (") + options.join(QStringLiteral(", ")) + QLatin1Char(')');
    }
    return {};
}

void AttributionTableModel::sort(int column, Qt::SortOrder order)
{
    if (column < 0 || column > m_runs.size() || m_partners.isEmpty())
        return;
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    QList<int> rows(m_partners.size());
    std::iota(rows.begin(), rows.end(), 0);
    std::stable_sort(rows.begin(), rows.end(), [&](int a, int b) {
        int c = 0;
        if (column == 0) {
            c = QString::localeAwareCompare(m_partners.at(a), m_partners.at(b));
        } else {
            const double x = credit(a, column - 1), y = credit(b, column - 1);
            c = x < y ? -1 : x > y ? 1 : 0;
        }
        return order == Qt::AscendingOrder ? c < 0 : c > 0;
    });
    QStringList partners;
    QList<QList<int>> index;
    for (int i : std::as_const(rows)) {
        partners << m_partners.at(i);
        index << m_index.at(i);
    }
    m_partners = partners;
    m_index = index;
    QModelIndexList before = persistentIndexList(), after;
    for (const QModelIndex &i : before)
        after << this->index(int(rows.indexOf(i.row())), i.column());
    changePersistentIndexList(before, after);
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

// ---- NetworkTableModel

void NetworkTableModel::setNetwork(const insights::PartnerNetwork &network, const insights::NetworkMeasures &measures)
{
    beginResetModel();
    m_rows.clear();
    for (int i = 0; i < network.ids.size(); ++i) {
        Row r;
        r.id = network.ids.at(i);
        r.name = network.names.value(i);
        r.degree = measures.degree.at(size_t(i));
        r.weightedDegree = measures.weightedDegree.at(size_t(i));
        r.betweenness = measures.betweenness.at(size_t(i));
        r.multiPartnerRevenue = network.multiPartnerRevenue.at(size_t(i));
        m_rows << r;
    }
    std::stable_sort(m_rows.begin(), m_rows.end(), [](const Row &a, const Row &b) {
        if (a.betweenness != b.betweenness)
            return a.betweenness > b.betweenness;
        return a.weightedDegree > b.weightedDegree;
    });
    endResetModel();
}

int NetworkTableModel::rowOf(const QString &partnerId) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows.at(i).id == partnerId)
            return i;
    return -1;
}

int NetworkTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int NetworkTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant NetworkTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &r = m_rows.at(index.row());
    if (role == kIdRole)
        return r.id;
    if (role == Qt::TextAlignmentRole)
        return index.column() == Name ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                      : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != kSortRole)
        return {};
    const QLocale locale;
    switch (index.column()) {
    case Name:
        return r.name;
    case Degree:
        return role == kSortRole ? QVariant(r.degree) : QVariant(locale.toString(r.degree));
    case WeightedDegree:
        return role == kSortRole ? QVariant(r.weightedDegree) : QVariant(locale.toString(r.weightedDegree, 'f', 0));
    case Betweenness:
        return role == kSortRole ? QVariant(r.betweenness) : QVariant(locale.toString(r.betweenness, 'f', 4));
    case MultiPartnerRevenue:
        return role == kSortRole ? QVariant(r.multiPartnerRevenue)
                                 : QVariant(locale.toString(r.multiPartnerRevenue, 'f', 0));
    }
    return {};
}

QVariant NetworkTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole && section == MultiPartnerRevenue)
        return tr("Won amounts of rooms with two or more partners, in each room's own currency (not converted)");
    if (role == Qt::ToolTipRole && section == Betweenness)
        return tr("Share of shortest paths between other partners that pass through this one");
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Partner");
    case Degree:
        return tr("Degree");
    case WeightedDegree:
        return tr("Weighted");
    case Betweenness:
        return tr("Betweenness");
    case MultiPartnerRevenue:
        return tr("Multi-partner revenue");
    }
    return {};
}

void NetworkTableModel::sort(int column, Qt::SortOrder order)
{
    if (column < 0 || column >= ColumnCount)
        return;
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList before = persistentIndexList();
    QList<QString> ids;
    for (const QModelIndex &i : before)
        ids << m_rows.value(i.row()).id;
    std::stable_sort(m_rows.begin(), m_rows.end(), [&](const Row &a, const Row &b) {
        int c = 0;
        switch (column) {
        case Name:
            c = QString::localeAwareCompare(a.name, b.name);
            break;
        case Degree:
            c = a.degree - b.degree;
            break;
        case WeightedDegree:
            c = a.weightedDegree < b.weightedDegree ? -1 : a.weightedDegree > b.weightedDegree ? 1 : 0;
            break;
        case Betweenness:
            c = a.betweenness < b.betweenness ? -1 : a.betweenness > b.betweenness ? 1 : 0;
            break;
        default:
            c = a.multiPartnerRevenue < b.multiPartnerRevenue   ? -1
                : a.multiPartnerRevenue > b.multiPartnerRevenue ? 1
                                                                : 0;
        }
        return order == Qt::AscendingOrder ? c < 0 : c > 0;
    });
    QModelIndexList after;
    for (int i = 0; i < before.size(); ++i)
        after << index(rowOf(ids.at(i)), before.at(i).column());
    changePersistentIndexList(before, after);
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

// ---- NumberDelegate

QString NumberDelegate::displayText(const QVariant &value, const QLocale &locale) const
{
    const int type = value.metaType().id();
    if (type == QMetaType::Double || type == QMetaType::Float)
        return value.toDouble() == 0 ? QStringLiteral("–") : locale.toString(value.toDouble(), 'f', m_decimals);
    return QStyledItemDelegate::displayText(value, locale);
}

} // namespace ecotone::ui
