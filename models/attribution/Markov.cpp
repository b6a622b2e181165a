// Markov-chain attribution: removal effects solved from the absorbing chain, no
// simulation (docs/attribution.md).
#include "attribution/AttributionModels.h"

#include <QCoreApplication>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <thread>
#include <unordered_map>

namespace ecotone::attribution {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::attribution::Models)
};

// Up to this many transient states the system is solved by dense Gaussian
// elimination; above, by Gauss-Seidel sweeps until nothing changes in double
// precision (the same linear system, solved iteratively).
constexpr int kDenseLimit = 400;
constexpr int kMaxSweeps = 100000;
constexpr double kTolerance = 1e-14;

struct Chain
{
    int states = 0;                      // transient states; 0 is the start
    std::vector<std::vector<int>> tuple; // partners of each state (empty for the start)
    // Transitions between transient states, as compressed rows of probabilities.
    std::vector<qint64> rowStart;
    std::vector<int> target;
    std::vector<double> probability;
    std::vector<double> toConversion; // probability of converting from each state
    std::vector<double> valueReward;  // expected value collected when leaving each
                                      // state for the conversion
    std::vector<double> self;         // probability of staying in the state
    std::vector<int> sweepOrder;      // depth-first post-order from the start:
                                      // successors before predecessors
};

// One absorbing-chain solve: x = r + Q x over the states not removed (removed
// states are worth 0). Two right-hand sides: conversion probability and
// expected value.
struct Solver
{
    const Chain &chain;
    mutable std::atomic<int> maxSweeps{0};

    void dense(const std::vector<char> &removed, std::vector<double> &x, std::vector<double> &y) const
    {
        std::vector<int> index(size_t(chain.states), -1);
        std::vector<int> kept;
        for (int s = 0; s < chain.states; ++s)
            if (!removed[size_t(s)]) {
                index[size_t(s)] = int(kept.size());
                kept.push_back(s);
            }
        const size_t n = kept.size();
        const size_t width = n + 2;
        std::vector<double> a(n * width, 0.0);
        for (size_t r = 0; r < n; ++r) {
            const int s = kept[r];
            double *row = &a[r * width];
            row[r] = 1.0;
            for (qint64 e = chain.rowStart[size_t(s)]; e < chain.rowStart[size_t(s) + 1]; ++e) {
                const int c = index[size_t(chain.target[size_t(e)])];
                if (c >= 0)
                    row[size_t(c)] -= chain.probability[size_t(e)];
            }
            row[n] = chain.toConversion[size_t(s)];
            row[n + 1] = chain.valueReward[size_t(s)];
        }
        // Gaussian elimination with partial pivoting; I - Q is non-singular because
        // every state is absorbed.
        for (size_t col = 0; col < n; ++col) {
            size_t pivot = col;
            for (size_t r = col + 1; r < n; ++r)
                if (std::abs(a[r * width + col]) > std::abs(a[pivot * width + col]))
                    pivot = r;
            if (pivot != col)
                for (size_t k = 0; k < width; ++k)
                    std::swap(a[col * width + k], a[pivot * width + k]);
            const double p = a[col * width + col];
            for (size_t r = col + 1; r < n; ++r) {
                const double f = a[r * width + col] / p;
                if (f == 0)
                    continue;
                for (size_t k = col; k < width; ++k)
                    a[r * width + k] -= f * a[col * width + k];
            }
        }
        std::vector<double> sx(n), sy(n);
        for (size_t i = n; i-- > 0;) {
            double bx = a[i * width + n], by = a[i * width + n + 1];
            for (size_t k = i + 1; k < n; ++k) {
                bx -= a[i * width + k] * sx[k];
                by -= a[i * width + k] * sy[k];
            }
            sx[i] = bx / a[i * width + i];
            sy[i] = by / a[i * width + i];
        }
        x.assign(size_t(chain.states), 0.0);
        y.assign(size_t(chain.states), 0.0);
        for (size_t r = 0; r < n; ++r) {
            x[size_t(kept[r])] = sx[r];
            y[size_t(kept[r])] = sy[r];
        }
    }

    bool iterative(const std::vector<char> &removed, std::vector<double> &x, std::vector<double> &y) const
    {
        int sweeps = 0;
        const bool ok = iterate(removed, x, y, &sweeps);
        int seen = maxSweeps.load();
        while (sweeps > seen && !maxSweeps.compare_exchange_weak(seen, sweeps)) {
        }
        return ok;
    }

    bool iterate(const std::vector<char> &removed, std::vector<double> &x, std::vector<double> &y, int *sweeps) const
    {
        x.assign(size_t(chain.states), 0.0);
        y.assign(size_t(chain.states), 0.0);
        // Post-order puts a state after everything it leads to, so an acyclic part
        // of the chain is exact after one sweep; cycles (repeats) take a few more.
        for (int sweep = 1; sweep <= kMaxSweeps; ++sweep) {
            *sweeps = sweep;
            double changeX = 0, scaleX = 0, changeY = 0, scaleY = 0;
            for (const int s : chain.sweepOrder) {
                if (removed[size_t(s)])
                    continue;
                double nx = chain.toConversion[size_t(s)], ny = chain.valueReward[size_t(s)];
                for (qint64 e = chain.rowStart[size_t(s)]; e < chain.rowStart[size_t(s) + 1]; ++e) {
                    const int t = chain.target[size_t(e)];
                    if (t == s)
                        continue; // the self-loop is divided out below
                    nx += chain.probability[size_t(e)] * x[size_t(t)];
                    ny += chain.probability[size_t(e)] * y[size_t(t)];
                }
                const double keep = 1.0 - chain.self[size_t(s)];
                nx /= keep;
                ny /= keep;
                changeX = std::max(changeX, std::abs(nx - x[size_t(s)]));
                changeY = std::max(changeY, std::abs(ny - y[size_t(s)]));
                scaleX = std::max(scaleX, std::abs(nx));
                scaleY = std::max(scaleY, std::abs(ny));
                x[size_t(s)] = nx;
                y[size_t(s)] = ny;
            }
            // Probabilities and values each to within a few units in the last place of their largest entry.
            if (changeX <= kTolerance * scaleX && changeY <= kTolerance * scaleY)
                return true;
        }
        return false;
    }

    bool run(const std::vector<char> &removed, std::vector<double> &x, std::vector<double> &y) const
    {
        if (chain.states <= kDenseLimit) {
            dense(removed, x, y);
            return true;
        }
        return iterative(removed, x, y);
    }
};

quint64 pushTouch(quint64 key, int partner, int order)
{
    const quint64 mask = order >= 4 ? ~quint64(0) : ((quint64(1) << (16 * order)) - 1);
    return ((key << 16) | quint64(partner + 1)) & mask;
}
} // namespace

Result<std::vector<Credit>> markov(const PathSet &paths, const MarkovOptions &options,
                                   std::vector<double> *removalEffects, QStringList *notes)
{
    if (options.order < 1 || options.order > 4)
        return Error{Tr::tr("The Markov order must be 1, 2, 3 or 4, not %1.").arg(options.order)};
    const int partners = paths.partnerCount();
    if (partners >= 65535)
        return Error{Tr::tr("The Markov model handles at most 65,534 partners.")};

    // States: the last `order` partners of the journey so far, packed 16 bits per
    // partner.
    Chain chain;
    std::unordered_map<quint64, int> stateOf;
    stateOf.emplace(0, 0);
    chain.tuple.emplace_back();
    std::unordered_map<quint64, double> transitions; // (from << 32 | to) -> journeys
    std::vector<double> conversions(1, 0.0), values(1, 0.0), ends(1, 0.0);
    std::vector<int> touches;
    for (const Journey &j : paths.journeys()) {
        const double count = j.conversions + j.nulls;
        if (count <= 0)
            continue;
        touches.assign(j.touches.begin(), j.touches.end());
        if (options.collapseRepeats)
            touches.erase(std::unique(touches.begin(), touches.end()), touches.end());
        quint64 key = 0;
        int from = 0;
        for (const int p : touches) {
            key = pushTouch(key, p, options.order);
            auto [it, added] = stateOf.try_emplace(key, chain.states + 1);
            if (added) {
                ++chain.states;
                std::vector<int> members;
                for (quint64 k = key; k; k >>= 16)
                    members.push_back(int(k & 0xffff) - 1);
                chain.tuple.push_back(std::move(members));
                conversions.push_back(0);
                values.push_back(0);
                ends.push_back(0);
            }
            const int to = it->second;
            transitions[(quint64(from) << 32) | quint64(to)] += count;
            from = to;
        }
        conversions[size_t(from)] += j.conversions;
        values[size_t(from)] += j.value;
        ends[size_t(from)] += count;
    }
    ++chain.states; // the start counted
    const size_t n = size_t(chain.states);

    // Compressed rows; each state's outgoing total is its transitions plus the
    // journeys that end there.
    std::vector<double> out(ends);
    std::vector<qint64> degree(n + 1, 0);
    for (const auto &[edge, c] : transitions) {
        out[size_t(edge >> 32)] += c;
        ++degree[size_t(edge >> 32) + 1];
    }
    chain.rowStart.assign(n + 1, 0);
    for (size_t s = 0; s < n; ++s)
        chain.rowStart[s + 1] = chain.rowStart[s] + degree[s + 1];
    chain.target.assign(transitions.size(), 0);
    chain.probability.assign(transitions.size(), 0.0);
    chain.self.assign(n, 0.0);
    std::vector<qint64> fill(chain.rowStart.begin(), chain.rowStart.end() - 1);
    for (const auto &[edge, c] : transitions) {
        const size_t from = size_t(edge >> 32);
        const int to = int(edge & 0xffffffffu);
        const qint64 at = fill[from]++;
        chain.target[size_t(at)] = to;
        chain.probability[size_t(at)] = c / out[from];
        if (size_t(to) == from)
            chain.self[from] = c / out[from];
    }
    chain.toConversion.assign(n, 0.0);
    chain.valueReward.assign(n, 0.0);
    for (size_t s = 0; s < n; ++s)
        if (out[s] > 0) {
            chain.toConversion[s] = conversions[s] / out[s];
            chain.valueReward[s] = values[s] / out[s];
        }

    // Depth-first post-order from the start (every state is reachable from it),
    // without recursion.
    {
        std::vector<char> seen(n, 0);
        std::vector<std::pair<int, qint64>> stack{{0, chain.rowStart[0]}};
        seen[0] = 1;
        chain.sweepOrder.reserve(n);
        while (!stack.empty()) {
            auto &[s, e] = stack.back();
            if (e < chain.rowStart[size_t(s) + 1]) {
                const int t = chain.target[size_t(e++)];
                if (!seen[size_t(t)]) {
                    seen[size_t(t)] = 1;
                    stack.emplace_back(t, chain.rowStart[size_t(t)]);
                }
                continue;
            }
            chain.sweepOrder.push_back(s);
            stack.pop_back();
        }
    }
    const Solver solver{chain};
    std::vector<double> baseX, baseY;
    if (!solver.run(std::vector<char>(n, 0), baseX, baseY))
        return Error{Tr::tr("The Markov chain did not converge.")};
    const double full = baseX[0], fullValue = baseY[0];

    // One solve per partner, with the states that contain it removed; spread over
    // the cores.
    std::vector<double> effect(size_t(partners), 0.0), valueEffect(size_t(partners), 0.0);
    std::atomic<int> next{0};
    std::atomic<bool> failed{false};
    auto work = [&] {
        std::vector<char> removed(n);
        std::vector<double> x, y;
        for (int p = next++; p < partners; p = next++) {
            for (size_t s = 0; s < n; ++s)
                removed[s] = std::find(chain.tuple[s].begin(), chain.tuple[s].end(), p) != chain.tuple[s].end();
            if (!solver.run(removed, x, y)) {
                failed = true;
                return;
            }
            effect[size_t(p)] = full > 0 ? std::max(0.0, 1.0 - x[0] / full) : 0.0;
            valueEffect[size_t(p)] = fullValue > 0 ? std::max(0.0, 1.0 - y[0] / fullValue) : 0.0;
        }
    };
    const int threads = std::clamp(int(std::thread::hardware_concurrency()), 1, std::max(1, partners / 2));
    std::vector<std::thread> pool;
    for (int t = 1; t < threads && n > 64; ++t)
        pool.emplace_back(work);
    work();
    for (std::thread &t : pool)
        t.join();
    if (failed)
        return Error{Tr::tr("The Markov chain did not converge.")};

    double sum = 0, valueSum = 0;
    for (int p = 0; p < partners; ++p) {
        sum += effect[size_t(p)];
        valueSum += valueEffect[size_t(p)];
    }
    std::vector<Credit> credits(static_cast<size_t>(partners));
    for (int p = 0; p < partners; ++p) {
        if (sum > 0)
            credits[size_t(p)].conversions = paths.totalConversions() * effect[size_t(p)] / sum;
        if (valueSum > 0)
            credits[size_t(p)].value = paths.totalValue() * valueEffect[size_t(p)] / valueSum;
    }
    if (removalEffects)
        *removalEffects = effect;
    if (notes)
        *notes << Tr::tr("%1 transient states, %2 transitions, conversion "
                         "probability %3, solved %4")
                      .arg(chain.states)
                      .arg(transitions.size())
                      .arg(full, 0, 'g', 12)
                      .arg(n <= size_t(kDenseLimit)
                               ? Tr::tr("by Gaussian elimination")
                               : Tr::tr("by Gauss-Seidel, at most %1 sweeps to 1e-14").arg(solver.maxSweeps.load()));
    return credits;
}

} // namespace ecotone::attribution
