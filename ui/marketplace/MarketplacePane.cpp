#include "MarketplacePane.h"

#include "ListingCardDelegate.h"
#include "ListingEditorDialog.h"
#include "ListingResultModel.h"
#include "common/EmptyState.h"
#include "common/Icons.h"
#include "marketplace/CollaborationRepository.h"
#include "marketplace/ListingRepository.h"
#include "marketplace/PartnerFit.h"
#include "store/Repositories.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QContextMenuEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QMenu>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QShortcut>
#include <QSplitter>
#include <QStackedWidget>
#include <QTimer>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace ecotone::ui {

namespace {
constexpr int kDebounceMs = 120; // a few keystrokes coalesce; a single one still feels immediate
constexpr int kMaxCompare = 3;
// The order of the facet lists in the side panel.
const MarketplaceFacet kFacetOrder[] = {
    MarketplaceFacet::Kind,   MarketplaceFacet::PartnerType, MarketplaceFacet::Category, MarketplaceFacet::Industry,
    MarketplaceFacet::Region, MarketplaceFacet::Language,    MarketplaceFacet::Cloud,    MarketplaceFacet::Tier};
constexpr int kValueRole = Qt::UserRole + 1;
constexpr int kFacetRole = Qt::UserRole + 2;
} // namespace

MarketplacePane::MarketplacePane(Workspace &workspace, QWidget *parent)
    : QWidget(parent)
    , m_workspace(workspace)
    , m_searchEngine(std::make_unique<MarketplaceSearch>(workspace))
    , m_fit(std::make_unique<PartnerFit>(workspace))
    , m_requests(std::make_unique<CollaborationRepository>(workspace))
{
    setObjectName(QStringLiteral("marketplacePane"));
    auto *v = new QVBoxLayout(this);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(0);
    loadOrganizations();
    buildToolbar();

    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("marketplaceMessage"));
    m_message->setWordWrap(true);
    m_message->setContentsMargins(14, 6, 14, 6);
    m_message->hide();
    v->addWidget(m_message);
    m_messageTimer = new QTimer(this);
    m_messageTimer->setSingleShot(true);
    m_messageTimer->setInterval(12000);
    connect(m_messageTimer, &QTimer::timeout, m_message, &QLabel::hide);

    m_stack = new QStackedWidget(this);
    v->addWidget(m_stack, 1);
    buildBrowse();

    m_detail = new ListingDetailPage(m_workspace, m_orgs, m_stack);
    m_comparePage = new ComparePage(m_workspace, m_orgs, m_stack);
    m_fitPage = new FitPage(m_workspace, *m_fit, m_orgs, m_stack);
    m_requestsPage = new RequestsPage(m_workspace, *m_requests, m_orgs, m_stack);
    m_stack->addWidget(m_detail);
    m_stack->addWidget(m_comparePage);
    m_stack->addWidget(m_fitPage);
    m_stack->addWidget(m_requestsPage);

    connect(m_detail, &ListingDetailPage::backRequested, this, &MarketplacePane::back);
    connect(m_detail, &ListingDetailPage::favouriteToggled, this, &MarketplacePane::toggleFavourite);
    connect(m_detail, &ListingDetailPage::compareToggled, this, [this](const QString &id) {
        if (m_compare.contains(id))
            removeFromCompare(id);
        else
            addToCompare(id);
    });
    connect(m_detail, &ListingDetailPage::collaborationRequested, this,
            [this](CollaborationKind kind, const QString &id) { requestCollaboration(kind, id); });
    connect(m_detail, &ListingDetailPage::fitRequested, this, &MarketplacePane::showFit);
    connect(m_detail, &ListingDetailPage::listingActivated, this, &MarketplacePane::openListing);
    connect(m_detail, &ListingDetailPage::editRequested, this, [this](const QString &id) { editListing(id); });
    connect(m_comparePage, &ComparePage::removeRequested, this, &MarketplacePane::removeFromCompare);
    connect(m_comparePage, &ComparePage::openRequested, this, &MarketplacePane::openListing);
    connect(m_comparePage, &ComparePage::browseRequested, this, [this] { showPage(Page::Browse); });
    connect(m_comparePage, &ComparePage::clearRequested, this, [this] {
        m_compare.clear();
        m_model->setCompared(m_compare);
        m_comparePage->setListings(m_compare);
        syncDetail();
        updateToolbar();
    });
    connect(m_fitPage, &FitPage::introductionRequested, this, [this](const QString &from, const QString &to) {
        if (from != actingOrganization())
            setActingOrganization(from);
        requestCollaboration(CollaborationKind::Introduction, QString(), to);
    });
    connect(m_fitPage, &FitPage::listingsRequested, this, [this](const QString &id, const QString &) {
        setPartnerScope(id);
        showPage(Page::Browse);
    });
    connect(m_requestsPage, &RequestsPage::message, this, &MarketplacePane::showMessage);
    connect(m_requestsPage, &RequestsPage::dealRoomOpened, this, &MarketplacePane::dealRoomOpened);
    connect(m_requestsPage, &RequestsPage::changed, this, &MarketplacePane::updateToolbar);
    connect(m_requestsPage, &RequestsPage::listingActivated, this, &MarketplacePane::openListing);

    // Esc goes back from a listing, the comparison, fit or requests to where the user came from.
    auto *esc = new QShortcut(QKeySequence(Qt::Key_Escape), this);
    esc->setContext(Qt::WidgetWithChildrenShortcut);
    connect(esc, &QShortcut::activated, this, [this] {
        if (page() != Page::Browse)
            back();
        else if (!m_search->text().isEmpty() && m_search->hasFocus())
            m_search->clear();
    });

    m_fitPage->reloadOrganizations();
    m_fitPage->setOrganization(actingOrganization());
    m_requestsPage->setOrganization(actingOrganization());
    m_detail->setActingOrganization(actingOrganization());
    loadFavourites();
    // The first search loads the in-memory table (seconds on 100,000 listings): it waits until the pane is shown,
    // so opening a workspace on another pane does not pay for it.
    updateToolbar();
}

MarketplacePane::~MarketplacePane()
{
    // The pages and the model refer to the search, fit and request objects held here: they go first.
    delete m_dialog;
    delete m_stack;
    delete m_model;
}

void MarketplacePane::loadOrganizations()
{
    m_orgs = {};
    OrganizationRepository repo(m_workspace);
    if (Result<QList<Organization>> all = repo.all()) {
        m_orgs.all = all.value();
        for (int i = 0; i < m_orgs.all.size(); ++i) {
            m_orgs.byId.insert(m_orgs.all.at(i).id, i);
            if (m_orgs.all.at(i).kind == OrganizationKind::Vendor)
                m_orgs.vendorId = m_orgs.all.at(i).id;
        }
    }
    if (m_acting) {
        const QString current = actingOrganization();
        QSignalBlocker block(m_acting);
        m_acting->clear();
        for (const Organization &o : std::as_const(m_orgs.all))
            m_acting->addItem(o.kind == OrganizationKind::Vendor ? tr("%1 (vendor)").arg(o.name) : o.name, o.id);
        const int i = m_acting->findData(current);
        m_acting->setCurrentIndex(i >= 0 ? i : 0);
    }
}

void MarketplacePane::loadFavourites()
{
    ListingRepository repo(m_workspace);
    m_favourites.clear();
    if (Result<QStringList> ids = repo.favourites())
        for (const QString &id : ids.value())
            m_favourites.insert(id);
    m_model->setFavourites(m_favourites);
}

void MarketplacePane::buildToolbar()
{
    auto *bar = new QWidget(this);
    bar->setAccessibleName(tr("Marketplace toolbar"));
    auto *row = new QHBoxLayout(bar);
    row->setContentsMargins(8, 6, 8, 6);
    row->setSpacing(6);

    m_pages = new QButtonGroup(this);
    m_pages->setExclusive(true);
    const QList<std::pair<Page, QString>> pages = {{Page::Browse, tr("Browse")},
                                                   {Page::Compare, tr("Compare")},
                                                   {Page::Fit, tr("Partner Fit")},
                                                   {Page::Requests, tr("Requests")}};
    for (const auto &[p, label] : pages) {
        auto *b = new QToolButton(bar);
        b->setText(label);
        b->setCheckable(true);
        b->setAutoRaise(true);
        b->setAccessibleName(tr("Show %1").arg(label));
        m_pages->addButton(b, int(p));
        row->addWidget(b);
    }
    m_compareButton = qobject_cast<QToolButton *>(m_pages->button(int(Page::Compare)));
    m_requestsButton = qobject_cast<QToolButton *>(m_pages->button(int(Page::Requests)));
    m_pages->button(int(Page::Browse))->setChecked(true);
    connect(m_pages, &QButtonGroup::idClicked, this, [this](int id) {
        m_history.clear();
        showPage(Page(id));
    });
    row->addSpacing(8);

    m_search = new QLineEdit(bar);
    m_search->setObjectName(QStringLiteral("marketplaceSearch"));
    m_search->setPlaceholderText(tr("Search products, services, integrations, partners…"));
    m_search->setAccessibleName(tr("Search the marketplace"));
    m_search->setToolTip(tr("Every word is searched as the start of a word (Ctrl+F)"));
    m_search->setClearButtonEnabled(true);
    m_search->addAction(icon(QStringLiteral("search")), QLineEdit::LeadingPosition);
    m_search->setMaxLength(1000); // the search itself reads the first 256 characters
    m_search->setMinimumWidth(180);
    m_search->installEventFilter(this);
    row->addWidget(m_search, 1);
    m_debounce = new QTimer(this);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(kDebounceMs);
    connect(m_debounce, &QTimer::timeout, this, &MarketplacePane::runSearch);
    connect(m_search, &QLineEdit::textEdited, this, [this] {
        if (page() != Page::Browse) {
            m_history.clear();
            showPage(Page::Browse);
        }
        m_debounce->start();
    });
    // Clearing with the clear button or clear() is not an edit: search at once.
    connect(m_search, &QLineEdit::textChanged, this, [this](const QString &text) {
        if (text.isEmpty())
            m_debounce->start(0);
    });
    connect(m_search, &QLineEdit::returnPressed, this, [this] {
        searchNow();
        if (m_model->rowCount() > 0) {
            m_view->setFocus();
            m_view->setCurrentIndex(m_model->index(0));
        }
    });
    row->addSpacing(8);

    auto *newListing = new QPushButton(tr("New Listing…"), bar);
    newListing->setObjectName(QStringLiteral("newListing"));
    newListing->setToolTip(tr("Publish a product, service, integration or bundle of the organization you act as"));
    connect(newListing, &QPushButton::clicked, this, [this] { editListing(); });
    row->addWidget(newListing);
    row->addSpacing(8);

    auto *as = new QLabel(tr("Acting as"), bar);
    row->addWidget(as);
    m_acting = new QComboBox(bar);
    m_acting->setObjectName(QStringLiteral("actingOrganization"));
    m_acting->setAccessibleName(tr("Organization you act as"));
    m_acting->setToolTip(tr("Requests are sent from this organization, and its received requests are listed."));
    m_acting->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_acting->setMinimumContentsLength(22);
    m_acting->setMaximumWidth(300);
    as->setBuddy(m_acting);
    row->addWidget(m_acting);
    loadOrganizations(); // fills the combo
    connect(m_acting, &QComboBox::currentIndexChanged, this, [this] {
        m_detail->setActingOrganization(actingOrganization());
        m_requestsPage->setOrganization(actingOrganization());
        updateToolbar();
    });
    static_cast<QVBoxLayout *>(layout())->addWidget(bar);
}

void MarketplacePane::buildBrowse()
{
    m_split = new QSplitter(Qt::Horizontal, m_stack);
    m_split->setChildrenCollapsible(false);

    auto *side = new QWidget(m_split);
    auto *sv = new QVBoxLayout(side);
    sv->setContentsMargins(8, 4, 0, 8);
    sv->setSpacing(4);
    auto *sideHead = new QHBoxLayout;
    auto *filters = new QLabel(tr("Filters"), side);
    QFont hf = filters->font();
    hf.setWeight(QFont::DemiBold);
    filters->setFont(hf);
    sideHead->addWidget(filters);
    sideHead->addStretch(1);
    m_clearFilters = new QPushButton(tr("Clear"), side);
    m_clearFilters->setFlat(true);
    m_clearFilters->setAccessibleName(tr("Clear all filters"));
    connect(m_clearFilters, &QPushButton::clicked, this, &MarketplacePane::clearFilters);
    sideHead->addWidget(m_clearFilters);
    sv->addLayout(sideHead);

    m_facets = new QTreeWidget(side);
    m_facets->setObjectName(QStringLiteral("marketplaceFacets"));
    m_facets->setAccessibleName(tr("Facet filters"));
    m_facets->setColumnCount(2);
    m_facets->setHeaderHidden(true);
    m_facets->setRootIsDecorated(true);
    m_facets->setIndentation(12);
    m_facets->setUniformRowHeights(true);
    m_facets->setSelectionMode(QAbstractItemView::NoSelection);
    m_facets->setFocusPolicy(Qt::StrongFocus);
    m_facets->header()->setStretchLastSection(false);
    m_facets->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    // A fixed count column: sizing it to its contents would measure every row on every keystroke.
    m_facets->header()->setSectionResizeMode(1, QHeaderView::Fixed);
    m_facets->header()->resizeSection(1, m_facets->fontMetrics().horizontalAdvance(QStringLiteral("000,000")) + 8);
    m_facets->setFrameShape(QFrame::NoFrame);
    for (MarketplaceFacet f : kFacetOrder) {
        auto *top = new QTreeWidgetItem(m_facets);
        top->setText(0, MarketplaceSearch::facetName(f));
        top->setData(0, kFacetRole, int(f));
        top->setFlags(Qt::ItemIsEnabled);
        QFont tf = top->font(0);
        tf.setWeight(QFont::DemiBold);
        top->setFont(0, tf);
        top->setFirstColumnSpanned(false);
        m_facetItems[size_t(f)] = top;
    }
    m_facets->expandAll();
    // Long lists start folded so every facet's title is in sight.
    m_facetItems[size_t(MarketplaceFacet::Industry)]->setExpanded(false);
    m_facetItems[size_t(MarketplaceFacet::Language)]->setExpanded(false);
    connect(m_facets, &QTreeWidget::itemChanged, this, [this](QTreeWidgetItem *item, int column) {
        if (column != 0 || !item->parent())
            return;
        const int f = item->parent()->data(0, kFacetRole).toInt();
        const QString value = item->data(0, kValueRole).toString();
        const bool on = item->checkState(0) == Qt::Checked;
        QStringList &selected = m_filters[size_t(f)];
        if (on && !selected.contains(value))
            selected << value;
        else if (!on)
            selected.removeAll(value);
        // Queued: the tree is rebuilt by the search, not from inside its own signal.
        QTimer::singleShot(0, this, &MarketplacePane::runSearch);
    });
    // A click on the value's name or count toggles it too, not only the small box: when the box itself was hit,
    // the view has toggled it by the time itemClicked arrives, so the state differs from the one at the press.
    connect(m_facets, &QTreeWidget::itemPressed, this,
            [this](QTreeWidgetItem *item, int) { m_pressedState = item->parent() ? int(item->checkState(0)) : -1; });
    connect(m_facets, &QTreeWidget::itemClicked, this, [this](QTreeWidgetItem *item, int) {
        if (item->parent() && m_pressedState == int(item->checkState(0)))
            item->setCheckState(0, item->checkState(0) == Qt::Checked ? Qt::Unchecked : Qt::Checked);
        m_pressedState = -1;
    });
    sv->addWidget(m_facets, 1);

    auto *main = new QWidget(m_split);
    auto *mv = new QVBoxLayout(main);
    mv->setContentsMargins(4, 4, 8, 0);
    mv->setSpacing(4);
    auto *head = new QHBoxLayout;
    head->setSpacing(8);
    m_count = new QLabel(main);
    m_count->setObjectName(QStringLiteral("resultCount"));
    QFont cf = m_count->font();
    cf.setWeight(QFont::DemiBold);
    m_count->setFont(cf);
    head->addWidget(m_count);
    m_scopeChip = new QPushButton(main);
    m_scopeChip->setFlat(false);
    m_scopeChip->setIcon(icon(QStringLiteral("clear")));
    m_scopeChip->setLayoutDirection(Qt::RightToLeft);
    m_scopeChip->setToolTip(tr("Show every partner's listings"));
    m_scopeChip->hide();
    connect(m_scopeChip, &QPushButton::clicked, this, [this] { setPartnerScope(QString()); });
    head->addWidget(m_scopeChip);
    head->addStretch(1);
    m_favouritesOnly = new QCheckBox(tr("Favourites only"), main);
    m_favouritesOnly->setObjectName(QStringLiteral("favouritesOnly"));
    connect(m_favouritesOnly, &QCheckBox::toggled, this, &MarketplacePane::runSearch);
    head->addWidget(m_favouritesOnly);
    head->addSpacing(8);
    auto *sortLabel = new QLabel(tr("Sort"), main);
    head->addWidget(sortLabel);
    m_sort = new QComboBox(main);
    m_sort->setObjectName(QStringLiteral("marketplaceSort"));
    m_sort->setAccessibleName(tr("Sort order"));
    m_sort->addItem(tr("Relevance"), int(MarketplaceSort::Relevance));
    m_sort->addItem(tr("Name"), int(MarketplaceSort::Name));
    m_sort->addItem(tr("Newest"), int(MarketplaceSort::Newest));
    m_sort->addItem(tr("Partner tier"), int(MarketplaceSort::Tier));
    sortLabel->setBuddy(m_sort);
    connect(m_sort, &QComboBox::currentIndexChanged, this, &MarketplacePane::runSearch);
    head->addWidget(m_sort);
    head->addSpacing(4);
    m_gridButton = new QToolButton(main);
    m_gridButton->setText(tr("Grid"));
    m_listButton = new QToolButton(main);
    m_listButton->setText(tr("List"));
    for (QToolButton *b : {m_gridButton, m_listButton}) {
        b->setCheckable(true);
        b->setAutoExclusive(true);
        b->setAutoRaise(true);
        head->addWidget(b);
    }
    m_gridButton->setAccessibleName(tr("Show results as cards"));
    m_listButton->setAccessibleName(tr("Show results as a list"));
    m_gridButton->setChecked(true);
    connect(m_listButton, &QToolButton::toggled, this, &MarketplacePane::setListMode);
    mv->addLayout(head);

    m_results = new QStackedWidget(main);
    m_view = new QListView(m_results);
    m_view->setObjectName(QStringLiteral("marketplaceResults"));
    m_view->setAccessibleName(tr("Marketplace listings"));
    m_model = new ListingResultModel(m_workspace, *m_searchEngine, this);
    m_delegate = new ListingCardDelegate(this);
    m_view->setModel(m_model);
    m_view->setItemDelegate(m_delegate);
    m_view->setUniformItemSizes(true);
    m_view->setMovement(QListView::Static);
    m_view->setResizeMode(QListView::Adjust);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_view->verticalScrollBar()->setSingleStep(24);
    m_view->setMouseTracking(true);
    m_view->setFrameShape(QFrame::NoFrame);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->viewport()->installEventFilter(this);
    m_view->installEventFilter(this);
    // Cards (drawn in Base) stand out on the window colour; a role, so a theme change follows.
    m_view->viewport()->setBackgroundRole(QPalette::Window);
    connect(m_view, &QListView::activated, this,
            [this](const QModelIndex &index) { openListing(index.data(ListingResultModel::IdRole).toString()); });
    connect(m_view, &QListView::customContextMenuRequested, this, &MarketplacePane::showCardMenu);
    connect(m_delegate, &ListingCardDelegate::favouriteClicked, this,
            [this](const QModelIndex &index) { toggleFavourite(index.data(ListingResultModel::IdRole).toString()); });
    m_results->addWidget(m_view);

    m_noResults = new EmptyState(QStringLiteral("search"), tr("No listings match"), QString(), m_results);
    m_noResults->setObjectName(QStringLiteral("marketplaceNoResults"));
    m_noResultsClearFilters =
        qobject_cast<QPushButton *>(m_noResults->addAction(tr("Clear Filters"), QStringLiteral("filter")));
    connect(m_noResultsClearFilters, &QPushButton::clicked, this, &MarketplacePane::clearFilters);
    m_noResultsClearSearch =
        qobject_cast<QPushButton *>(m_noResults->addAction(tr("Clear Search"), QStringLiteral("clear")));
    connect(m_noResultsClearSearch, &QPushButton::clicked, this, [this] { m_search->clear(); });
    m_results->addWidget(m_noResults);

    m_noListings = new EmptyState(
        QStringLiteral("marketplace"), tr("No listings yet"),
        tr("Partners publish their products, services, integrations and joint solutions here. Nothing is "
           "published in this workspace yet."),
        m_results);
    m_noListings->setObjectName(QStringLiteral("marketplaceNoListings"));
    m_noListings->setPoints({tr("A listing needs a summary and a category before it can be published."),
                             tr("“ecotone demo listings --workspace FILE” adds synthetic listings to try it.")});
    m_results->addWidget(m_noListings);
    mv->addWidget(m_results, 1);

    m_split->addWidget(side);
    m_split->addWidget(main);
    m_split->setStretchFactor(0, 0);
    m_split->setStretchFactor(1, 1);
    side->setMinimumWidth(220);
    m_split->setSizes({270, 900});
    m_stack->addWidget(m_split);
    setListMode(QSettings().value(QStringLiteral("marketplace/listMode"), false).toBool());
}

// ---- searching

void MarketplacePane::searchNow()
{
    if (m_debounce->isActive()) {
        m_debounce->stop();
        runSearch();
    }
}

MarketplaceSort MarketplacePane::currentSort() const
{
    return MarketplaceSort(m_sort->currentData().toInt());
}

void MarketplacePane::runSearch()
{
    m_debounce->stop();
    MarketplaceQuery q;
    q.text = m_search->text();
    q.filters = m_filters;
    q.sort = currentSort();
    q.organizationId = m_scope;
    if (m_favouritesOnly->isChecked())
        q.listingIds = QStringList(m_favourites.cbegin(), m_favourites.cend());
    // The old results stay on screen until the new ones are in: the model resets only after a successful search.
    const QString error = m_model->setQuery(q);
    if (!error.isEmpty()) {
        showMessage(error, true);
        return;
    }
    m_everSearched = true;
    updateFacets();
    updateResultState();
    Q_EMIT resultsShown();
}

QString MarketplacePane::facetLabel(MarketplaceFacet facet, const QString &value)
{
    const QString key = QString::number(int(facet)) + QLatin1Char(':') + value;
    auto it = m_labels.constFind(key);
    if (it == m_labels.constEnd())
        it = m_labels.insert(key, MarketplaceSearch::valueLabel(facet, value));
    return it.value();
}

// Runs on every keystroke: items are reused and only what changed is set, since each change repaints the tree.
void MarketplacePane::updateFacets()
{
    const MarketplaceResult &r = m_model->result();
    const QLocale locale;
    const QStringList tiers = organization::tiers();
    QSignalBlocker block(m_facets);
    m_facets->setUpdatesEnabled(false);
    bool anySelected = false;
    auto setText = [](QTreeWidgetItem *item, int column, const QString &text) {
        if (item->text(column) != text)
            item->setText(column, text);
    };
    for (MarketplaceFacet f : kFacetOrder) {
        QTreeWidgetItem *top = m_facetItems[size_t(f)];
        QList<FacetCount> values = r.facets[size_t(f)];
        // A stable order (by name; tiers highest first), so boxes do not jump under the pointer while typing.
        std::stable_sort(values.begin(), values.end(), [&](const FacetCount &a, const FacetCount &b) {
            if (f == MarketplaceFacet::Tier)
                return tiers.indexOf(a.value) > tiers.indexOf(b.value);
            return facetLabel(f, a.value).localeAwareCompare(facetLabel(f, b.value)) < 0;
        });
        while (top->childCount() > values.size())
            delete top->takeChild(top->childCount() - 1);
        int selected = 0;
        for (int i = 0; i < values.size(); ++i) {
            const FacetCount &c = values.at(i);
            QTreeWidgetItem *item = top->child(i);
            if (!item) {
                item = new QTreeWidgetItem(top);
                item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
                item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
            }
            if (item->data(0, kValueRole).toString() != c.value) {
                item->setData(0, kValueRole, c.value);
                item->setText(0, facetLabel(f, c.value));
                item->setToolTip(0, facetLabel(f, c.value));
            }
            setText(item, 1, locale.toString(c.count));
            const Qt::CheckState state = c.selected ? Qt::Checked : Qt::Unchecked;
            if (item->checkState(0) != state || !item->data(0, Qt::CheckStateRole).isValid())
                item->setCheckState(0, state);
            selected += c.selected;
        }
        anySelected = anySelected || selected > 0;
        setText(top, 0,
                selected > 0 ? tr("%1 (%2)").arg(MarketplaceSearch::facetName(f)).arg(selected)
                             : MarketplaceSearch::facetName(f));
    }
    m_clearFilters->setEnabled(anySelected);
    m_facets->setUpdatesEnabled(true);
}

void MarketplacePane::updateResultState()
{
    const MarketplaceResult &r = m_model->result();
    const QLocale locale;
    QString count = r.total == 0   ? tr("No listings")
                    : r.total == 1 ? tr("1 listing")
                                   : tr("%1 listings").arg(locale.toString(r.total));
    if (!r.words.isEmpty() && !r.rankedByRelevance && currentSort() == MarketplaceSort::Relevance && r.total > 0)
        count += tr("  ·  type more to rank by relevance");
    m_count->setText(count);
    const bool anyFilter =
        std::any_of(m_filters.cbegin(), m_filters.cend(), [](const QStringList &l) { return !l.isEmpty(); });
    if (r.total == 0 && m_listingCount < 0) {
        // Whether anything is published at all: "no listings yet" differs from "no matches".
        MarketplaceQuery everything;
        everything.limit = 0;
        Result<MarketplaceResult> all = m_searchEngine->search(everything);
        m_listingCount = all ? all->total : 0;
    }
    if (r.total > 0) {
        m_results->setCurrentWidget(m_view);
    } else if (m_listingCount == 0) {
        m_results->setCurrentWidget(m_noListings);
    } else {
        const QString text = m_search->text().trimmed();
        // Long input would widen the title past the column (it does not wrap inside a word).
        const QString shown = text.size() > 32 ? text.left(31) + QChar(0x2026) : text;
        if (m_favouritesOnly->isChecked() && m_favourites.isEmpty()) {
            m_noResults->setTitle(tr("No favourites yet"));
            m_noResults->setText(tr("Mark listings with the star on a card or “Add to Favourites” on a listing's "
                                    "page; “Favourites only” then shows just those."));
        } else {
            m_noResults->setTitle(text.isEmpty() ? tr("No listings match these filters")
                                                 : tr("No listings match “%1”").arg(shown));
            m_noResults->setText(anyFilter || m_favouritesOnly->isChecked() || !m_scope.isEmpty()
                                     ? tr("Try fewer filters or other words. Every word must appear at the start "
                                          "of a word in a listing, its partner or its tags.")
                                     : tr("Try other or fewer words. Every word must appear at the start of a "
                                          "word in a listing, its partner or its tags."));
        }
        m_noResultsClearFilters->setVisible(anyFilter);
        m_noResultsClearSearch->setVisible(!text.isEmpty());
        m_results->setCurrentWidget(m_noResults);
    }
}

void MarketplacePane::setFacetValue(MarketplaceFacet facet, const QString &value, bool selected)
{
    QStringList &list = m_filters[size_t(facet)];
    if (selected && !list.contains(value))
        list << value;
    else if (!selected)
        list.removeAll(value);
    runSearch();
}

void MarketplacePane::clearFilters()
{
    for (QStringList &l : m_filters)
        l.clear();
    runSearch();
}

void MarketplacePane::setSort(MarketplaceSort sort)
{
    m_sort->setCurrentIndex(m_sort->findData(int(sort)));
}

void MarketplacePane::setFavouritesOnly(bool only)
{
    m_favouritesOnly->setChecked(only);
}

void MarketplacePane::setPartnerScope(const QString &organizationId)
{
    m_scope = organizationId;
    m_scopeChip->setText(tr("Only %1").arg(m_orgs.name(organizationId)));
    m_scopeChip->setVisible(!organizationId.isEmpty());
    runSearch();
}

void MarketplacePane::setListMode(bool list)
{
    {
        QSignalBlocker block(m_listButton);
        m_listButton->setChecked(list);
        m_gridButton->setChecked(!list);
    }
    m_delegate->setMode(list ? ListingCardDelegate::Mode::List : ListingCardDelegate::Mode::Grid);
    if (list) {
        m_view->setViewMode(QListView::ListMode);
        m_view->setFlow(QListView::TopToBottom);
        m_view->setWrapping(false);
        m_view->setGridSize(QSize());
        m_view->setSpacing(0);
    } else {
        m_view->setViewMode(QListView::IconMode);
        m_view->setFlow(QListView::LeftToRight);
        m_view->setWrapping(true);
        m_view->setSpacing(0);
        updateGridSize();
    }
    m_view->setMovement(QListView::Static);
    m_view->setResizeMode(QListView::Adjust);
    m_view->doItemsLayout();
    QSettings().setValue(QStringLiteral("marketplace/listMode"), list);
}

bool MarketplacePane::isListMode() const
{
    return m_delegate->mode() == ListingCardDelegate::Mode::List;
}

void MarketplacePane::updateGridSize()
{
    if (isListMode())
        return;
    // As many columns as fit at the minimum width, each card widened to share the row without a ragged gap.
    // QListView wraps left-to-right rows within the largest viewport less a vertical scroll bar, whether or not
    // one shows (QListViewPrivate::prepareItemsLayout), and a row that would touch that edge wraps: a pixel spare.
    const int extent = m_view->style()->pixelMetric(QStyle::PM_ScrollBarExtent, nullptr, m_view->verticalScrollBar());
    const int width = std::max(ListingCardDelegate::kMinCardWidth, m_view->maximumViewportSize().width() - extent - 2);
    const int columns = std::max(1, width / ListingCardDelegate::kMinCardWidth);
    const int cardWidth = std::min(width / columns, 460);
    const QSize grid(cardWidth, ListingCardDelegate::cardHeight(m_view->font()));
    m_delegate->setCardWidth(cardWidth);
    if (m_view->gridSize() != grid)
        m_view->setGridSize(grid);
}

// ---- pages

MarketplacePane::Page MarketplacePane::page() const
{
    QWidget *w = m_stack->currentWidget();
    if (w == m_detail)
        return Page::Detail;
    if (w == m_comparePage)
        return Page::Compare;
    if (w == m_fitPage)
        return Page::Fit;
    if (w == m_requestsPage)
        return Page::Requests;
    return Page::Browse;
}

void MarketplacePane::showPage(Page p)
{
    switch (p) {
    case Page::Browse:
        m_history.clear(); // the root: nothing to go back to
        m_stack->setCurrentWidget(m_split);
        break;
    case Page::Detail:
        m_stack->setCurrentWidget(m_detail);
        break;
    case Page::Compare:
        m_comparePage->setListings(m_compare);
        m_stack->setCurrentWidget(m_comparePage);
        break;
    case Page::Fit:
        m_stack->setCurrentWidget(m_fitPage); // computes its suggestions when shown
        break;
    case Page::Requests:
        m_requestsPage->refresh();
        m_stack->setCurrentWidget(m_requestsPage);
        break;
    }
    // The detail page has no toolbar button; the one it was opened from stays lit.
    if (p != Page::Detail)
        if (QAbstractButton *b = m_pages->button(int(p)))
            b->setChecked(true);
}

void MarketplacePane::back()
{
    const Page to = m_history.isEmpty() ? Page::Browse : m_history.takeLast();
    showPage(to);
    if (to == Page::Browse)
        m_view->setFocus();
}

QString MarketplacePane::openListing(const QString &id)
{
    const QString error = m_detail->showListing(id);
    if (!error.isEmpty()) {
        showMessage(error, true);
        return error;
    }
    syncDetail();
    if (page() != Page::Detail)
        m_history << page();
    showPage(Page::Detail);
    m_detail->setFocus();
    return {};
}

void MarketplacePane::syncDetail()
{
    const QString id = m_detail->listingId();
    if (id.isEmpty())
        return;
    m_detail->setFavourite(m_favourites.contains(id));
    m_detail->setCompared(m_compare.contains(id), m_compare.size() >= kMaxCompare);
}

void MarketplacePane::showFit(const QString &organizationId)
{
    m_fitPage->reloadOrganizations();
    if (!organizationId.isEmpty())
        m_fitPage->setOrganization(organizationId);
    if (page() != Page::Fit)
        m_history << page();
    showPage(Page::Fit);
}

// ---- favourites and compare

bool MarketplacePane::toggleFavourite(const QString &id)
{
    ListingRepository repo(m_workspace);
    Result<bool> now = repo.toggleFavourite(id);
    if (!now) {
        showMessage(now.error(), true);
        return false;
    }
    if (now.value())
        m_favourites.insert(id);
    else
        m_favourites.remove(id);
    m_model->setFavourites(m_favourites);
    syncDetail();
    if (m_favouritesOnly->isChecked())
        runSearch();
    return now.value();
}

bool MarketplacePane::addToCompare(const QString &id)
{
    if (m_compare.contains(id))
        return true;
    if (m_compare.size() >= kMaxCompare) {
        showMessage(tr("You can compare up to three listings side by side. Remove one from the comparison first."),
                    true);
        return false;
    }
    m_compare << id;
    m_model->setCompared(m_compare);
    if (page() == Page::Compare)
        m_comparePage->setListings(m_compare);
    syncDetail();
    updateToolbar();
    showMessage(m_compare.size() == 1
                    ? tr("Added to the comparison. Add up to two more, then open Compare.")
                    : tr("%1 listings to compare: open Compare to see them side by side.").arg(m_compare.size()),
                false);
    return true;
}

void MarketplacePane::removeFromCompare(const QString &id)
{
    m_compare.removeAll(id);
    m_model->setCompared(m_compare);
    if (page() == Page::Compare)
        m_comparePage->setListings(m_compare);
    syncDetail();
    updateToolbar();
}

// ---- collaboration

bool MarketplacePane::setActingOrganization(const QString &id)
{
    const int i = m_acting->findData(id);
    if (i < 0)
        return false;
    m_acting->setCurrentIndex(i);
    return true;
}

QString MarketplacePane::actingOrganization() const
{
    return m_acting ? m_acting->currentData().toString() : QString();
}

void MarketplacePane::requestCollaboration(CollaborationKind kind, const QString &listingId, const QString &toOrg)
{
    CollaborationRequest draft;
    draft.kind = kind;
    draft.fromOrg = actingOrganization();
    draft.listingId = listingId;
    draft.toOrg = toOrg;
    QString listingTitle;
    if (!listingId.isEmpty()) {
        ListingRepository repo(m_workspace);
        Result<Listing> l = repo.find(listingId);
        if (!l) {
            showMessage(l.error(), true);
            return;
        }
        draft.toOrg = l->organizationId;
        listingTitle = l->title;
    }
    if (draft.fromOrg == draft.toOrg) {
        showMessage(tr("That is the organization you act as; choose another one under “Acting as” to send a request."),
                    true);
        return;
    }
    if (m_dialog)
        m_dialog->close();
    m_dialog = new CollaborationDialog(*m_requests, draft, m_orgs.name(draft.fromOrg), m_orgs.name(draft.toOrg),
                                       listingTitle, this);
    m_dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_dialog, &QDialog::accepted, this, [this, dialog = m_dialog] {
        if (!dialog)
            return;
        const CollaborationRequest &r = dialog->request();
        showMessage(tr("%1 sent to %2. It appears under Requests → Sent until they answer.")
                        .arg(collaborationKindName(r.kind), m_orgs.name(r.toOrg)),
                    false);
        m_requestsPage->refresh();
        Q_EMIT collaborationSent(r.id);
    });
    m_dialog->open();
}

// ---- chrome

void MarketplacePane::updateToolbar()
{
    m_compareButton->setText(m_compare.isEmpty() ? tr("Compare") : tr("Compare (%1)").arg(m_compare.size()));
    const int pending = m_requestsPage ? m_requestsPage->pendingCount() : 0;
    m_requestsButton->setText(pending > 0 ? tr("Requests (%1)").arg(pending) : tr("Requests"));
}

void MarketplacePane::showMessage(const QString &text, bool error)
{
    m_message->setText(text);
    m_message->setProperty("error", error);
    m_message->setStyleSheet(error ? QStringLiteral("QLabel { color: #b71c1c; background: #fdecea; }")
                                   : QStringLiteral("QLabel { background: palette(alternate-base); }"));
    m_message->setVisible(!text.isEmpty());
    m_messageTimer->start();
}

QString MarketplacePane::lastMessage() const
{
    return m_message->text();
}

void MarketplacePane::focusSearch()
{
    if (page() != Page::Browse) {
        m_history.clear();
        showPage(Page::Browse);
    }
    m_search->setFocus(Qt::ShortcutFocusReason);
    m_search->selectAll();
}

bool MarketplacePane::editListing(const QString &listingId)
{
    Listing listing;
    if (!listingId.isEmpty()) {
        auto found = ListingRepository(m_workspace).find(listingId);
        if (!found) {
            showMessage(found.error(), true);
            return false;
        }
        listing = found.value();
    } else {
        listing.organizationId = actingOrganization();
    }
    ListingEditorDialog dialog(m_workspace, listing, this);
    if (dialog.exec() != QDialog::Accepted)
        return false;
    const QString id = dialog.saved().id;
    reload();
    openListing(id);
    showMessage(dialog.saved().state == ListingState::Published
                    ? tr("“%1” is published.").arg(dialog.saved().title)
                    : tr("“%1” is saved as a draft: only your organization sees it.").arg(dialog.saved().title),
                false);
    return true;
}

void MarketplacePane::reload()
{
    loadOrganizations();
    loadFavourites();
    m_fitPage->reloadOrganizations();
    if (page() == Page::Fit)
        m_fitPage->refresh();
    m_listingCount = -1;
    if (m_everSearched)
        runSearch();
    m_requestsPage->setOrganization(actingOrganization());
    m_detail->setActingOrganization(actingOrganization());
    if (page() == Page::Detail && !m_detail->listingId().isEmpty() &&
        !m_detail->showListing(m_detail->listingId()).isEmpty())
        back();
    syncDetail();
    updateToolbar();
}

void MarketplacePane::accountsChanged()
{
    m_fit->reload();
    reload();
}

void MarketplacePane::showCardMenu(const QPoint &pos)
{
    const QModelIndex index = m_view->indexAt(pos);
    if (!index.isValid())
        return;
    const QString id = index.data(ListingResultModel::IdRole).toString();
    QMenu menu(this);
    menu.addAction(tr("Open"), this, [this, id] { openListing(id); });
    menu.addAction(m_favourites.contains(id) ? tr("Remove from Favourites") : tr("Add to Favourites"), this,
                   [this, id] { toggleFavourite(id); });
    if (m_compare.contains(id))
        menu.addAction(tr("Remove from Compare"), this, [this, id] { removeFromCompare(id); });
    else
        menu.addAction(tr("Add to Compare"), this, [this, id] { addToCompare(id); });
    menu.addSeparator();
    const bool own = index.data(ListingResultModel::PartnerIdRole).toString() == actingOrganization();
    for (CollaborationKind k :
         {CollaborationKind::Introduction, CollaborationKind::CoSell, CollaborationKind::Referral}) {
        const QString label = k == CollaborationKind::Introduction ? tr("Request an Introduction…")
                              : k == CollaborationKind::CoSell     ? tr("Propose Co-sell…")
                                                                   : tr("Refer a Customer…");
        menu.addAction(label, this, [this, k, id] { requestCollaboration(k, id); })->setEnabled(!own);
    }
    menu.addAction(tr("Partner Fit"), this,
                   [this, index] { showFit(index.data(ListingResultModel::PartnerIdRole).toString()); });
    menu.exec(m_view->viewport()->mapToGlobal(pos));
}

bool MarketplacePane::eventFilter(QObject *watched, QEvent *event)
{
    if (m_view && watched == m_view->viewport() && event->type() == QEvent::Resize)
        updateGridSize();
    if (watched == m_search && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Down && m_model->rowCount() > 0) {
            searchNow();
            m_view->setFocus();
            if (!m_view->currentIndex().isValid())
                m_view->setCurrentIndex(m_model->index(0));
            return true;
        }
    }
    if (m_view && watched == m_view && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        // Enter opens the card (QListView reports Return as activated only on some styles).
        if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) && m_view->currentIndex().isValid()) {
            openListing(m_view->currentIndex().data(ListingResultModel::IdRole).toString());
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void MarketplacePane::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (!m_everSearched) {
        runSearch();
        return;
    }
    // Listings may have changed elsewhere (the command line, another pane): the search notices by the journal.
    if (page() == Page::Browse) {
        m_listingCount = -1;
        m_model->refresh();
        updateFacets();
        updateResultState();
    }
}

} // namespace ecotone::ui
