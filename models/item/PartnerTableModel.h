#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QStringList>

#include <vector>

namespace ecotone {

class Workspace;

// Partners of a workspace as a table. Filtering and sorting run in SQL and rows arrive in pages through
// canFetchMore()/fetchMore(), so a 5,000-partner workspace costs one page of work per keystroke.
class PartnerTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        Name,
        Types,
        Tier,
        Regions,
        Status,
        Accounts,
        Joined,
        ColumnCount
    };
    enum Role
    {
        IdRole = Qt::UserRole + 1,
        SortKeyRole
    };

    struct Filter
    {
        QString text;   // every word must appear in name, domain, capabilities or description
        QString type;   // partner type key, empty for any
        QString tier;   // empty for any
        QString region; // empty for any
        bool operator==(const Filter &) const = default;
    };

    static constexpr int kPageSize = 200;

    explicit PartnerTableModel(Workspace *workspace, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    void setFilter(const Filter &filter);
    const Filter &filter() const { return m_filter; }
    qint64 totalMatches() const { return qint64(m_order.size()); }
    QString idAt(int row) const;
    int rowOf(const QString &id) const; // -1 when that partner is not loaded (or filtered out)
    const QString &lastError() const { return m_error; }

public Q_SLOTS:
    // Re-reads after a change, keeping at least as many rows loaded as before.
    void refresh();

Q_SIGNALS:
    void totalMatchesChanged(qint64 total);
    void errorOccurred(const QString &message);

private:
    struct Row
    {
        QString id;
        QString name;
        QStringList types;
        QString tier;
        QStringList regions;
        QString status;
        qint64 accounts = 0;
        QString joinDate;
        QString domain;
    };

    QString whereClause(QVariantList &binds) const;
    bool loadOrder(std::vector<qint64> &order);
    bool materialize(const std::vector<qint64> &order, size_t from, size_t count, std::vector<Row> &out);
    bool fillAccountCounts(std::vector<Row> &rows);
    bool countAllAccounts();
    void reload(int minimumRows);
    void fail(const QString &message);

    Workspace *m_workspace;
    Filter m_filter;
    int m_sortColumn = Name;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
    // Every match's rowid in display order, from one query per filter or sort change; rows are read from the
    // table a page at a time as the view scrolls (m_rows holds the first m_rows.size() of m_order).
    std::vector<qint64> m_order;
    std::vector<Row> m_rows;
    // Account counts by partner id, kept across keystrokes (counting a page costs more than the search itself);
    // cleared by refresh(). When sorting by accounts every count is needed at once: one grouped query.
    QHash<QString, qint64> m_accountCounts;
    bool m_allCounted = false;
    QString m_error;
};

} // namespace ecotone
