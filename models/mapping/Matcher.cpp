#include "Matcher.h"

#include "mapping/CompanyNames.h"

#include <QHash>
#include <QSet>

#include <algorithm>
#include <numeric>
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
    const Companies ourCompanies = group(ours, result.ours);
    const Companies theirCompanies = group(theirs, result.theirs);

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
    {
        Chains byName;
        byName.init(theirs.size());
        for (qsizetype t = 0; t < theirs.size(); ++t) {
            if (!theirs.at(t).normalizedName.isEmpty())
                byName.add(theirs.at(t).normalizedName, t);
        }
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

    // fuzzy: only companies no stronger rule matched, within blocks.
    if (options.fuzzy) {
        auto blockKeys = [](const QString &name, QString keys[2]) {
            keys[0] = keys[1] = QString();
            if (name.size() < 4)
                return;
            keys[0] = name.left(3);
            qsizetype bestFrom = -1, bestLen = 0, from = 0;
            for (qsizetype i = 0; i <= name.size(); ++i) {
                if (i == name.size() || name.at(i) == QLatin1Char(' ')) {
                    if (i - from > bestLen) {
                        bestLen = i - from;
                        bestFrom = from;
                    }
                    from = i + 1;
                }
            }
            if (bestLen >= 5)
                keys[1] = QLatin1Char('\x1e') + name.mid(bestFrom, bestLen);
        };
        Chains blocks;
        blocks.init(theirs.size());
        QHash<QString, qsizetype> blockSize;
        QString keys[2];
        for (qsizetype t = 0; t < theirs.size(); ++t) {
            if (theirMatched[size_t(result.theirs.companyOf.at(t))])
                continue;
            blockKeys(theirs.at(t).normalizedName, keys);
            for (const QString &k : keys) {
                if (k.isEmpty())
                    continue;
                blocks.add(k, t);
                ++blockSize[k];
            }
        }
        std::vector<Link> fuzzyLinks;
        for (qsizetype o = 0; o < ours.size(); ++o) {
            const qsizetype ourCompany = result.ours.companyOf.at(o);
            if (ourMatched[size_t(ourCompany)])
                continue;
            const CrmAccount &a = ours.at(o);
            blockKeys(a.normalizedName, keys);
            double best = 0;
            qsizetype bestT = -1;
            for (const QString &k : keys) {
                if (k.isEmpty())
                    continue;
                const auto it = blocks.head.constFind(k);
                if (it == blocks.head.constEnd() || blockSize.value(k) > options.maxBlock)
                    continue;
                const qsizetype la = a.normalizedName.size();
                for (qsizetype t = it.value(); t >= 0; t = blocks.next[size_t(t)]) {
                    const CrmAccount &b = theirs.at(t);
                    const qsizetype lb = b.normalizedName.size();
                    // Jaro-Winkler >= 0.92 cannot hold for very different lengths; skip the work.
                    if (std::min(la, lb) * 5 < std::max(la, lb) * 4)
                        continue;
                    if (!countriesCompatible(a, b))
                        continue;
                    if (domainsConflict(a, b) && !options.allowNameWithDifferentDomains)
                        continue;
                    const double s = companynames::jaroWinkler(a.normalizedName, b.normalizedName);
                    if (s > best) {
                        best = s;
                        bestT = t;
                    }
                }
            }
            if (bestT >= 0 && best >= options.fuzzyThreshold)
                fuzzyLinks.push_back({ourCompany, result.theirs.companyOf.at(bestT), Rule::Fuzzy, best});
        }
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
