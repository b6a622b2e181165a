#include "Matcher.h"

#include "mapping/CompanyNames.h"

#include <QHash>
#include <QSet>
#include <QVarLengthArray>

#include <algorithm>
#include <cstdlib>
#include <numeric>
#include <thread>
#include <vector>

namespace ecotone::matching {

namespace {

int statusRank(const QString &status)
{
    if (status == QLatin1String("customer"))
        return 3;
    if (status == QLatin1String("opportunity"))
        return 2;
    if (status == QLatin1String("prospect"))
        return 1;
    return 0;
}

// Population index (0 customer, 1 opportunity, 2 prospect) from a rank; -1 for none.
int populationOf(int rank)
{
    return rank == 0 ? -1 : 3 - rank;
}

qsizetype findRoot(std::vector<qsizetype> &parent, qsizetype i)
{
    while (parent[size_t(i)] != i) {
        parent[size_t(i)] = parent[size_t(parent[size_t(i)])];
        i = parent[size_t(i)];
    }
    return i;
}

bool domainsConflict(const CrmAccount &a, const CrmAccount &b)
{
    return !a.registrableDomain.isEmpty() && !b.registrableDomain.isEmpty() &&
           a.registrableDomain != b.registrableDomain;
}

bool countriesCompatible(const CrmAccount &a, const CrmAccount &b)
{
    return a.countryKey.isEmpty() || b.countryKey.isEmpty() || a.countryKey == b.countryKey;
}

QString nameCountryKey(const CrmAccount &a)
{
    return a.normalizedName + QChar(0x1f) + a.countryKey;
}

// Groups one side's records into companies; fills side.companyOf, side.companies and the members of each
// company (CSR: members[offsets[c] .. offsets[c + 1]]) and its best population rank.
struct Companies
{
    std::vector<qsizetype> offsets;
    std::vector<qsizetype> members;
    std::vector<int> rank;
};

Companies group(const QList<CrmAccount> &records, Side &side)
{
    const qsizetype n = records.size();
    std::vector<qsizetype> parent(static_cast<size_t>(n));
    std::iota(parent.begin(), parent.end(), qsizetype(0));
    auto unite = [&](qsizetype a, qsizetype b) {
        a = findRoot(parent, a);
        b = findRoot(parent, b);
        if (a != b)
            parent[size_t(std::max(a, b))] = std::min(a, b);
    };
    {
        QHash<QString, qsizetype> byDomain;
        byDomain.reserve(n);
        QHash<QString, qsizetype> byName;
        byName.reserve(n);
        for (qsizetype i = 0; i < n; ++i) {
            const CrmAccount &r = records.at(i);
            if (!r.registrableDomain.isEmpty()) {
                auto it = byDomain.constFind(r.registrableDomain);
                if (it == byDomain.constEnd())
                    byDomain.insert(r.registrableDomain, i);
                else
                    unite(it.value(), i);
            }
            if (!r.normalizedName.isEmpty()) {
                const QString key = nameCountryKey(r);
                auto it = byName.constFind(key);
                if (it == byName.constEnd())
                    byName.insert(key, i);
                else if (!domainsConflict(records.at(it.value()), r))
                    unite(it.value(), i);
            }
        }
    }
    side.records = n;
    side.companyOf.resize(n);
    std::vector<qsizetype> dense(size_t(n), -1);
    qsizetype companies = 0;
    for (qsizetype i = 0; i < n; ++i) {
        const qsizetype root = findRoot(parent, i);
        if (dense[size_t(root)] < 0)
            dense[size_t(root)] = companies++;
        side.companyOf[i] = dense[size_t(root)];
    }
    side.companies = companies;

    Companies c;
    c.offsets.assign(size_t(companies) + 1, 0);
    c.rank.assign(size_t(companies), 0);
    for (qsizetype i = 0; i < n; ++i) {
        const qsizetype g = side.companyOf.at(i);
        ++c.offsets[size_t(g) + 1];
        c.rank[size_t(g)] = std::max(c.rank[size_t(g)], statusRank(records.at(i).status));
    }
    std::partial_sum(c.offsets.begin(), c.offsets.end(), c.offsets.begin());
    c.members.resize(size_t(n));
    std::vector<qsizetype> fill(c.offsets.begin(), c.offsets.end() - 1);
    for (qsizetype i = 0; i < n; ++i)
        c.members[size_t(fill[size_t(side.companyOf.at(i))]++)] = i;
    return c;
}

struct Link
{
    qsizetype ours;
    qsizetype theirs;
    Rule rule;
    double score;
};

// Index from a string key to records: head per key, then a chain through next (no per-key list allocations).
struct Chains
{
    QHash<QString, qsizetype> head;
    std::vector<qsizetype> next;
    void init(qsizetype n)
    {
        head.reserve(n);
        next.assign(size_t(n), -1);
    }
    void add(const QString &key, qsizetype record)
    {
        auto it = head.find(key);
        if (it == head.end()) {
            head.insert(key, record);
        } else {
            next[size_t(record)] = it.value();
            it.value() = record;
        }
    }
};

constexpr qsizetype kFuzzyMinLength = 8; // shorter names differ by one letter too often to guess
constexpr int kFuzzyMaxEdits = 2;

quint32 countryCode(const QString &countryKey)
{
    return countryKey.isEmpty() ? 0 : (qHash(countryKey) | 1u);
}

// Blocking keys: the first eight characters, and the first eight after deleting one of the first eight. Two names
// one edit apart (insertion, deletion, substitution, swap) share at least one key wherever the edit is, so a typo
// at the start does not hide a candidate; the keys stay as selective as an eight-character prefix. Keys are
// 64-bit hashes of those characters (FNV-1a): no strings are built, a collision only adds a candidate.
constexpr int kPrefix = 8;
constexpr int kMaxKeys = kPrefix + 1;
int blockKeys(const QString &name, quint64 keys[kMaxKeys])
{
    const char16_t *d = reinterpret_cast<const char16_t *>(name.constData());
    const qsizetype n = name.size();
    int count = 0;
    for (qsizetype skip = -1; skip < kPrefix && skip < n; ++skip) {
        quint64 h = 1469598103934665603ull;
        int taken = 0;
        for (qsizetype i = 0; i < n && taken < kPrefix; ++i) {
            if (i == skip)
                continue;
            h = (h ^ quint64(d[i])) * 1099511628211ull;
            ++taken;
        }
        bool seen = false;
        for (int k = 0; k < count && !seen; ++k)
            seen = keys[k] == h;
        if (!seen)
            keys[count++] = h;
    }
    return count;
}

// Optimal-string-alignment distance (insertions, deletions, substitutions, adjacent swaps) if it is at most
// limit, else limit + 1. Only cells within limit of the diagonal are computed.
int boundedEditDistance(QStringView a, QStringView b, int limit)
{
    const qsizetype la = a.size(), lb = b.size();
    if (std::abs(la - lb) > limit)
        return limit + 1;
    constexpr int kBig = 1 << 20;
    QVarLengthArray<int, 390> rows(3 * (lb + 1));
    int *prev2 = rows.data(), *prev = prev2 + lb + 1, *cur = prev + lb + 1;
    for (qsizetype j = 0; j <= lb; ++j)
        prev[j] = j <= limit ? int(j) : kBig;
    std::fill(prev2, prev2 + lb + 1, kBig);
    for (qsizetype i = 1; i <= la; ++i) {
        std::fill(cur, cur + lb + 1, kBig);
        const qsizetype from = std::max<qsizetype>(1, i - limit), to = std::min(lb, i + limit);
        if (i <= limit)
            cur[0] = int(i);
        int rowMin = cur[0];
        for (qsizetype j = from; j <= to; ++j) {
            const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            int v = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                v = std::min(v, prev2[j - 2] + 1);
            cur[j] = v;
            rowMin = std::min(rowMin, v);
        }
        if (rowMin > limit)
            return limit + 1;
        int *oldest = prev2;
        prev2 = prev;
        prev = cur;
        cur = oldest;
    }
    return std::min(prev[lb], limit + 1);
}

struct FuzzyEntry
{
    qsizetype record;
    quint32 country;
    qint32 length;
};

// Block key -> the unmatched records of the other side under it, stored contiguously (CSR, sorted by key).
struct FuzzyIndex
{
    std::vector<quint64> keys; // unique, ascending
    std::vector<qsizetype> offsets;
    std::vector<FuzzyEntry> entries;

    static FuzzyIndex build(const QList<CrmAccount> &records, const QList<qsizetype> &companyOf,
                            const std::vector<char> &matched, bool withoutDomainOnly)
    {
        FuzzyIndex index;
        std::vector<std::pair<quint64, FuzzyEntry>> pairs;
        quint64 keys[kMaxKeys];
        for (qsizetype t = 0; t < records.size(); ++t) {
            const CrmAccount &r = records.at(t);
            if (matched[size_t(companyOf.at(t))] || r.normalizedName.size() < kFuzzyMinLength)
                continue;
            if (withoutDomainOnly && !r.registrableDomain.isEmpty())
                continue;
            const FuzzyEntry entry{t, countryCode(r.countryKey), qint32(r.normalizedName.size())};
            const int count = blockKeys(r.normalizedName, keys);
            for (int k = 0; k < count; ++k)
                pairs.push_back({keys[k], entry});
        }
        std::sort(pairs.begin(), pairs.end(), [](const auto &x, const auto &y) {
            return x.first != y.first ? x.first < y.first : x.second.record < y.second.record;
        });
        index.entries.reserve(pairs.size());
        for (size_t i = 0; i < pairs.size(); ++i) {
            if (i == 0 || pairs[i].first != pairs[i - 1].first) {
                index.keys.push_back(pairs[i].first);
                index.offsets.push_back(qsizetype(i));
            }
            index.entries.push_back(pairs[i].second);
        }
        index.offsets.push_back(qsizetype(pairs.size()));
        return index;
    }

    // [from, to) of the block under key; empty when there is none.
    std::pair<qsizetype, qsizetype> block(quint64 key) const
    {
        const auto it = std::lower_bound(keys.begin(), keys.end(), key);
        if (it == keys.end() || *it != key)
            return {0, 0};
        const size_t i = size_t(it - keys.begin());
        return {offsets[i], offsets[i + 1]};
    }
};

} // namespace

QString ruleKey(Rule rule)
{
    switch (rule) {
    case Rule::Domain:
        return QStringLiteral("domain");
    case Rule::Name:
        return QStringLiteral("name");
    case Rule::Fuzzy:
        return QStringLiteral("fuzzy");
    }
    return {};
}

const QStringList &populations()
{
    static const QStringList list = {QStringLiteral("customer"), QStringLiteral("opportunity"),
                                     QStringLiteral("prospect")};
    return list;
}

Result match(const QList<CrmAccount> &ours, const QList<CrmAccount> &theirs, const Options &options)
{
    Result result;
    // The two sides are independent: group them on two threads (the machine this targets has two cores).
    Companies theirCompanies;
    std::thread theirGrouping([&] { theirCompanies = group(theirs, result.theirs); });
    const Companies ourCompanies = group(ours, result.ours);
    theirGrouping.join();

    std::vector<Link> links;
    QSet<quint64> linked;
    auto pairKey = [](qsizetype a, qsizetype b) { return (quint64(a) << 32) | quint64(b); };
    auto link = [&](qsizetype ourCompany, qsizetype theirCompany, Rule rule, double score) {
        const quint64 key = pairKey(ourCompany, theirCompany);
        if (linked.contains(key))
            return;
        linked.insert(key);
        links.push_back({ourCompany, theirCompany, rule, score});
    };
    std::vector<char> ourMatched(size_t(result.ours.companies), 0), theirMatched(size_t(result.theirs.companies), 0);

    // Their two exact indexes are independent: build the name index on a second thread.
    Chains byName;
    std::thread nameIndexing([&] {
        byName.init(theirs.size());
        for (qsizetype t = 0; t < theirs.size(); ++t) {
            if (!theirs.at(t).normalizedName.isEmpty())
                byName.add(theirs.at(t).normalizedName, t);
        }
    });

    // domain: after grouping one domain belongs to one company per side.
    {
        QHash<QString, qsizetype> theirDomains;
        theirDomains.reserve(theirs.size());
        for (qsizetype t = 0; t < theirs.size(); ++t) {
            if (!theirs.at(t).registrableDomain.isEmpty())
                theirDomains.insert(theirs.at(t).registrableDomain, result.theirs.companyOf.at(t));
        }
        for (qsizetype o = 0; o < ours.size(); ++o) {
            const QString &d = ours.at(o).registrableDomain;
            if (d.isEmpty())
                continue;
            const auto it = theirDomains.constFind(d);
            if (it != theirDomains.constEnd())
                link(result.ours.companyOf.at(o), it.value(), Rule::Domain, 1.0);
        }
    }

    // name: exact normalized name, compatible country, no conflicting domains.
    nameIndexing.join();
    {
        for (qsizetype o = 0; o < ours.size(); ++o) {
            const CrmAccount &a = ours.at(o);
            if (a.normalizedName.isEmpty())
                continue;
            const auto it = byName.head.constFind(a.normalizedName);
            if (it == byName.head.constEnd())
                continue;
            for (qsizetype t = it.value(); t >= 0; t = byName.next[size_t(t)]) {
                const CrmAccount &b = theirs.at(t);
                if (!countriesCompatible(a, b))
                    continue;
                if (domainsConflict(a, b) && !options.allowNameWithDifferentDomains)
                    continue;
                link(result.ours.companyOf.at(o), result.theirs.companyOf.at(t), Rule::Name, 0.95);
            }
        }
    }
    for (const Link &l : links) {
        ourMatched[size_t(l.ours)] = 1;
        theirMatched[size_t(l.theirs)] = 1;
    }

    // fuzzy: only companies no stronger rule matched, within blocks (see blockKeys). Blocks are compact arrays scanned
    // sequentially; the records themselves are only touched for candidates that pass the cheap filters.
    if (options.fuzzy) {
        FuzzyIndex withoutDomain;
        std::thread indexing(
            [&] { withoutDomain = FuzzyIndex::build(theirs, result.theirs.companyOf, theirMatched, true); });
        const FuzzyIndex all = FuzzyIndex::build(theirs, result.theirs.companyOf, theirMatched, false);
        indexing.join();
        // Each of our records is looked up on its own: split them over two threads, merge in order.
        auto search = [&](qsizetype begin, qsizetype end, std::vector<Link> &fuzzyLinks) {
            for (qsizetype o = begin; o < end; ++o) {
                const qsizetype ourCompany = result.ours.companyOf.at(o);
                if (ourMatched[size_t(ourCompany)])
                    continue;
                const CrmAccount &a = ours.at(o);
                const qsizetype la = a.normalizedName.size();
                if (la < kFuzzyMinLength)
                    continue;
                // A record with a website can only pair with one without (both known and different: no match).
                const FuzzyIndex &index =
                    a.registrableDomain.isEmpty() || options.allowNameWithDifferentDomains ? all : withoutDomain;
                const quint32 country = countryCode(a.countryKey);
                double best = 0;
                qsizetype bestT = -1;
                quint64 keys[kMaxKeys];
                const int count = blockKeys(a.normalizedName, keys);
                QVarLengthArray<qsizetype, 32> seen; // a close candidate shares several keys: compare it once
                for (int k = 0; k < count; ++k) {
                    const auto [from, to] = index.block(keys[k]);
                    if (to - from > options.maxBlock)
                        continue;
                    for (qsizetype e = from; e < to; ++e) {
                        const FuzzyEntry &entry = index.entries[size_t(e)];
                        if (std::abs(la - qsizetype(entry.length)) > kFuzzyMaxEdits) // more edits apart than allowed
                            continue;
                        if (country && entry.country && country != entry.country)
                            continue;
                        if (std::find(seen.begin(), seen.end(), entry.record) != seen.end())
                            continue;
                        seen.append(entry.record);
                        const CrmAccount &b = theirs.at(entry.record);
                        if (!countriesCompatible(a, b))
                            continue;
                        if (boundedEditDistance(a.normalizedName, b.normalizedName, kFuzzyMaxEdits) > kFuzzyMaxEdits)
                            continue;
                        const double s = companynames::jaroWinkler(a.normalizedName, b.normalizedName);
                        if (s > best && s >= options.fuzzyThreshold) {
                            best = s;
                            bestT = entry.record;
                        }
                    }
                }
                if (bestT >= 0)
                    fuzzyLinks.push_back({ourCompany, result.theirs.companyOf.at(bestT), Rule::Fuzzy, best});
            }
        };
        std::vector<Link> fuzzyLinks, secondHalf;
        const qsizetype middle = ours.size() / 2;
        std::thread second([&] { search(middle, ours.size(), secondHalf); });
        search(0, middle, fuzzyLinks);
        second.join();
        fuzzyLinks.insert(fuzzyLinks.end(), secondHalf.begin(), secondHalf.end());
        for (const Link &l : fuzzyLinks)
            link(l.ours, l.theirs, l.rule, l.score);
        for (const Link &l : fuzzyLinks) {
            ourMatched[size_t(l.ours)] = 1;
            theirMatched[size_t(l.theirs)] = 1;
        }
    }

    // Record pairs, counts, matrix.
    std::sort(links.begin(), links.end(),
              [](const Link &x, const Link &y) { return x.ours != y.ours ? x.ours < y.ours : x.theirs < y.theirs; });
    const int p = int(populations().size());
    std::vector<qsizetype> cellLinks(size_t(p * p), 0);
    QSet<quint64> cellOurs, cellTheirs;
    for (const Link &l : links) {
        ++result.links[int(l.rule)];
        for (qsizetype i = ourCompanies.offsets[size_t(l.ours)]; i < ourCompanies.offsets[size_t(l.ours) + 1]; ++i) {
            for (qsizetype j = theirCompanies.offsets[size_t(l.theirs)];
                 j < theirCompanies.offsets[size_t(l.theirs) + 1]; ++j) {
                result.matches.append(
                    {ourCompanies.members[size_t(i)], theirCompanies.members[size_t(j)], l.rule, l.score});
            }
        }
        const int po = populationOf(ourCompanies.rank[size_t(l.ours)]);
        const int pt = populationOf(theirCompanies.rank[size_t(l.theirs)]);
        if (po < 0 || pt < 0)
            continue;
        const int cell = po * p + pt;
        ++cellLinks[size_t(cell)];
        cellOurs.insert((quint64(cell) << 40) | quint64(l.ours));
        cellTheirs.insert((quint64(cell) << 40) | quint64(l.theirs));
    }
    std::vector<qsizetype> cellOurCount(size_t(p * p), 0), cellTheirCount(size_t(p * p), 0);
    for (quint64 k : std::as_const(cellOurs))
        ++cellOurCount[size_t(k >> 40)];
    for (quint64 k : std::as_const(cellTheirs))
        ++cellTheirCount[size_t(k >> 40)];
    for (int po = 0; po < p; ++po) {
        for (int pt = 0; pt < p; ++pt) {
            const size_t cell = size_t(po * p + pt);
            result.cells.append({populations().at(po), populations().at(pt), cellLinks[cell], cellOurCount[cell],
                                 cellTheirCount[cell]});
        }
    }
    result.ours.matchedCompanies = std::count(ourMatched.begin(), ourMatched.end(), char(1));
    result.theirs.matchedCompanies = std::count(theirMatched.begin(), theirMatched.end(), char(1));
    for (qsizetype g = 0; g < result.theirs.companies; ++g) {
        if (theirCompanies.rank[size_t(g)] == 3 && !theirMatched[size_t(g)]) {
            ++result.greenfield;
            for (qsizetype i = theirCompanies.offsets[size_t(g)]; i < theirCompanies.offsets[size_t(g) + 1]; ++i) {
                if (theirs.at(theirCompanies.members[size_t(i)]).status == QLatin1String("customer"))
                    ++result.greenfieldRecords;
            }
        }
    }
    return result;
}

} // namespace ecotone::matching
