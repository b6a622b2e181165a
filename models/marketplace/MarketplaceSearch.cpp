#include "MarketplaceSearch.h"

#include "domain/Organization.h"
#include "store/ChangeJournal.h"
#include "store/Statement.h"
#include "store/Workspace.h"

#include <QCoreApplication>
#include <QLocale>
#include <QSqlError>
#include <QSqlQuery>

#include <sqlite3.h>

#include <algorithm>
#include <functional>
#include <numeric>

namespace ecotone {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::MarketplaceSearch)
};

constexpr int F = kMarketplaceFacetCount;

const char *const kFacetKeys[F] = {"type", "kind", "category", "industry", "region", "language", "cloud", "tier"};

bool isWordChar(char32_t c)
{
    switch (QChar::category(c)) {
    case QChar::Letter_Uppercase:
    case QChar::Letter_Lowercase:
    case QChar::Letter_Titlecase:
    case QChar::Letter_Modifier:
    case QChar::Letter_Other:
    case QChar::Number_DecimalDigit:
    case QChar::Number_Letter:
    case QChar::Number_Other:
    case QChar::Other_PrivateUse:
        return true;
    default:
        return false;
    }
}

bool isMark(char32_t c)
{
    const auto cat = QChar::category(c);
    return cat == QChar::Mark_NonSpacing || cat == QChar::Mark_SpacingCombining || cat == QChar::Mark_Enclosing;
}

// Folds a word the way the index does (unicode61, remove_diacritics 2): case folded, marks dropped.
QString fold(const QString &word)
{
    QString out;
    for (QChar c : word.normalized(QString::NormalizationForm_KD))
        if (!c.isMark())
            out += c;
    return out.toCaseFolded();
}

QStringList foldedWords(const QStringList &words)
{
    QStringList out;
    for (const QString &w : words)
        out << fold(w);
    return out;
}

struct Marked
{
    QString text;
    int hits = 0;
};

// Marks the words of text that start with one of the (folded) query words, as the index matched them. With
// window > 0 returns about that many words around the first match, with "…" where text was cut. Computed here
// for the shown page only: asking FTS5 for snippet() row by row re-expands every prefix per row (about 1 ms each).
Marked highlightText(const QString &text, const QStringList &folded, const QString &open, const QString &close,
                     int window)
{
    struct Token
    {
        qsizetype begin;
        qsizetype end;
        bool hit;
    };
    std::vector<Token> tokens;
    int hits = 0;
    qsizetype i = 0;
    const qsizetype n = text.size();
    while (i < n) {
        while (i < n && !(text.at(i).isLetterOrNumber() || text.at(i).isHighSurrogate()))
            ++i;
        const qsizetype begin = i;
        while (i < n && (text.at(i).isLetterOrNumber() || text.at(i).isMark() || text.at(i).isSurrogate()))
            ++i;
        if (i == begin)
            break;
        const QString token = fold(text.mid(begin, i - begin));
        bool hit = false;
        for (const QString &w : folded)
            if (!w.isEmpty() && token.startsWith(w)) {
                hit = true;
                break;
            }
        hits += hit ? 1 : 0;
        tokens.push_back({begin, i, hit});
    }
    qsizetype from = 0, to = n;
    if (window > 0 && int(tokens.size()) > window) {
        size_t first = 0;
        while (first < tokens.size() && !tokens[first].hit)
            ++first;
        if (first == tokens.size())
            first = 0;
        const size_t start = first > 3 ? first - 3 : 0;
        const size_t stop = std::min(tokens.size(), start + size_t(window));
        from = start == 0 ? 0 : tokens[start].begin;
        to = stop == tokens.size() ? n : tokens[stop - 1].end;
    }
    QString out;
    if (from > 0)
        out += QStringLiteral("…");
    qsizetype at = from;
    for (const Token &t : tokens) {
        if (!t.hit || t.begin < from || t.end > to)
            continue;
        out += QStringView(text).mid(at, t.begin - at);
        out += open;
        out += QStringView(text).mid(t.begin, t.end - t.begin);
        out += close;
        at = t.end;
    }
    out += QStringView(text).mid(at, to - at);
    if (to < n)
        out += QStringLiteral("…");
    return {out, hits};
}

QString inList(const std::vector<qint64> &docs)
{
    QString out;
    for (qint64 d : docs) {
        if (!out.isEmpty())
            out += QLatin1Char(',');
        out += QString::number(d);
    }
    return out;
}
} // namespace

// One row per listing: facet value ids (per facet a run in `values`) and precomputed sort ranks.
struct MarketplaceSearch::Table
{
    struct Entry
    {
        qint64 doc = 0;
        int org = 0;
        int nameRank = 0;
        int newestRank = 0;
        int tierRank = -1; // index in organization::tiers(), -1 without a tier
        quint32 valueStart = 0;
        std::array<quint8, F> valueCount{};
        bool published = false;
    };
    std::vector<Entry> entries;
    std::vector<quint16> values;
    std::vector<int> docToEntry; // dense by doc; -1 for none
    std::array<std::vector<QString>, F> names;
    std::array<QHash<QString, int>, F> ids;
    QHash<QString, int> orgIndex;

    int idOf(int facet, const QString &value)
    {
        auto it = ids[facet].constFind(value);
        if (it != ids[facet].constEnd())
            return it.value();
        const int id = int(names[facet].size());
        names[facet].push_back(value);
        ids[facet].insert(value, id);
        return id;
    }
};

MarketplaceSearch::MarketplaceSearch(Workspace &workspace)
    : m_workspace(workspace)
{}

MarketplaceSearch::~MarketplaceSearch()
{
    sqlite3_finalize(m_match);
    sqlite3_finalize(m_matchNoRank);
}

QStringList MarketplaceSearch::words(const QString &text)
{
    // Cut by code points so that a surrogate pair is never split.
    const QList<uint> points = text.left(kMaxInputChars + 1).toUcs4();
    QStringList out;
    QString word;
    auto flush = [&] {
        if (!word.isEmpty() && out.size() < kMaxWords)
            out << word.left(kMaxWordChars);
        word.clear();
    };
    int used = 0;
    for (uint p : points) {
        if (++used > kMaxInputChars)
            break;
        const char32_t c = char32_t(p);
        if (isWordChar(c) || (!word.isEmpty() && isMark(c))) {
            word += QString::fromUcs4(&c, 1);
        } else {
            flush();
        }
    }
    flush();
    return out;
}

QString MarketplaceSearch::matchExpression(const QStringList &words)
{
    QString out;
    for (const QString &w : words) {
        if (!out.isEmpty())
            out += QLatin1Char(' ');
        QString quoted = w;
        quoted.replace(QLatin1Char('"'), QStringLiteral("\"\"")); // words never hold one; belt and braces
        out += QLatin1Char('"') + quoted + QStringLiteral("\"*");
    }
    return out;
}

QString MarketplaceSearch::facetKey(MarketplaceFacet facet)
{
    return QString::fromLatin1(kFacetKeys[int(facet)]);
}

std::optional<MarketplaceFacet> MarketplaceSearch::facetFromKey(const QString &key)
{
    for (int f = 0; f < F; ++f)
        if (key == QLatin1String(kFacetKeys[f]))
            return MarketplaceFacet(f);
    return std::nullopt;
}

QString MarketplaceSearch::facetName(MarketplaceFacet facet)
{
    switch (facet) {
    case MarketplaceFacet::PartnerType:
        return Tr::tr("Partner type");
    case MarketplaceFacet::Kind:
        return Tr::tr("Listing type");
    case MarketplaceFacet::Category:
        return Tr::tr("Category");
    case MarketplaceFacet::Industry:
        return Tr::tr("Industry");
    case MarketplaceFacet::Region:
        return Tr::tr("Region");
    case MarketplaceFacet::Language:
        return Tr::tr("Language");
    case MarketplaceFacet::Cloud:
        return Tr::tr("Cloud marketplace");
    case MarketplaceFacet::Tier:
        return Tr::tr("Partner tier");
    }
    return {};
}

QString MarketplaceSearch::valueLabel(MarketplaceFacet facet, const QString &value)
{
    switch (facet) {
    case MarketplaceFacet::PartnerType:
        if (auto t = partnertype::fromKey(value))
            return partnertype::displayName(*t);
        break;
    case MarketplaceFacet::Kind:
        if (auto k = listing::kindFromKey(value))
            return listing::kindName(*k);
        break;
    case MarketplaceFacet::Cloud:
        return listing::cloudName(value);
    case MarketplaceFacet::Language: {
        const QLocale locale(value);
        if (locale.language() != QLocale::C)
            return QLocale::languageToString(locale.language());
        break;
    }
    default:
        break;
    }
    return value;
}

QString MarketplaceSearch::sortKey(MarketplaceSort sort)
{
    switch (sort) {
    case MarketplaceSort::Relevance:
        return QStringLiteral("relevance");
    case MarketplaceSort::Name:
        return QStringLiteral("name");
    case MarketplaceSort::Newest:
        return QStringLiteral("newest");
    case MarketplaceSort::Tier:
        return QStringLiteral("tier");
    }
    return {};
}

std::optional<MarketplaceSort> MarketplaceSearch::sortFromKey(const QString &key)
{
    for (auto s : {MarketplaceSort::Relevance, MarketplaceSort::Name, MarketplaceSort::Newest, MarketplaceSort::Tier})
        if (key == sortKey(s))
            return s;
    return std::nullopt;
}

Status MarketplaceSearch::refresh()
{
    QSqlQuery q(m_workspace.db());
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT coalesce(max(seq), 0) FROM journal")) || !q.next())
        return sqlError(q, Tr::tr("Reading the change journal"));
    const qint64 seq = q.value(0).toLongLong();

    auto table = std::make_unique<Table>();
    const QStringList tiers = organization::tiers();
    struct Org
    {
        std::vector<quint16> types;
        int tierId = -1;
        int tierRank = -1;
    };
    std::vector<Org> orgs;
    if (!q.exec(QStringLiteral("SELECT id, types, tier FROM organizations")))
        return sqlError(q, Tr::tr("Reading partners for the marketplace"));
    while (q.next()) {
        Org o;
        for (const QString &t : json::parseArray(q.value(1).toString()))
            o.types.push_back(quint16(table->idOf(int(MarketplaceFacet::PartnerType), t)));
        const QString tier = q.value(2).toString();
        if (!tier.isEmpty()) {
            o.tierId = table->idOf(int(MarketplaceFacet::Tier), tier);
            o.tierRank = int(tiers.indexOf(tier));
        }
        table->orgIndex.insert(q.value(0).toString(), int(orgs.size()));
        orgs.push_back(std::move(o));
    }

    if (!q.exec(QStringLiteral("SELECT doc, organization_id, kind, state, title, created_at, categories, industries, "
                               "regions, languages, clouds FROM listings")))
        return sqlError(q, Tr::tr("Reading listings for the marketplace"));
    std::vector<QString> titles;
    std::vector<QString> created;
    qint64 maxDoc = 0;
    while (q.next()) {
        Table::Entry e;
        e.doc = q.value(0).toLongLong();
        maxDoc = std::max(maxDoc, e.doc);
        e.org = table->orgIndex.value(q.value(1).toString(), -1);
        if (e.org < 0)
            continue;
        e.published = q.value(3).toString() == QLatin1String("published");
        const Org &org = orgs[size_t(e.org)];
        e.tierRank = org.tierRank;
        e.valueStart = quint32(table->values.size());
        auto add = [&](MarketplaceFacet facet, int id) {
            if (e.valueCount[int(facet)] == 255)
                return;
            table->values.push_back(quint16(id));
            ++e.valueCount[int(facet)];
        };
        for (quint16 t : org.types)
            add(MarketplaceFacet::PartnerType, t);
        add(MarketplaceFacet::Kind, table->idOf(int(MarketplaceFacet::Kind), q.value(2).toString()));
        const MarketplaceFacet listFacets[] = {MarketplaceFacet::Category, MarketplaceFacet::Industry,
                                               MarketplaceFacet::Region, MarketplaceFacet::Language,
                                               MarketplaceFacet::Cloud};
        for (int i = 0; i < 5; ++i)
            for (const QString &v : json::parseArray(q.value(6 + i).toString()))
                add(listFacets[i], table->idOf(int(listFacets[i]), v));
        if (org.tierId >= 0)
            add(MarketplaceFacet::Tier, org.tierId);
        titles.push_back(q.value(4).toString().toCaseFolded());
        created.push_back(q.value(5).toString());
        table->entries.push_back(e);
    }
    const size_t n = table->entries.size();
    std::vector<int> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](int a, int b) {
        const int c = titles[size_t(a)].compare(titles[size_t(b)]);
        return c != 0 ? c < 0 : table->entries[size_t(a)].doc < table->entries[size_t(b)].doc;
    });
    for (size_t i = 0; i < n; ++i)
        table->entries[size_t(order[i])].nameRank = int(i);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](int a, int b) {
        const int c = created[size_t(a)].compare(created[size_t(b)]);
        return c != 0 ? c < 0 : table->entries[size_t(a)].doc < table->entries[size_t(b)].doc;
    });
    for (size_t i = 0; i < n; ++i)
        table->entries[size_t(order[i])].newestRank = int(i);
    table->docToEntry.assign(size_t(maxDoc + 1), -1);
    for (size_t i = 0; i < n; ++i)
        table->docToEntry[size_t(table->entries[i].doc)] = int(i);

    m_table = std::move(table);
    m_journalSeq = seq;
    return {};
}

Status MarketplaceSearch::ensureFresh()
{
    if (m_table) {
        // Journal entries since the last look: one range scan over new rows only.
        QSqlQuery q(m_workspace.db());
        q.setForwardOnly(true);
        q.prepare(QStringLiteral("SELECT max(seq), sum(table_name = 'listings' OR table_name = 'organizations') "
                                 "FROM journal WHERE seq > ?"));
        q.addBindValue(m_journalSeq);
        if (!q.exec() || !q.next())
            return sqlError(q, Tr::tr("Reading the change journal"));
        if (q.value(0).isNull())
            return {};
        if (q.value(1).toLongLong() == 0) {
            m_journalSeq = q.value(0).toLongLong();
            return {};
        }
    }
    return refresh();
}

Result<MarketplaceResult> MarketplaceSearch::search(const MarketplaceQuery &query)
{
    if (Status s = ensureFresh(); !s)
        return Error{s.error()};
    Table &t = *m_table;
    MarketplaceResult result;
    result.words = words(query.text);

    // Selected value ids per facet; a selected value no listing has matches nothing.
    std::array<std::vector<char>, F> selected;
    std::array<bool, F> filtered{};
    for (int f = 0; f < F; ++f) {
        selected[f].assign(t.names[f].size(), 0);
        filtered[f] = !query.filters[f].isEmpty();
        for (const QString &v : query.filters[f]) {
            auto it = t.ids[f].constFind(v);
            if (it != t.ids[f].constEnd())
                selected[f][size_t(it.value())] = 1;
        }
    }
    int orgFilter = -1;
    if (!query.organizationId.isEmpty()) {
        orgFilter = t.orgIndex.value(query.organizationId, -2);
        if (orgFilter == -2)
            return Error{Tr::tr("The organization %1 does not exist.").arg(query.organizationId)};
    }
    // Restricting to a few listing ids (favourites): their entries, looked up by id.
    std::vector<char> allowed;
    if (query.listingIds) {
        allowed.assign(t.entries.size(), 0);
        QSqlQuery q(m_workspace.db());
        q.prepare(QStringLiteral("SELECT doc FROM listings WHERE id = ?"));
        for (const QString &id : *query.listingIds) {
            q.addBindValue(id);
            if (!q.exec())
                return Error{Tr::tr("Searching the marketplace failed: %1").arg(q.lastError().text())};
            if (q.next()) {
                const qint64 doc = q.value(0).toLongLong();
                if (doc >= 0 && doc < qint64(t.docToEntry.size()) && t.docToEntry[size_t(doc)] >= 0)
                    allowed[size_t(t.docToEntry[size_t(doc)])] = 1;
            }
        }
    }
    std::array<std::vector<int>, F> counts;
    for (int f = 0; f < F; ++f)
        counts[f].assign(t.names[f].size(), 0);

    struct Hit
    {
        int entry;
        double score;
    };
    std::vector<Hit> hits;
    auto consider = [&](int index, double score) {
        const Table::Entry &e = t.entries[size_t(index)];
        if ((!e.published && !query.includeDrafts) || (orgFilter >= 0 && e.org != orgFilter))
            return;
        if (query.listingIds && !allowed[size_t(index)])
            return;
        const quint16 *v = t.values.data() + e.valueStart;
        int failing = -1;
        int failures = 0;
        const quint16 *run = v;
        for (int f = 0; f < F; ++f) {
            const int count = e.valueCount[f];
            if (filtered[f]) {
                bool pass = false;
                for (int i = 0; i < count && !pass; ++i)
                    pass = selected[f][run[i]];
                if (!pass) {
                    failing = f;
                    if (++failures > 1)
                        return;
                }
            }
            run += count;
        }
        // Disjunctive counts: a facet's counts apply every other facet's filters, so a listing that fails
        // exactly one facet still counts for that facet's values.
        run = v;
        for (int f = 0; f < F; ++f) {
            const int count = e.valueCount[f];
            if (failures == 0 || f == failing)
                for (int i = 0; i < count; ++i)
                    ++counts[f][run[i]];
            run += count;
        }
        if (failures == 0)
            hits.push_back({index, score});
    };

    const bool wantsRank = query.sort == MarketplaceSort::Relevance || query.sort == MarketplaceSort::Tier;
    const QString match = matchExpression(result.words);
    const QByteArray utf8 = match.toUtf8();
    // Runs the MATCH (with bm25 when ranked) and hands each listing's entry index and score to take.
    auto runMatch = [&](bool ranked, const std::function<void(int, double)> &take) -> Status {
        sqlite3 *db = Statement::handle(m_workspace.db());
        sqlite3_stmt *&stmt = ranked ? m_match : m_matchNoRank;
        if (!stmt) {
            const QByteArray sql =
                ranked ? QByteArrayLiteral("SELECT rowid, bm25(listing_search, ?, ?, ?, ?, ?) FROM listing_search "
                                           "WHERE listing_search MATCH ?")
                       : QByteArrayLiteral("SELECT rowid FROM listing_search WHERE listing_search MATCH ?");
            if (sqlite3_prepare_v3(db, sql.constData(), int(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) !=
                SQLITE_OK) {
                const QString message = QString::fromUtf8(sqlite3_errmsg(db));
                sqlite3_finalize(stmt);
                stmt = nullptr;
                return Error{Tr::tr("This workspace has no marketplace index: %1").arg(message)};
            }
            if (ranked)
                for (int i = 0; i < 5; ++i)
                    sqlite3_bind_double(stmt, i + 1, kWeights[i]);
        }
        sqlite3_bind_text(stmt, ranked ? 6 : 1, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT);
        int rc;
        while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
            const qint64 doc = sqlite3_column_int64(stmt, 0);
            if (doc < 0 || doc >= qint64(t.docToEntry.size()))
                continue;
            const int index = t.docToEntry[size_t(doc)];
            if (index >= 0)
                take(index, ranked ? sqlite3_column_double(stmt, 1) : 0.0);
        }
        const QString message = QString::fromUtf8(sqlite3_errmsg(db));
        sqlite3_reset(stmt);
        if (rc != SQLITE_DONE)
            return Error{Tr::tr("Searching the marketplace failed: %1").arg(message)};
        return {};
    };
    if (result.words.isEmpty()) {
        hits.reserve(t.entries.size());
        for (int i = 0; i < int(t.entries.size()); ++i)
            consider(i, 0);
    } else {
        // The rowids first (cheap), then bm25 only when the match set is small enough to rank within a keystroke:
        // bm25 costs about 1 us per matching row, and a one-letter prefix matches nearly every listing.
        std::vector<int> matched;
        if (Status s = runMatch(false, [&](int index, double) { matched.push_back(index); }); !s)
            return Error{s.error()};
        if (wantsRank && matched.size() <= size_t(kRankLimit)) {
            if (Status s = runMatch(true, consider); !s)
                return Error{s.error()};
            result.rankedByRelevance = true;
        } else {
            for (int index : matched)
                consider(index, 0);
        }
    }
    result.total = int(hits.size());

    const bool hasText = !result.words.isEmpty();
    auto before = [&](const Hit &a, const Hit &b) {
        const Table::Entry &x = t.entries[size_t(a.entry)];
        const Table::Entry &y = t.entries[size_t(b.entry)];
        switch (query.sort) {
        case MarketplaceSort::Name:
            return x.nameRank < y.nameRank;
        case MarketplaceSort::Newest:
            return x.newestRank > y.newestRank;
        case MarketplaceSort::Tier:
            if (x.tierRank != y.tierRank)
                return x.tierRank > y.tierRank;
            if (a.score != b.score)
                return a.score < b.score;
            return x.nameRank < y.nameRank;
        case MarketplaceSort::Relevance:
            if (!result.rankedByRelevance) {
                if (x.tierRank != y.tierRank)
                    return x.tierRank > y.tierRank;
                return x.nameRank < y.nameRank;
            }
            if (a.score != b.score)
                return a.score < b.score;
            return x.nameRank < y.nameRank;
        }
        return false;
    };
    const size_t offset = size_t(std::clamp(query.offset, 0, int(hits.size())));
    const size_t end = std::min(hits.size(), offset + size_t(std::max(query.limit, 0)));
    std::partial_sort(hits.begin(), hits.begin() + qsizetype(end), hits.end(), before);

    for (int f = 0; f < F; ++f) {
        QList<FacetCount> &list = result.facets[f];
        for (size_t v = 0; v < t.names[f].size(); ++v)
            if (counts[f][v] > 0 || selected[f][v])
                list.append({t.names[f][v], counts[f][v], selected[f][v] != 0});
        for (const QString &v : query.filters[f])
            if (!t.ids[f].contains(v))
                list.append({v, 0, true});
        std::sort(list.begin(), list.end(), [](const FacetCount &a, const FacetCount &b) {
            if (a.count != b.count)
                return a.count > b.count;
            return a.value.compare(b.value, Qt::CaseInsensitive) < 0;
        });
    }

    if (offset >= end)
        return result;
    std::vector<qint64> docs;
    for (size_t i = offset; i < end; ++i)
        docs.push_back(t.entries[size_t(hits[i].entry)].doc);
    QHash<qint64, ListingHit> rows;
    QHash<qint64, QString> descriptions;
    QSqlQuery q(m_workspace.db());
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT l.doc, l.id, l.kind, l.state, l.title, l.summary, l.categories, l.clouds, "
                               "length(l.logo) > 0, o.id, o.name, o.tier, o.types, l.description FROM listings l "
                               "JOIN organizations o ON o.id = l.organization_id WHERE l.doc IN (%1)")
                    .arg(inList(docs))))
        return sqlError(q, Tr::tr("Reading listings"));
    while (q.next()) {
        ListingHit h;
        h.id = q.value(1).toString();
        h.kind = listing::kindFromKey(q.value(2).toString()).value_or(ListingKind::Product);
        h.state = listing::stateFromKey(q.value(3).toString()).value_or(ListingState::Draft);
        h.title = q.value(4).toString();
        h.titleHighlighted = h.title;
        h.summary = q.value(5).toString();
        h.snippet = h.summary;
        h.categories = json::parseArray(q.value(6).toString());
        h.clouds = json::parseArray(q.value(7).toString());
        h.hasLogo = q.value(8).toBool();
        h.partnerId = q.value(9).toString();
        h.partnerName = q.value(10).toString();
        h.partnerTier = q.value(11).toString();
        h.partnerTypes = json::parseArray(q.value(12).toString());
        rows.insert(q.value(0).toLongLong(), h);
        if (hasText)
            descriptions.insert(q.value(0).toLongLong(), q.value(13).toString());
    }
    if (hasText) {
        const QStringList folded = foldedWords(result.words);
        for (auto it = rows.begin(); it != rows.end(); ++it) {
            it->titleHighlighted = highlightText(it->title, folded, query.markOpen, query.markClose, -1).text;
            const Marked summary = highlightText(it->summary, folded, query.markOpen, query.markClose, 16);
            const Marked description =
                highlightText(descriptions.value(it.key()), folded, query.markOpen, query.markClose, 16);
            it->snippet = description.hits > summary.hits ? description.text : summary.text;
        }
    }
    for (size_t i = offset; i < end; ++i) {
        auto it = rows.constFind(t.entries[size_t(hits[i].entry)].doc);
        if (it == rows.constEnd())
            continue;
        ListingHit h = it.value();
        h.score = hits[i].score;
        result.hits << h;
    }
    return result;
}

} // namespace ecotone
