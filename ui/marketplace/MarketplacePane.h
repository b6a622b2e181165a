#pragma once

#include "MarketplacePages.h"
#include "marketplace/MarketplaceSearch.h"

#include <QPointer>
#include <QSet>
#include <QWidget>

#include <array>
#include <memory>

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QPushButton;
class QSplitter;
class QStackedWidget;
class QTimer;
class QToolButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace ecotone {
class CollaborationRepository;
class PartnerFit;
class Workspace;
} // namespace ecotone

namespace ecotone::ui {

class EmptyState;
class ListingCardDelegate;
class ListingResultModel;

// The Marketplace pane (docs/marketplace.md, "Marketplace pane"): search as you type over the listings with facet
// filters and live disjunctive counts, sort, a card grid or list, a listing's page with its actions, favourites,
// a side-by-side comparison of up to three listings, partner-fit suggestions and the collaboration requests of the
// organization the user acts as. Searches run on the GUI thread (a keystroke costs about 11 ms on 100,000
// listings), debounced a little, and replace the results only once the new ones are there.
class MarketplacePane : public QWidget
{
    Q_OBJECT

public:
    enum class Page
    {
        Browse,
        Detail,
        Compare,
        Fit,
        Requests,
    };

    explicit MarketplacePane(Workspace &workspace, QWidget *parent = nullptr);
    ~MarketplacePane() override;

    // The workspace changed elsewhere (partners edited, imports): reread names, favourites, fit data and results.
    void reload();
    // Accounts were imported: partner fit rereads its customer map too (one pass over every account), then reload().
    void accountsChanged();
    void focusSearch();
    void searchNow(); // runs a pending (debounced) search at once
    Page page() const;
    void showPage(Page page);
    void back();

    void setFacetValue(MarketplaceFacet facet, const QString &value, bool selected);
    void clearFilters();
    void setSort(MarketplaceSort sort);
    void setListMode(bool list);
    bool isListMode() const;
    void setFavouritesOnly(bool only);
    // Only one organization's listings (from a partner-fit suggestion); '' for all.
    void setPartnerScope(const QString &organizationId);

    QString openListing(const QString &id); // the error message, '' when shown
    bool toggleFavourite(const QString &id);
    bool addToCompare(const QString &id); // false (with a message) when three are compared already
    void removeFromCompare(const QString &id);
    QStringList compareIds() const { return m_compare; }
    bool setActingOrganization(const QString &id);
    QString actingOrganization() const;
    void showFit(const QString &organizationId = {});
    // Opens the listing editor (modal) for a new listing of the acting organization ('') or that listing; after a
    // save the listing's page is shown. Returns whether it was saved.
    bool editListing(const QString &listingId = {});
    void requestCollaboration(CollaborationKind kind, const QString &listingId, const QString &toOrg = {});

    QString lastMessage() const;
    QLineEdit *searchField() const { return m_search; }
    QListView *resultsView() const { return m_view; }
    ListingResultModel *resultModel() const { return m_model; }
    QTreeWidget *facetTree() const { return m_facets; }
    QLabel *countLabel() const { return m_count; }
    EmptyState *noResultsState() const { return m_noResults; }
    EmptyState *noListingsState() const { return m_noListings; }
    ListingDetailPage *detailPage() const { return m_detail; }
    ComparePage *comparePage() const { return m_comparePage; }
    FitPage *fitPage() const { return m_fitPage; }
    RequestsPage *requestsPage() const { return m_requestsPage; }
    CollaborationDialog *collaborationDialog() const { return m_dialog; }

Q_SIGNALS:
    void resultsShown(); // after each search that changed the results
    void dealRoomOpened(const QString &roomId);
    void collaborationSent(const QString &requestId);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void buildToolbar();
    void buildBrowse();
    void loadOrganizations();
    void loadFavourites();
    void runSearch();
    void updateFacets();
    QString facetLabel(MarketplaceFacet facet, const QString &value); // cached valueLabel
    void updateResultState();
    void updateGridSize();
    void updateToolbar();
    void syncDetail();
    void showMessage(const QString &text, bool error);
    void showCardMenu(const QPoint &pos);
    MarketplaceSort currentSort() const;

    Workspace &m_workspace;
    std::unique_ptr<MarketplaceSearch> m_searchEngine;
    std::unique_ptr<PartnerFit> m_fit;
    std::unique_ptr<CollaborationRepository> m_requests;
    OrgDirectory m_orgs;
    std::array<QStringList, kMarketplaceFacetCount> m_filters;
    QString m_scope; // partner scope
    QSet<QString> m_favourites;
    QHash<QString, QString> m_labels; // "facet:value" -> display name
    QStringList m_compare;
    QList<Page> m_history;
    bool m_everSearched = false;
    int m_pressedState = -1;    // check state of the facet value under the last press
    qint64 m_listingCount = -1; // published listings in the workspace, for the "no listings" state

    QButtonGroup *m_pages = nullptr;
    QToolButton *m_compareButton = nullptr;
    QToolButton *m_requestsButton = nullptr;
    QLineEdit *m_search = nullptr;
    QComboBox *m_acting = nullptr;
    QLabel *m_message = nullptr;
    QTimer *m_debounce = nullptr;
    QTimer *m_messageTimer = nullptr;
    QStackedWidget *m_stack = nullptr;
    QSplitter *m_split = nullptr;
    QTreeWidget *m_facets = nullptr;
    std::array<QTreeWidgetItem *, kMarketplaceFacetCount> m_facetItems{};
    QPushButton *m_clearFilters = nullptr;
    QLabel *m_count = nullptr;
    QPushButton *m_scopeChip = nullptr;
    QCheckBox *m_favouritesOnly = nullptr;
    QComboBox *m_sort = nullptr;
    QToolButton *m_gridButton = nullptr;
    QToolButton *m_listButton = nullptr;
    QStackedWidget *m_results = nullptr;
    QListView *m_view = nullptr;
    ListingResultModel *m_model = nullptr;
    ListingCardDelegate *m_delegate = nullptr;
    EmptyState *m_noResults = nullptr;
    QPushButton *m_noResultsClearFilters = nullptr;
    QPushButton *m_noResultsClearSearch = nullptr;
    EmptyState *m_noListings = nullptr;
    ListingDetailPage *m_detail = nullptr;
    ComparePage *m_comparePage = nullptr;
    FitPage *m_fitPage = nullptr;
    RequestsPage *m_requestsPage = nullptr;
    QPointer<CollaborationDialog> m_dialog;
};

} // namespace ecotone::ui
