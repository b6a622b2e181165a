// Shapley value with characteristic function (b): v(T) = conversion rate of the journeys whose partner set is
// exactly T (0 for a set never observed). See docs/attribution.md for why the game is played per coalition.
#include "attribution/AttributionModels.h"

#include <QCoreApplication>

#include <algorithm>
#include <bit>
#include <cmath>
#include <unordered_map>

namespace ecotone::attribution {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::attribution::Models)
};

// Past this many distinct partners in one journey the 2^n subsets of a coalition are too many to enumerate.
constexpr int kMaxCoalition = 24;

struct Outcome
{
    double conversions = 0;
    double value = 0;
    double nulls = 0;
    double rate() const
    {
        const double journeys = conversions + nulls;
        return journeys > 0 ? conversions / journeys : 0.0;
    }
};

struct VectorHash
{
    size_t operator()(const std::vector<int> &v) const noexcept
    {
        quint64 h = 1469598103934665603ull;
        for (const int x : v)
            h = (h ^ quint64(quint32(x))) * 1099511628211ull;
        return size_t(h ^ (h >> 29));
    }
};

// Coalition keys: a 64-bit mask while there are at most 64 partners (the usual case, and fast), otherwise the
// sorted member ids.
struct MaskKeys
{
    using Key = quint64;
    using Hash = std::hash<quint64>;
    static Key of(const std::vector<int> &members)
    {
        Key k = 0;
        for (const int m : members)
            k |= Key(1) << m;
        return k;
    }
    // Keys of every subset of members, indexed by the subset's bit pattern over members.
    static void subsets(const std::vector<int> &members, std::vector<Key> &keys)
    {
        const size_t count = size_t(1) << members.size();
        keys.resize(count);
        keys[0] = 0;
        for (size_t b = 1; b < count; ++b)
            keys[b] = keys[b & (b - 1)] | (Key(1) << members[size_t(std::countr_zero(b))]);
    }
};

struct VectorKeys
{
    using Key = std::vector<int>;
    using Hash = VectorHash;
    static Key of(const std::vector<int> &members) { return members; }
    static void subsets(const std::vector<int> &members, std::vector<Key> &keys)
    {
        const size_t count = size_t(1) << members.size();
        keys.resize(count);
        for (size_t b = 0; b < count; ++b) {
            keys[b].clear();
            for (size_t i = 0; i < members.size(); ++i)
                if (b & (size_t(1) << i))
                    keys[b].push_back(members[i]);
        }
    }
};

template <typename Keys> Result<std::vector<Credit>> solve(const PathSet &paths, QStringList *notes)
{
    using Key = typename Keys::Key;
    std::unordered_map<Key, Outcome, typename Keys::Hash> coalitions;
    std::unordered_map<Key, std::vector<int>, typename Keys::Hash> members;
    std::vector<int> set;
    for (const Journey &j : paths.journeys()) {
        set.assign(j.touches.begin(), j.touches.end());
        std::sort(set.begin(), set.end());
        set.erase(std::unique(set.begin(), set.end()), set.end());
        const Key key = Keys::of(set);
        Outcome &o = coalitions[key];
        o.conversions += j.conversions;
        o.value += j.value;
        o.nulls += j.nulls;
        if (j.conversions > 0 || j.value > 0)
            members.try_emplace(key, set);
    }
    std::vector<Credit> credits(size_t(paths.partnerCount()));
    // weights[s][t] = t! (s-t-1)! / s!: the chance that exactly the t other players come before a player.
    std::vector<std::vector<double>> weights(1);
    std::vector<Key> keys;
    std::vector<double> phi;
    qint64 lookups = 0;
    for (const auto &[key, m] : members) {
        const Outcome &whole = coalitions[key];
        const int s = int(m.size());
        if (s > kMaxCoalition)
            return Error{Tr::tr("A journey has %1 distinct partners; exact Shapley values enumerate the subsets of "
                                "each coalition and stop at %2.")
                             .arg(s)
                             .arg(kMaxCoalition)};
        while (int(weights.size()) <= s) {
            const int n = int(weights.size());
            std::vector<double> w(size_t(n), 0.0);
            for (int t = 0; t < n; ++t)
                w[size_t(t)] = std::exp(std::lgamma(t + 1.0) + std::lgamma(n - t) - std::lgamma(n + 1.0));
            weights.push_back(std::move(w));
        }
        const std::vector<double> &w = weights[size_t(s)];
        const double total = whole.rate();
        if (total <= 0)
            continue;
        Keys::subsets(m, keys);
        phi.assign(size_t(s), 0.0);
        // Only observed subsets U have v(U) > 0: each adds w(|U|-1)·v(U) to its members (the step that completes
        // U) and takes w(|U|)·v(U) from every other member of the coalition (the step that leaves U).
        for (size_t b = 1; b < keys.size(); ++b) {
            ++lookups;
            const auto it = coalitions.find(keys[b]);
            if (it == coalitions.end())
                continue;
            const double v = it->second.rate();
            if (v == 0)
                continue;
            const int t = std::popcount(b);
            const double plus = w[size_t(t - 1)] * v;
            const double minus = t < s ? w[size_t(t)] * v : 0.0;
            for (int i = 0; i < s; ++i)
                phi[size_t(i)] += (b & (size_t(1) << i)) ? plus : -minus;
        }
        // Efficiency: the phi add up to v(S) = total, so phi / total shares out this coalition's conversions.
        for (int i = 0; i < s; ++i) {
            Credit &c = credits[size_t(m[size_t(i)])];
            c.conversions += whole.conversions * phi[size_t(i)] / total;
            c.value += whole.value * phi[size_t(i)] / total;
        }
    }
    if (notes)
        *notes << Tr::tr("%1 observed coalitions, %2 converting, %3 subset look-ups")
                      .arg(coalitions.size())
                      .arg(members.size())
                      .arg(lookups);
    return credits;
}
} // namespace

Result<std::vector<Credit>> shapleyExact(const PathSet &paths, QStringList *notes)
{
    if (paths.partnerCount() <= 64)
        return solve<MaskKeys>(paths, notes);
    return solve<VectorKeys>(paths, notes);
}

} // namespace ecotone::attribution
