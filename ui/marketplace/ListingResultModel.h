#pragma once

#include "marketplace/MarketplaceSearch.h"

#include <QAbstractListModel>
#include <QHash>
#include <QPixmap>
#include <QSet>

namespace ecotone {
class Workspace;
}

namespace ecotone::ui {

// The marketplace results for the card grid and the list view. setQuery() runs one search (the first page) and
// keeps its facet counts; further pages are read when the view scrolls near the end (canFetchMore/fetchMore), so
// thousands of matches cost one page at a time. Logos are read lazily for the cards that are painted.
class ListingResultModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role
    {
        IdRole = Qt::UserRole + 1,
        TitleMarkedRole,   // title with the search's marks (U+0002/U+0003) around matched words
        SnippetMarkedRole, // summary or description excerpt with marks
        PartnerRole,
        PartnerIdRole,
        TierRole,
        KindRole,         // translated listing kind
        PartnerTypesRole, // translated partner types
        CloudsRole,       // short cloud names (AWS, Azure, Google Cloud)
        CategoriesRole,
        LogoRole, // QPixmap, null when the listing has none (the card draws a monogram)
        FavouriteRole,
        ComparedRole,
    };

    ListingResultModel(Workspace &workspace, MarketplaceSearch &search, QObject *parent = nullptr);

    // Runs the query from its first page. Returns the error message on failure ('' on success); the previous
    // results stay until a search succeeds, so an error never blanks the grid.
    QString setQuery(const MarketplaceQuery &query);
    const MarketplaceQuery &query() const { return m_query; }
    // Runs the same query again and resets only when the first page or the total differ (the data changed
    // elsewhere), so coming back to the pane keeps the scroll position. Returns whether it reset.
    bool refresh();
    const MarketplaceResult &result() const { return m_result; }
    int total() const { return m_result.total; }

    void setFavourites(const QSet<QString> &ids);
    void setCompared(const QStringList &ids);
    int rowOf(const QString &id) const;
    QString idAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    static constexpr int kPageSize = 60;
    // Short labels for the badges on a card.
    static QString cloudShortName(const QString &key);

private:
    Workspace &m_workspace;
    MarketplaceSearch &m_search;
    MarketplaceQuery m_query;
    MarketplaceResult m_result;
    QSet<QString> m_favourites;
    QStringList m_compared;
    mutable QHash<QString, QPixmap> m_logos;
    // Views ask for more while handling modelReset or rowsInserted; they ask again when scrolled, so a nested
    // request is declined rather than inserting rows inside another change's notification.
    bool m_busy = false;
};

} // namespace ecotone::ui
