#include "PartnerTableModel.h"

#include "domain/Organization.h"
#include "store/ChangeJournal.h"
#include "store/Statement.h"
#include "store/Workspace.h"

#include <QHash>
#include <QLocale>
#include <QSqlQuery>

namespace ecotone {

PartnerTableModel::PartnerTableModel(Workspace *workspace, QObject *parent)
    : QAbstractTableModel(parent)
    , m_workspace(workspace)
{
    reload(kPageSize);
}

int PartnerTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int PartnerTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PartnerTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows[size_t(index.row())];
    if (role == IdRole)
        return r.id;
    if (role == Qt::TextAlignmentRole && index.column() == Accounts)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole && role != SortKeyRole)
        return {};
    switch (index.column()) {
    case Name:
        return role == Qt::ToolTipRole && !r.domain.isEmpty() ? QVariant(r.name + QStringLiteral(" — ") + r.domain)
                                                              : QVariant(r.name);
    case Types: {
        QStringList names;
        for (const QString &key : r.types)
            if (auto t = partnertype::fromKey(key))
                names << partnertype::displayName(*t);
        return names.join(QStringLiteral(", "));
    }
    case Tier:
        return r.tier;
    case Regions:
        return r.regions.join(QStringLiteral(", "));
    case Status:
        return organization::statusDisplayName(r.status);
    case Accounts:
        return role == SortKeyRole ? QVariant(r.accounts) : QVariant(QLocale().toString(r.accounts));
    case Joined: {
        const QDate d = QDate::fromString(r.joinDate, Qt::ISODate);
        return d.isValid() ? QLocale().toString(d, QLocale::ShortFormat) : QString();
    }
    }
    return {};
}

QVariant PartnerTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Name:
        return tr("Partner");
    case Types:
        return tr("Types");
    case Tier:
        return tr("Tier");
    case Regions:
        return tr("Regions");
    case Status:
        return tr("Status");
    case Accounts:
        return tr("Accounts");
    case Joined:
        return tr("Joined");
    }
    return {};
}

bool PartnerTableModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_rows.size() < m_order.size();
}

void PartnerTableModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    std::vector<Row> page;
    if (!materialize(m_order, m_rows.size(), kPageSize, page) || page.empty())
        return;
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + page.size()) - 1);
    std::move(page.begin(), page.end(), std::back_inserter(m_rows));
    endInsertRows();
}

void PartnerTableModel::sort(int column, Qt::SortOrder order)
{
    if (column < 0 || column >= ColumnCount || (column == m_sortColumn && order == m_sortOrder))
        return;
    m_sortColumn = column;
    m_sortOrder = order;
    reload(kPageSize);
}

void PartnerTableModel::setFilter(const Filter &filter)
{
    if (filter == m_filter)
        return;
    m_filter = filter;
    reload(kPageSize);
}

QString PartnerTableModel::idAt(int row) const
{
    return row >= 0 && row < int(m_rows.size()) ? m_rows[size_t(row)].id : QString();
}

int PartnerTableModel::rowOf(const QString &id) const
{
    for (size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].id == id)
            return int(i);
    return -1;
}

void PartnerTableModel::refresh()
{
    m_accountCounts.clear();
    m_allCounted = false;
    reload(std::max<int>(kPageSize, int(m_rows.size())));
}

QString PartnerTableModel::whereClause(QVariantList &binds) const
{
    QString where = QStringLiteral("o.kind = 'partner'");
    auto likeEscaped = [](QString s) -> QString {
        s.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
        s.replace(QLatin1Char('%'), QStringLiteral("\\%"));
        s.replace(QLatin1Char('_'), QStringLiteral("\\_"));
        return QLatin1Char('%') + s + QLatin1Char('%');
    };
    // Words of three or more characters use the trigram index (organization_search), each as a quoted phrase
    // so FTS5 operators, "*" and parentheses are plain text. Shorter words are below what trigrams can match;
    // they match most partners anyway, where scanning the table beats thousands of index lookups. There,
    // capability lists lose their JSON syntax first, so "[" or "," match capability names, not list punctuation.
    QStringList phrases;
    for (const QString &word : m_filter.text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (word.size() >= 3) {
            phrases << QLatin1Char('"') + QString(word).replace(QLatin1Char('"'), QStringLiteral("\"\"")) +
                           QLatin1Char('"');
            continue;
        }
        where += QStringLiteral(
            " AND (o.name LIKE ? ESCAPE '\\' OR o.domain LIKE ? ESCAPE '\\' "
            "OR replace(replace(replace(replace(o.capabilities, '[]', ''), '\",\"', ' | '), '[\"', ''), '\"]', '') "
            "LIKE ? ESCAPE '\\' OR o.description LIKE ? ESCAPE '\\')");
        const QString pattern = likeEscaped(word);
        binds << pattern << pattern << pattern << pattern;
    }
    if (!phrases.isEmpty()) {
        where += QStringLiteral(" AND o.id IN (SELECT id FROM organization_search WHERE organization_search MATCH ?)");
        binds << phrases.join(QLatin1Char(' '));
    }
    // Lists are JSON arrays of plain strings, so a quoted match is exact.
    if (!m_filter.type.isEmpty()) {
        where += QStringLiteral(" AND instr(o.types, ?) > 0");
        binds << json::string(m_filter.type);
    }
    if (!m_filter.tier.isEmpty()) {
        where += QStringLiteral(" AND o.tier = ?");
        binds << m_filter.tier;
    }
    if (!m_filter.region.isEmpty()) {
        where += QStringLiteral(" AND instr(o.regions, ?) > 0");
        binds << json::string(m_filter.region);
    }
    return where;
}

bool PartnerTableModel::loadOrder(std::vector<qint64> &order)
{
    static const char *const orderBy[ColumnCount] = {
        "o.name COLLATE NOCASE",
        "o.types",
        "CASE o.tier WHEN 'Platinum' THEN 4 WHEN 'Gold' THEN 3 WHEN 'Silver' "
        "THEN 2 WHEN 'Registered' THEN 1 ELSE 0 END",
        "o.regions",
        "o.status",
        "(SELECT n FROM temp.partner_account_counts c WHERE c.owner_id = o.id)",
        "o.join_date"};
    if (m_sortColumn == Accounts && !countAllAccounts())
        return false;
    QVariantList binds;
    const QString where = whereClause(binds);
    const QString dir = m_sortOrder == Qt::AscendingOrder ? QStringLiteral("ASC") : QStringLiteral("DESC");
    // Only rowids travel: the sort stays narrow and the count of matches comes with it. Read through the raw
    // statement, as thousands of rows per keystroke through QSqlQuery cost more than the query.
    Statement q(m_workspace->db(), QStringLiteral("SELECT o.rowid FROM organizations o WHERE %1 ORDER BY %2 %3, "
                                                  "o.name COLLATE NOCASE, o.rowid")
                                       .arg(where, QLatin1String(orderBy[m_sortColumn]), dir));
    if (!q.isValid()) {
        fail(tr("Loading partners failed: %1").arg(q.error()));
        return false;
    }
    for (int i = 0; i < int(binds.size()); ++i)
        q.bind(i + 1, binds.at(i).toString());
    while (q.next())
        order.push_back(q.int64At(0));
    if (q.atError()) {
        fail(tr("Loading partners failed: %1").arg(q.error()));
        return false;
    }
    return true;
}

bool PartnerTableModel::materialize(const std::vector<qint64> &order, size_t from, size_t count, std::vector<Row> &out)
{
    const size_t end = std::min(order.size(), from + count);
    if (from >= end)
        return true;
    QString list;
    for (size_t i = from; i < end; ++i) {
        if (i > from)
            list += QLatin1Char(',');
        list += QString::number(order[i]); // our own integers: safe to inline
    }
    QSqlQuery q(m_workspace->db());
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT o.rowid, o.id, o.name, o.types, o.tier, o.regions, o.status, o.join_date, "
                               "o.domain FROM organizations o WHERE o.rowid IN (%1)")
                    .arg(list))) {
        fail(sqlError(q, tr("Loading partners")).message);
        return false;
    }
    QHash<qint64, Row> byRowid;
    byRowid.reserve(qsizetype(end - from));
    while (q.next()) {
        Row r;
        r.id = q.value(1).toString();
        r.name = q.value(2).toString();
        r.types = json::parseArray(q.value(3).toString());
        r.tier = q.value(4).toString();
        r.regions = json::parseArray(q.value(5).toString());
        r.status = q.value(6).toString();
        r.joinDate = q.value(7).toString();
        r.domain = q.value(8).toString();
        byRowid.insert(q.value(0).toLongLong(), std::move(r));
    }
    for (size_t i = from; i < end; ++i) {
        auto it = byRowid.find(order[i]);
        if (it == byRowid.end())
            continue; // deleted since the order was read; refresh() will catch up
        out.push_back(std::move(it.value()));
    }
    return fillAccountCounts(out);
}

bool PartnerTableModel::fillAccountCounts(std::vector<Row> &rows)
{
    QSqlQuery count(m_workspace->db());
    count.prepare(QStringLiteral("SELECT COUNT(*) FROM accounts WHERE owner_id = ?"));
    for (Row &r : rows) {
        auto it = m_accountCounts.constFind(r.id);
        if (it == m_accountCounts.cend()) {
            count.bindValue(0, r.id);
            if (!count.exec() || !count.next()) {
                fail(sqlError(count, tr("Counting accounts")).message);
                return false;
            }
            it = m_accountCounts.insert(r.id, count.value(0).toLongLong());
        }
        r.accounts = it.value();
    }
    return true;
}

bool PartnerTableModel::countAllAccounts()
{
    if (m_allCounted)
        return true;
    QSqlQuery q(m_workspace->db());
    const bool ok = q.exec(QStringLiteral("CREATE TEMP TABLE IF NOT EXISTS partner_account_counts "
                                          "(owner_id TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID")) &&
                    q.exec(QStringLiteral("DELETE FROM temp.partner_account_counts")) &&
                    q.exec(QStringLiteral("INSERT INTO temp.partner_account_counts "
                                          "SELECT owner_id, COUNT(*) FROM accounts GROUP BY owner_id")) &&
                    q.exec(QStringLiteral("SELECT owner_id, n FROM temp.partner_account_counts"));
    if (!ok) {
        fail(sqlError(q, tr("Counting accounts")).message);
        return false;
    }
    m_accountCounts.clear();
    while (q.next())
        m_accountCounts.insert(q.value(0).toString(), q.value(1).toLongLong());
    m_allCounted = true;
    return true;
}

void PartnerTableModel::reload(int minimumRows)
{
    const qint64 before = totalMatches();
    std::vector<qint64> order;
    std::vector<Row> rows;
    if (!loadOrder(order) || !materialize(order, 0, size_t(minimumRows), rows)) {
        order.clear();
        rows.clear();
    }
    beginResetModel();
    m_order = std::move(order);
    m_rows = std::move(rows);
    endResetModel();
    if (totalMatches() != before)
        Q_EMIT totalMatchesChanged(totalMatches());
}

void PartnerTableModel::fail(const QString &message)
{
    m_error = message;
    Q_EMIT errorOccurred(message);
}

} // namespace ecotone
