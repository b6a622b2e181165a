#include "DealTableModel.h"

#include "BoardColumnModel.h"
#include "store/Workspace.h"

#include <QBrush>
#include <QColor>
#include <QLocale>
#include <QSqlError>
#include <QSqlQuery>

namespace ecotone::ui {

namespace {
constexpr int kPage = 200;
} // namespace

DealTableModel::DealTableModel(Workspace &workspace, QObject *parent)
    : QAbstractTableModel(parent)
    , m_workspace(workspace)
{}

void DealTableModel::setViewer(const DealViewer &viewer)
{
    m_viewer = viewer;
}

void DealTableModel::setFilter(const Filter &filter)
{
    m_filter = filter;
}

QDate DealTableModel::today() const
{
    return m_today.isValid() ? m_today : QDateTime::currentDateTimeUtc().date();
}

QString DealTableModel::whereClause(QVariantList &binds) const
{
    QStringList where;
    if (!m_filter.search.trimmed().isEmpty()) {
        QString like = m_filter.search.trimmed();
        like.replace(QLatin1Char('\\'), QLatin1String("\\\\"))
            .replace(QLatin1Char('%'), QLatin1String("\\%"))
            .replace(QLatin1Char('_'), QLatin1String("\\_"));
        like = QLatin1Char('%') + like + QLatin1Char('%');
        where << QStringLiteral("(r.name LIKE ? ESCAPE '\\' OR r.account_name LIKE ? ESCAPE '\\')");
        binds << like << like;
    }
    if (!m_filter.stageId.isEmpty()) {
        where << QStringLiteral("r.stage = ?");
        binds << m_filter.stageId;
    }
    if (!m_filter.participantId.isEmpty()) {
        where << QStringLiteral("EXISTS (SELECT 1 FROM deal_room_participants dp WHERE dp.room_id = r.id AND "
                                "dp.organization_id = ?)");
        binds << m_filter.participantId;
    }
    if (m_filter.overdueOnly) {
        where << QStringLiteral("EXISTS (SELECT 1 FROM deal_tasks t WHERE t.room_id = r.id AND t.done_at = '' AND "
                                "t.due_date <> '' AND t.due_date < ?)");
        binds << today().toString(Qt::ISODate);
    }
    if (m_filter.idleOnly) {
        where << QStringLiteral("r.last_activity_at < ? AND r.stage IN (SELECT id FROM deal_stages WHERE outcome = "
                                "'open')");
        binds << deals::isoTime(QDateTime::currentDateTimeUtc().addDays(-m_filter.idleDays));
    }
    return where.isEmpty() ? QString() : QStringLiteral(" WHERE ") + where.join(QStringLiteral(" AND "));
}

QList<DealTableModel::Row> DealTableModel::fetch(int offset, int limit)
{
    QList<Row> rows;
    QVariantList binds;
    QString from = QStringLiteral(" FROM deal_rooms r");
    if (!m_viewer.seesAll) {
        from += QStringLiteral(" JOIN deal_room_people v ON v.room_id = r.id AND v.person_id = ?");
        binds << m_viewer.personId;
    }
    const QString where = whereClause(binds);
    static const char *const orderBy[] = {"r.name COLLATE NOCASE",
                                          "r.account_name COLLATE NOCASE",
                                          "(SELECT position FROM deal_stages s WHERE s.id = r.stage)",
                                          "r.amount_minor",
                                          "r.close_date",
                                          "participants COLLATE NOCASE",
                                          "r.last_activity_at",
                                          "open_tasks"};
    const QString dir = m_order == Qt::AscendingOrder ? QStringLiteral(" ASC") : QStringLiteral(" DESC");
    const QString sql =
        QStringLiteral("SELECT r.id, r.name, r.account_name, (SELECT name FROM deal_stages s WHERE s.id = r.stage), "
                       "r.amount_minor, r.currency, r.close_date, "
                       "(SELECT group_concat(n, ', ') FROM (SELECT DISTINCT o.name AS n FROM deal_room_participants "
                       "dp JOIN organizations o ON o.id = dp.organization_id WHERE dp.room_id = r.id)) AS "
                       "participants, r.last_activity_at, "
                       "(SELECT count(*) FROM deal_tasks t WHERE t.room_id = r.id AND t.done_at = '') AS open_tasks, "
                       "EXISTS (SELECT 1 FROM deal_tasks t WHERE t.room_id = r.id AND t.done_at = '' AND "
                       "t.due_date <> '' AND t.due_date < ?), "
                       "r.last_activity_at < ? AND r.stage IN (SELECT id FROM deal_stages WHERE outcome = 'open')") +
        from + where + QStringLiteral(" ORDER BY ") + QLatin1String(orderBy[m_sortColumn]) + dir +
        QStringLiteral(", r.id LIMIT ? OFFSET ?");
    QSqlQuery q(m_workspace.db());
    q.setForwardOnly(true);
    q.prepare(sql);
    q.addBindValue(today().toString(Qt::ISODate));
    q.addBindValue(deals::isoTime(QDateTime::currentDateTimeUtc().addDays(-m_filter.idleDays)));
    for (const QVariant &b : binds)
        q.addBindValue(b);
    q.addBindValue(limit);
    q.addBindValue(offset);
    if (!q.exec()) {
        m_error = tr("Reading deal rooms failed: %1").arg(q.lastError().text());
        return rows;
    }
    while (q.next()) {
        Row r;
        r.id = q.value(0).toString();
        r.name = q.value(1).toString();
        r.account = q.value(2).toString();
        r.stageName = q.value(3).toString();
        r.amountMinor = q.value(4).toLongLong();
        r.currency = q.value(5).toString();
        r.closeDate = QDate::fromString(q.value(6).toString(), Qt::ISODate);
        r.participants = q.value(7).toString();
        r.lastActivity = deals::parseTime(q.value(8).toString());
        r.openTasks = q.value(9).toInt();
        r.overdue = q.value(10).toBool();
        r.idle = q.value(11).toBool();
        rows << r;
    }
    return rows;
}

void DealTableModel::reload()
{
    m_loaded = true;
    beginResetModel();
    m_error.clear();
    m_rows = fetch(0, kPage);
    m_atEnd = m_rows.size() < kPage;
    QVariantList binds;
    QString from = QStringLiteral(" FROM deal_rooms r");
    if (!m_viewer.seesAll) {
        from += QStringLiteral(" JOIN deal_room_people v ON v.room_id = r.id AND v.person_id = ?");
        binds << m_viewer.personId;
    }
    const QString where = whereClause(binds);
    QSqlQuery q(m_workspace.db());
    q.prepare(QStringLiteral("SELECT count(*)") + from + where);
    for (const QVariant &b : binds)
        q.addBindValue(b);
    m_total = q.exec() && q.next() ? q.value(0).toLongLong() : 0;
    endResetModel();
    if (!m_error.isEmpty())
        Q_EMIT loadFailed(m_error);
}

QString DealTableModel::roomIdAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).id : QString();
}

int DealTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int DealTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(ColumnCount);
}

QVariant DealTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows.at(index.row());
    if (role == RoomIdRole)
        return r.id;
    if (role == OverdueRole)
        return r.overdue;
    if (role == IdleRole)
        return r.idle;
    if (role == Qt::TextAlignmentRole && (index.column() == Amount || index.column() == OpenTasks))
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ForegroundRole && index.column() == OpenTasks && r.overdue)
        return QBrush(QColor(0xd3, 0x2f, 0x2f));
    if (role == Qt::ForegroundRole && index.column() == LastActivity && r.idle)
        return QBrush(QColor(0xc2, 0x78, 0x03));
    if (role == Qt::ToolTipRole && index.column() == OpenTasks && r.overdue)
        return tr("Has overdue tasks");
    if (role == Qt::ToolTipRole && index.column() == LastActivity) {
        const QString when = QLocale().toString(r.lastActivity.toLocalTime(), QLocale::LongFormat);
        return r.idle ? tr("%1: no activity for %n day(s) or more", nullptr, m_filter.idleDays).arg(when) : when;
    }
    if (role == Qt::ToolTipRole && index.column() == Participants)
        return r.participants;
    if (role != Qt::DisplayRole)
        return {};
    const QLocale locale;
    switch (index.column()) {
    case Name:
        return r.name;
    case Account:
        return r.account;
    case Stage:
        return r.stageName;
    case Amount:
        return formatMoney(r.amountMinor, r.currency);
    case CloseDate:
        return r.closeDate.isValid() ? locale.toString(r.closeDate, QLocale::ShortFormat) : QString();
    case Participants:
        return r.participants;
    case LastActivity:
        return locale.toString(r.lastActivity.toLocalTime().date(), QLocale::ShortFormat);
    case OpenTasks:
        return r.overdue ? tr("%1 (overdue)").arg(locale.toString(r.openTasks)) : locale.toString(r.openTasks);
    default:
        return {};
    }
}

QVariant DealTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Name:
        return tr("Name");
    case Account:
        return tr("Account");
    case Stage:
        return tr("Stage");
    case Amount:
        return tr("Amount");
    case CloseDate:
        return tr("Close date");
    case Participants:
        return tr("Participants");
    case LastActivity:
        return tr("Last activity");
    case OpenTasks:
        return tr("Open tasks");
    default:
        return {};
    }
}

void DealTableModel::sort(int column, Qt::SortOrder order)
{
    if (column < 0 || column >= ColumnCount)
        return;
    m_sortColumn = column;
    m_order = order;
    // The view sets its sort indicator while the pane is built; reading the table then would cost the pane's
    // opening a query over every room (most of a cold open), for a view that loads when first shown.
    if (m_loaded)
        reload();
}

bool DealTableModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_atEnd;
}

void DealTableModel::fetchMore(const QModelIndex &parent)
{
    if (parent.isValid() || m_atEnd)
        return;
    const QList<Row> more = fetch(int(m_rows.size()), kPage);
    m_atEnd = more.size() < kPage;
    if (more.isEmpty())
        return;
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + more.size() - 1));
    m_rows << more;
    endInsertRows();
}

} // namespace ecotone::ui
