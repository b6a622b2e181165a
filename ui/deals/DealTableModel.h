#pragma once

#include "deals/DealRoomRepository.h"

#include <QAbstractTableModel>

namespace ecotone::ui {

// The rooms a viewer may read, as a table. Filtering, sorting and paging run in SQL (the access join, then
// WHERE/ORDER BY/LIMIT), so 100,000 rooms cost one page of rows; further pages come through fetchMore().
class DealTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        Name,
        Account,
        Stage,
        Amount,
        CloseDate,
        Participants,
        LastActivity,
        OpenTasks,
        ColumnCount,
    };
    enum Role
    {
        RoomIdRole = Qt::UserRole + 1,
        OverdueRole,
        IdleRole,
    };

    struct Filter
    {
        QString search;        // name or account contains
        QString stageId;       // empty: all
        QString participantId; // organization id, empty: all
        bool overdueOnly = false;
        bool idleOnly = false;
        int idleDays = 14;
    };

    explicit DealTableModel(Workspace &workspace, QObject *parent = nullptr);

    void setViewer(const DealViewer &viewer);
    void setFilter(const Filter &filter);
    void setToday(const QDate &today) { m_today = today; } // tests fix the date; default: the UTC date
    void reload();
    qint64 totalCount() const { return m_total; }
    QString lastError() const { return m_error; }
    QString roomIdAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

Q_SIGNALS:
    void loadFailed(const QString &error);

private:
    struct Row
    {
        QString id, name, account, stageName;
        qint64 amountMinor = 0;
        QString currency;
        QDate closeDate;
        QString participants;
        QDateTime lastActivity;
        int openTasks = 0;
        bool overdue = false;
        bool idle = false;
    };
    QList<Row> fetch(int offset, int limit);
    QString whereClause(QVariantList &binds) const;
    QDate today() const;

    Workspace &m_workspace;
    DealViewer m_viewer = DealViewer::everyone();
    Filter m_filter;
    QDate m_today;
    int m_sortColumn = LastActivity;
    Qt::SortOrder m_order = Qt::DescendingOrder;
    QList<Row> m_rows;
    qint64 m_total = 0;
    bool m_atEnd = true;
    bool m_loaded = false; // sort() before the first reload() only remembers the order
    QString m_error;
};

} // namespace ecotone::ui
