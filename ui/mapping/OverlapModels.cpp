#include "OverlapModels.h"

#include <QLocale>

namespace ecotone::ui::mapping {

using overlap::DrillDown;

OverlapMatrixModel::OverlapMatrixModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void OverlapMatrixModel::setOverlap(std::shared_ptr<const overlap::Overlap> overlap, const QList<overlap::Terms> &terms)
{
    beginResetModel();
    m_overlap = std::move(overlap);
    m_terms = terms;
    if (m_overlap)
        m_terms.resize(m_overlap->populations.size());
    endResetModel();
}

void OverlapMatrixModel::setTerms(const QList<overlap::Terms> &terms)
{
    if (!m_overlap)
        return;
    m_terms = terms;
    m_terms.resize(m_overlap->populations.size());
    Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, columnCount() - 1);
}

void OverlapMatrixModel::clear()
{
    setOverlap(nullptr, {});
}

int OverlapMatrixModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_overlap ? 0 : int(m_overlap->populations.size());
}

int OverlapMatrixModel::columnCount(const QModelIndex &parent) const
{
    return rowCount(parent);
}

qint64 OverlapMatrixModel::visibleMax() const
{
    qint64 max = 0;
    for (int r = 0; r < rowCount(); ++r)
        for (int c = 0; c < columnCount(); ++c)
            if (m_terms.at(c).countsVisible())
                max = std::max<qint64>(max, m_overlap->cell(r, c).links);
    return max;
}

QVariant OverlapMatrixModel::data(const QModelIndex &index, int role) const
{
    if (!m_overlap || !index.isValid())
        return {};
    const overlap::Terms &terms = m_terms.at(index.column());
    const overlap::Cell &cell = m_overlap->cell(index.row(), index.column());
    const bool locked = !terms.countsVisible();
    const QString ours = m_overlap->populations.at(index.row()).label;
    const QString theirs = m_overlap->populations.at(index.column()).label;
    switch (role) {
    case Qt::DisplayRole:
        return locked ? tr("Not shared") : QLocale().toString(qlonglong(cell.links));
    case Qt::AccessibleTextRole:
        return locked
                   ? tr("%1 × %2: not shared").arg(ours, theirs)
                   : tr("%1 × %2: %3 matched companies").arg(ours, theirs, QLocale().toString(qlonglong(cell.links)));
    case Qt::TextAlignmentRole:
        return int(Qt::AlignCenter);
    case LinksRole:
        return locked ? qint64(-1) : qint64(cell.links);
    case IntensityRole: {
        const qint64 max = visibleMax();
        return locked || max == 0 ? 0.0 : double(cell.links) / double(max);
    }
    case LockedRole:
        return locked;
    case LevelRole:
        return int(terms.level);
    case Qt::ToolTipRole: {
        if (locked)
            return tr("<b>Our %1 × their %2</b><br>Not shared: %3").arg(ours, theirs, terms.why.toHtmlEscaped());
        const QLocale l;
        QString text = tr("<b>Our %1 × their %2</b><br>%3 matched company pairs: %4 of our companies, %5 of theirs")
                           .arg(ours, theirs, l.toString(qlonglong(cell.links)),
                                l.toString(qlonglong(cell.oursCompanies)), l.toString(qlonglong(cell.theirsCompanies)));
        text += QStringLiteral("<br>") + tr("Shared at: %1").arg(sharing::levelName(terms.level));
        if (!terms.recordsVisible())
            text += QStringLiteral("<br>") + tr("Counts only: the accounts themselves are not shared.");
        return text;
    }
    default:
        return {};
    }
}

QVariant OverlapMatrixModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (!m_overlap || section < 0 || section >= m_overlap->populations.size())
        return {};
    const overlap::Population &p = m_overlap->populations.at(section);
    if (role == Qt::DisplayRole) {
        if (orientation == Qt::Vertical)
            return tr("Our %1").arg(p.label);
        return tr("Their %1").arg(p.label);
    }
    if (role == Qt::ToolTipRole) {
        QString tip = p.filter ? p.filter->describe() : QString();
        if (orientation == Qt::Horizontal && section < m_terms.size()) {
            const overlap::Terms &t = m_terms.at(section);
            const QString level = t.countsVisible() ? tr("Shared with us: %1").arg(sharing::levelName(t.level))
                                                    : tr("Not shared: %1").arg(t.why);
            tip = tip.isEmpty() ? level : tip + QLatin1Char('\n') + level;
        }
        return tip.isEmpty() ? QVariant() : QVariant(tip);
    }
    return {};
}

// ---- drill-down

DrillDownModel::DrillDownModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void DrillDownModel::setDrillDown(std::shared_ptr<const overlap::Overlap> overlap, const DrillDown &drill)
{
    beginResetModel();
    m_overlap = std::move(overlap);
    m_drill = drill;
    endResetModel();
}

void DrillDownModel::clear()
{
    setDrillDown(nullptr, {});
}

int DrillDownModel::ourColumns() const
{
    return m_drill.kind == DrillDown::Kind::Cell ? 4 : 0;
}

QStringList DrillDownModel::theirFields() const
{
    QStringList out;
    for (const QString &f : m_drill.terms.fields)
        if (sharing::shareableFields().contains(f))
            out << f;
    return out;
}

int DrillDownModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_overlap ? 0 : int(m_drill.theirs.size());
}

int DrillDownModel::columnCount(const QModelIndex &parent) const
{
    if (parent.isValid() || !m_overlap)
        return 0;
    return ourColumns() + int(theirFields().size()) + (m_drill.kind == DrillDown::Kind::Cell ? 2 : 0);
}

QString DrillDownModel::fieldTitle(const QString &field)
{
    if (field == QLatin1String("name"))
        return tr("Name");
    if (field == QLatin1String("website"))
        return tr("Website");
    if (field == QLatin1String("domain"))
        return tr("Domain");
    if (field == QLatin1String("country"))
        return tr("Country");
    if (field == QLatin1String("industry"))
        return tr("Industry");
    if (field == QLatin1String("status"))
        return tr("Status");
    if (field == QLatin1String("crm_source"))
        return tr("CRM");
    if (field == QLatin1String("external_id"))
        return tr("CRM id");
    return field;
}

namespace {
QString statusName(const QString &key)
{
    const auto status = accountstatus::fromKey(key);
    return status ? accountstatus::displayName(*status) : key;
}

QString ruleName(matching::Rule rule)
{
    switch (rule) {
    case matching::Rule::Domain:
        return DrillDownModel::tr("Same domain");
    case matching::Rule::Name:
        return DrillDownModel::tr("Same name");
    case matching::Rule::Fuzzy:
        return DrillDownModel::tr("Similar name");
    }
    return {};
}
} // namespace

QVariant DrillDownModel::data(const QModelIndex &index, int role) const
{
    if (!m_overlap || !index.isValid() || index.row() >= m_drill.theirs.size())
        return {};
    if (role != Qt::DisplayRole && role != SortRole && role != Qt::ToolTipRole && role != Qt::TextAlignmentRole)
        return {};
    if (role == Qt::TextAlignmentRole) // the score (last column) is a number
        return m_drill.kind == DrillDown::Kind::Cell && index.column() == columnCount() - 1
                   ? int(Qt::AlignRight | Qt::AlignVCenter)
                   : int(Qt::AlignLeft | Qt::AlignVCenter);
    int column = index.column();
    const QStringList fields = theirFields();
    const overlap::Pair *pair =
        m_drill.kind == DrillDown::Kind::Cell ? &m_overlap->pairs.at(m_drill.pairs.at(index.row())) : nullptr;
    if (pair && column < ourColumns()) {
        const Account &ours = m_overlap->ours->accounts.at(pair->ours);
        switch (column) {
        case 0:
            return ours.name;
        case 1:
            return ours.domain;
        case 2:
            return ours.country;
        default:
            return role == SortRole ? accountstatus::key(ours.status) : accountstatus::displayName(ours.status);
        }
    }
    column -= ourColumns();
    if (column < fields.size()) {
        const QString value = m_drill.theirs.at(index.row()).value(fields.at(column));
        return fields.at(column) == QLatin1String("status") && role == Qt::DisplayRole ? statusName(value) : value;
    }
    column -= int(fields.size());
    if (!pair)
        return {};
    if (column == 0) {
        if (role == Qt::ToolTipRole)
            return pair->rule == matching::Rule::Fuzzy
                       ? tr("The names are nearly the same (a typo or a spelling variant): check before acting.")
                       : QVariant();
        return role == SortRole ? QVariant(int(pair->rule)) : QVariant(ruleName(pair->rule));
    }
    return role == SortRole ? QVariant(pair->score) : QVariant(QLocale().toString(pair->score, 'f', 2));
}

QVariant DrillDownModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= columnCount())
        return {};
    if (section < ourColumns()) {
        const QStringList ours{tr("Our account"), tr("Our domain"), tr("Our country"), tr("Our status")};
        return ours.at(section);
    }
    section -= ourColumns();
    const QStringList fields = theirFields();
    if (section < fields.size())
        return tr("Their %1").arg(fieldTitle(fields.at(section)).toLower());
    return section == fields.size() ? tr("Match rule") : tr("Score");
}

} // namespace ecotone::ui::mapping
