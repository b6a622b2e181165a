// Markov-chain attribution: removal effects solved from the absorbing chain, no simulation (docs/attribution.md).
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

// A strongly connected block of up to this many states is solved by dense Gaussian elimination; a larger one by
// Gauss-Seidel sweeps until nothing changes beyond kTolerance (the same linear system, solved iteratively).
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
    std::vector<double> valueReward;  // expected value collected when converting from each state, per visit
    // Strongly connected components in an order where every component comes after the ones it leads to
    // (Tarjan's order), as ranges of componentStates.
    std::vector<int> componentStart;
    std::vector<int> componentStates;
    std::vector<int> componentOf;
    int largestComponent = 0;

    // Tarjan's algorithm without recursion (chains have hundreds of thousands of states).
    void findComponents()
    {
        const size_t n = size_t(states);
        std::vector<int> index(n, -1), low(n, 0);
        std::vector<char> onStack(n, 0);
        std::vector<int> stack;
        std::vector<std::pair<int, qint64>> calls;
        componentOf.assign(n, -1);
        componentStart.assign(1, 0);
        componentStates.clear();
        int counter = 0;
        auto enter = [&](int v) {
            index[size_t(v)] = low[size_t(v)] = counter++;
            stack.push_back(v);
            onStack[size_t(v)] = 1;
            calls.emplace_back(v, rowStart[size_t(v)]);
        };
        for (int root = 0; root < states; ++root) {
            if (index[size_t(root)] >= 0)
                continue;
            enter(root);
            while (!calls.empty()) {
                const int v = calls.back().first;
                const qint64 e = calls.back().second;
                if (e < rowStart[size_t(v) + 1]) {
                    ++calls.back().second;
                    const int w = target[size_t(e)];
                    if (index[size_t(w)] < 0)
                        enter(w);
                    else if (onStack[size_t(w)])
                        low[size_t(v)] = std::min(low[size_t(v)], index[size_t(w)]);
                    continue;
                }
                calls.pop_back();
                if (!calls.empty()) {
                    const int parent = calls.back().first;
                    low[size_t(parent)] = std::min(low[size_t(parent)], low[size_t(v)]);
                }
                if (low[size_t(v)] != index[size_t(v)])
                    continue;
                const int id = int(componentStart.size()) - 1;
                int w = -1;
                do {
                    w = stack.back();
                    stack.pop_back();
                    onStack[size_t(w)] = 0;
                    componentOf[size_t(w)] = id;
                    componentStates.push_back(w);
                } while (w != v);
                componentStart.push_back(int(componentStates.size()));
                largestComponent =
                    std::max(largestComponent, componentStart[size_t(id) + 1] - componentStart[size_t(id)]);
            }
        }
    }
};

// One absorbing-chain solve: x = r + Q x over the states not removed (removed states are worth 0), for two
// right-hand sides at once: conversion probability (x) and expected value (y). Components are solved one by one,
// each after everything it leads to, so a state outside any cycle is exact in one step.
class Solver
{
public:
    explicit Solver(const Chain &chain)
        : m_chain(chain)
    {}

    bool run(const std::vector<char> &removed, std::vector<double> &x, std::vector<double> &y) const
    {
        const Chain &c = m_chain;
        x.assign(size_t(c.states), 0.0);
        y.assign(size_t(c.states), 0.0);
        std::vector<int> block;
        for (size_t k = 0; k + 1 < c.componentStart.size(); ++k) {
            block.clear();
            for (int i = c.componentStart[k]; i < c.componentStart[k + 1]; ++i)
                if (!removed[size_t(c.componentStates[size_t(i)])])
                    block.push_back(c.componentStates[size_t(i)]);
            if (block.empty())
                continue;
            if (block.size() == 1) {
                single(block.front(), int(k), x, y);
            } else if (block.size() <= size_t(kDenseLimit)) {
                dense(block, int(k), removed, x, y);
            } else if (!iterate(block, int(k), removed, x, y)) {
                return false;
            }
        }
        return true;
    }

    int maxSweeps() const { return m_maxSweeps.load(); }

private:
    // Everything a state collects from outside its component (already solved) plus its own rewards; the
    // transitions inside the component are left to the caller.
    void outside(int s, int component, const std::vector<double> &x, const std::vector<double> &y, double *bx,
                 double *by) const
    {
        const Chain &c = m_chain;
        double sx = c.toConversion[size_t(s)], sy = c.valueReward[size_t(s)];
        for (qint64 e = c.rowStart[size_t(s)]; e < c.rowStart[size_t(s) + 1]; ++e) {
            const int t = c.target[size_t(e)];
            if (c.componentOf[size_t(t)] == component)
                continue;
            sx += c.probability[size_t(e)] * x[size_t(t)];
            sy += c.probability[size_t(e)] * y[size_t(t)];
        }
        *bx = sx;
        *by = sy;
    }

    void single(int s, int component, std::vector<double> &x, std::vector<double> &y) const
    {
        const Chain &c = m_chain;
        double bx = 0, by = 0, self = 0;
        outside(s, component, x, y, &bx, &by);
        for (qint64 e = c.rowStart[size_t(s)]; e < c.rowStart[size_t(s) + 1]; ++e)
            if (c.target[size_t(e)] == s)
                self += c.probability[size_t(e)];
        x[size_t(s)] = bx / (1.0 - self);
        y[size_t(s)] = by / (1.0 - self);
    }

    // Gaussian elimination with partial pivoting on (I - Q) restricted to the block; non-singular because every
    // state is eventually absorbed.
    void dense(const std::vector<int> &block, int component, const std::vector<char> &removed, std::vector<double> &x,
               std::vector<double> &y) const
    {
        const Chain &c = m_chain;
        const size_t n = block.size(), width = n + 2;
        std::unordered_map<int, size_t> local;
        for (size_t i = 0; i < n; ++i)
            local.emplace(block[i], i);
        std::vector<double> a(n * width, 0.0);
        for (size_t r = 0; r < n; ++r) {
            const int s = block[r];
            double *row = &a[r * width];
            row[r] += 1.0;
            outside(s, component, x, y, &row[n], &row[n + 1]);
            for (qint64 e = c.rowStart[size_t(s)]; e < c.rowStart[size_t(s) + 1]; ++e) {
                const int t = c.target[size_t(e)];
                if (c.componentOf[size_t(t)] != component || removed[size_t(t)])
                    continue;
                row[local.at(t)] -= c.probability[size_t(e)];
            }
        }
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
        for (size_t i = n; i-- > 0;) {
            double bx = a[i * width + n], by = a[i * width + n + 1];
            for (size_t k = i + 1; k < n; ++k) {
                bx -= a[i * width + k] * x[size_t(block[k])];
                by -= a[i * width + k] * y[size_t(block[k])];
            }
            x[size_t(block[i])] = bx / a[i * width + i];
            y[size_t(block[i])] = by / a[i * width + i];
        }
    }

    bool iterate(const std::vector<int> &block, int component, const std::vector<char> &removed, std::vector<double> &x,
                 std::vector<double> &y) const
    {
        const Chain &c = m_chain;
        const size_t n = block.size();
        std::vector<double> bx(n), by(n), self(n, 0.0);
        for (size_t i = 0; i < n; ++i) {
            outside(block[i], component, x, y, &bx[i], &by[i]);
            for (qint64 e = c.rowStart[size_t(block[i])]; e < c.rowStart[size_t(block[i]) + 1]; ++e)
                if (c.target[size_t(e)] == block[i])
                    self[i] += c.probability[size_t(e)];
        }
        for (int sweep = 1; sweep <= kMaxSweeps; ++sweep) {
            double changeX = 0, scaleX = 0, changeY = 0, scaleY = 0;
            for (size_t i = 0; i < n; ++i) {
                const int s = block[i];
                double nx = bx[i], ny = by[i];
                for (qint64 e = c.rowStart[size_t(s)]; e < c.rowStart[size_t(s) + 1]; ++e) {
                    const int t = c.target[size_t(e)];
                    if (t == s || c.componentOf[size_t(t)] != component || removed[size_t(t)])
                        continue; // self-loops are divided out; other components are in bx, by
                    nx += c.probability[size_t(e)] * x[size_t(t)];
                    ny += c.probability[size_t(e)] * y[size_t(t)];
                }
                nx /= 1.0 - self[i];
                ny /= 1.0 - self[i];
                changeX = std::max(changeX, std::abs(nx - x[size_t(s)]));
                changeY = std::max(changeY, std::abs(ny - y[size_t(s)]));
                scaleX = std::max(scaleX, std::abs(nx));
                scaleY = std::max(scaleY, std::abs(ny));
                x[size_t(s)] = nx;
                y[size_t(s)] = ny;
            }
            // Probabilities and values each to within a few units in the last place of their largest entry.
            if (changeX <= kTolerance * scaleX && changeY <= kTolerance * scaleY) {
                int seen = m_maxSweeps.load();
                while (sweep > seen && !m_maxSweeps.compare_exchange_weak(seen, sweep)) {
                }
                return true;
            }
        }
        return false;
    }

    const Chain &m_chain;
    mutable std::atomic<int> m_maxSweeps{0};
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

    // States: the last `order` partners of the journey so far, packed 16 bits per partner.
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

    // Compressed rows, each sorted by target so sums run in the same order on every platform; a state's outgoing
    // total is its transitions plus the journeys that end there.
    std::vector<std::pair<quint64, double>> sorted(transitions.begin(), transitions.end());
    std::sort(sorted.begin(), sorted.end());
    std::vector<double> out(ends);
    chain.rowStart.assign(n + 1, 0);
    for (const auto &[edge, c] : sorted) {
        out[size_t(edge >> 32)] += c;
        ++chain.rowStart[size_t(edge >> 32) + 1];
    }
    for (size_t s = 0; s < n; ++s)
        chain.rowStart[s + 1] += chain.rowStart[s];
    chain.target.resize(sorted.size());
    chain.probability.resize(sorted.size());
    for (size_t i = 0; i < sorted.size(); ++i) {
        const size_t from = size_t(sorted[i].first >> 32);
        chain.target[i] = int(sorted[i].first & 0xffffffffu);
        chain.probability[i] = sorted[i].second / out[from];
    }
    chain.toConversion.assign(n, 0.0);
    chain.valueReward.assign(n, 0.0);
    for (size_t s = 0; s < n; ++s)
        if (out[s] > 0) {
            chain.toConversion[s] = conversions[s] / out[s];
            chain.valueReward[s] = values[s] / out[s];
        }
    chain.findComponents();

    const Solver solver(chain);
    std::vector<double> baseX, baseY;
    if (!solver.run(std::vector<char>(n, 0), baseX, baseY))
        return Error{Tr::tr("The Markov chain did not converge.")};
    const double full = baseX[0], fullValue = baseY[0];

    // One solve per partner, with the states that contain it removed; spread over the cores.
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
    if (notes) {
        const QString solved =
            chain.largestComponent > kDenseLimit
                ? Tr::tr("Gauss-Seidel on the largest, at most %1 sweeps to 1e-14").arg(solver.maxSweeps())
                : Tr::tr("Gaussian elimination per component");
        *notes << Tr::tr("%1 transient states, %2 transitions, %3 strongly connected components (largest %4 states; "
                         "%5), conversion probability %6")
                      .arg(chain.states)
                      .arg(sorted.size())
                      .arg(chain.componentStart.size() - 1)
                      .arg(chain.largestComponent)
                      .arg(solved)
                      .arg(full, 0, 'g', 12);
    }
    return credits;
}

} // namespace ecotone::attribution
