#pragma once

#include "domain/Result.h"
#include "marketplace/Listing.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <array>
#include <memory>
#include <optional>
#include <vector>

struct sqlite3_stmt;

namespace ecotone {

class Workspace;

// Facets of the marketplace. PartnerType and Tier are the partner's; the others the listing's own.
enum class MarketplaceFacet
{
    PartnerType, // reseller, technology, ... (organizations.types)
    Kind,        // product, service, integration, bundle
    Category,
    Industry,
    Region,
    Language,
    Cloud, // aws, azure, gcp
    Tier,  // Registered, Silver, Gold, Platinum
};
inline constexpr int kMarketplaceFacetCount = 8;

enum class MarketplaceSort
{
    Relevance, // bm25 (title weighs most); without text or above kRankLimit matches: partner tier, then name
    Name,
    Newest,
    Tier, // partner tier, highest first, then relevance
};

struct MarketplaceQuery
{
    QString text; // anything a person types: split into words, each searched as a prefix; never FTS5 syntax
    // Selected values per facet (index = MarketplaceFacet): a listing matches a facet when it has any of the
    // selected values (or none are selected); all facets must match.
    std::array<QStringList, kMarketplaceFacetCount> filters;
    MarketplaceSort sort = MarketplaceSort::Relevance;
    int offset = 0;
    int limit = 24;
    bool includeDrafts = false; // drafts are seen only by their organization: set with organizationId
    QString organizationId;     // only this organization's listings (its "My listings" page); '' for all
    // When set, only these listings (by id) are searched and counted: the pane's "favourites only" filter.
    std::optional<QStringList> listingIds;
    // Marks around matched words in titleHighlighted and snippet. STX/ETX never occur in stored text.
    QString markOpen = QString(QChar(0x02));
    QString markClose = QString(QChar(0x03));
};

struct FacetCount
{
    QString value; // the stored key (e.g. "aws", "systems_integrator", "DACH")
    int count = 0; // listings matching the text and every OTHER facet's filters that have this value
    bool selected = false;
};

struct ListingHit
{
    QString id;
    ListingKind kind = ListingKind::Product;
    ListingState state = ListingState::Published;
    QString title;
    QString titleHighlighted; // title with markOpen/markClose around matched words
    QString summary;
    QString snippet; // summary or description (whichever matches more words), about 16 words around the first
                     // match, with marks; the summary when there is no text
    QString partnerId;
    QString partnerName;
    QString partnerTier;
    QStringList partnerTypes;
    QStringList categories;
    QStringList clouds;
    bool hasLogo = false;
    double score = 0; // bm25 (lower is better, as FTS5 reports it); 0 without text
};

struct MarketplaceResult
{
    int total = 0; // listings matching text and all filters
    QList<ListingHit> hits;
    // Per facet (index = MarketplaceFacet), disjunctive counts: most frequent first, then by value; a selected
    // value is always listed, even at 0.
    std::array<QList<FacetCount>, kMarketplaceFacetCount> facets;
    QStringList words; // the words searched, after splitting and capping
    // False when the text matched more than MarketplaceSearch::kRankLimit listings (a one- or two-letter
    // prefix): then "relevance" orders by partner tier and name, and the pane may say "type more to rank".
    bool rankedByRelevance = false;
};

// Search-as-you-type over the marketplace. Matching and bm25 ranking come from the FTS5 index listing_search
// (one query per keystroke); facet filters, disjunctive facet counts and sorting run in memory over a compact
// table of every listing's facet values and sort keys, loaded once and reloaded when the change journal shows a
// write to listings or organizations. Highlights and snippets are made for the shown page only.
// Use it on the thread that opened the workspace.
class MarketplaceSearch
{
public:
    explicit MarketplaceSearch(Workspace &workspace);
    ~MarketplaceSearch();
    MarketplaceSearch(const MarketplaceSearch &) = delete;
    MarketplaceSearch &operator=(const MarketplaceSearch &) = delete;

    Result<MarketplaceResult> search(const MarketplaceQuery &query);
    // Reloads the in-memory table now (search() does it by itself after a journaled change).
    Status refresh();

    // Input limits: longer text is cut, further words are ignored.
    static constexpr int kMaxInputChars = 256;
    static constexpr int kMaxWords = 16;
    static constexpr int kMaxWordChars = 64;
    // Largest match set ranked by bm25 within a keystroke (see MarketplaceResult::rankedByRelevance).
    static constexpr int kRankLimit = 8000;
    // bm25 column weights: title, summary, description, partner, tags.
    static constexpr double kWeights[5] = {10.0, 4.0, 1.0, 3.0, 2.0};

    // Splits typed text into words (letters, digits and combining marks); everything else separates.
    static QStringList words(const QString &text);
    // The FTS5 MATCH expression for words: each one quoted and prefix-matched ("word"*), all required.
    static QString matchExpression(const QStringList &words);

    static QString facetKey(MarketplaceFacet facet); // type, kind, category, industry, region, language, cloud, tier
    static std::optional<MarketplaceFacet> facetFromKey(const QString &key);
    static QString facetName(MarketplaceFacet facet);                        // translated
    static QString valueLabel(MarketplaceFacet facet, const QString &value); // display name of a stored value
    static QString sortKey(MarketplaceSort sort);
    static std::optional<MarketplaceSort> sortFromKey(const QString &key);

private:
    struct Table;
    Status ensureFresh();

    Workspace &m_workspace;
    std::unique_ptr<Table> m_table;
    sqlite3_stmt *m_match = nullptr;       // rowid, bm25
    sqlite3_stmt *m_matchNoRank = nullptr; // rowid only, for sorts that do not need bm25
    qint64 m_journalSeq = -1;
};

} // namespace ecotone
