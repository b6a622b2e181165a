#include "insights/PartnerNetwork.h"

#include "deals/DealTypes.h"
#include "store/Workspace.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <memory>
#include <thread>

namespace ecotone::insights {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::insights::Network)
};

// Brandes from one source at a time, with every buffer allocated once per worker.
class BrandesWorker
{
public:
    explicit BrandesWorker(const Graph &graph)
        : m_graph(graph)
        , m_distance(size_t(graph.nodeCount()), -1)
        , m_sigma(size_t(graph.nodeCount()), 0.0)
        , m_coefficient(size_t(graph.nodeCount()), 0.0)
        , m_order(size_t(graph.nodeCount()))
        , m_successorStart(size_t(graph.nodeCount()) + 1, 0)
        , m_successors(size_t(2 * graph.edgeCount()))
        , m_sum(size_t(graph.nodeCount()), 0.0)
    {}

    void source(int s)
    {
        // Breadth-first search: distances, shortest-path counts, the visiting order, and for each visited node
        // (by its place in that order) its successors on shortest paths, in one flat array.
        size_t head = 0, tail = 0, successors = 0;
        m_order[tail++] = s;
        m_distance[size_t(s)] = 0;
        m_sigma[size_t(s)] = 1;
        while (head < tail) {
            const int v = m_order[head];
            m_successorStart[head++] = successors;
            const int next = m_distance[size_t(v)] + 1;
            const double sv = m_sigma[size_t(v)];
            for (qint64 i = m_graph.offset(v), end = m_graph.offset(v + 1); i < end; ++i) {
                const int w = m_graph.neighbor(i);
                int &dw = m_distance[size_t(w)];
                if (dw < 0) {
                    dw = next;
                    m_order[tail++] = w;
                }
                if (dw == next) {
                    m_sigma[size_t(w)] += sv;
                    m_successors[successors++] = w;
                }
            }
        }
        m_successorStart[tail] = successors;
        // Dependencies in reverse order, each node pulling from its successors:
        // delta(v) = sigma(v) * sum over successors w of (1 + delta(w)) / sigma(w). coefficient(w) holds that
        // quotient, written before any predecessor of w reads it.
        for (size_t k = tail; k-- > 0;) {
            const int v = m_order[k];
            double pulled = 0;
            for (size_t i = m_successorStart[k]; i < m_successorStart[k + 1]; ++i)
                pulled += m_coefficient[size_t(m_successors[i])];
            const double sigma = m_sigma[size_t(v)];
            m_coefficient[size_t(v)] = 1.0 / sigma + pulled;
            if (k > 0)
                m_sum[size_t(v)] += sigma * pulled;
        }
        // Reset only what this source touched.
        for (size_t k = 0; k < tail; ++k) {
            const size_t v = size_t(m_order[k]);
            m_distance[v] = -1;
            m_sigma[v] = 0;
        }
    }

    const std::vector<double> &sum() const { return m_sum; }

private:
    const Graph &m_graph;
    std::vector<int> m_distance;
    std::vector<double> m_sigma;
    std::vector<double> m_coefficient;
    std::vector<int> m_order;
    std::vector<size_t> m_successorStart;
    std::vector<int> m_successors;
    std::vector<double> m_sum;
};
} // namespace

Graph::Graph(int nodeCount, const std::vector<Edge> &edges)
    : m_nodes(std::max(0, nodeCount))
{
    // Both directions of every edge, sorted by (from, to) so parallel edges sit together and merge.
    std::vector<Edge> directed;
    directed.reserve(edges.size() * 2);
    for (const Edge &e : edges) {
        if (e.a == e.b || e.a < 0 || e.b < 0 || e.a >= m_nodes || e.b >= m_nodes)
            continue;
        directed.push_back(e);
        directed.push_back(Edge{e.b, e.a, e.weight});
    }
    std::sort(directed.begin(), directed.end(),
              [](const Edge &x, const Edge &y) { return x.a != y.a ? x.a < y.a : x.b < y.b; });
    m_offsets.assign(size_t(m_nodes) + 1, 0);
    for (size_t i = 0; i < directed.size(); ++i) {
        const Edge &e = directed[i];
        if (!m_neighbors.empty() && i > 0 && directed[i - 1].a == e.a && directed[i - 1].b == e.b) {
            m_weights.back() += e.weight;
            continue;
        }
        m_neighbors.push_back(e.b);
        m_weights.push_back(e.weight);
        ++m_offsets[size_t(e.a) + 1];
    }
    for (size_t v = 0; v < size_t(m_nodes); ++v)
        m_offsets[v + 1] += m_offsets[v];
}

std::vector<double> dependencySums(const Graph &graph, const std::vector<int> &sources, int threads)
{
    const int n = graph.nodeCount();
    const int count = int(sources.size());
    if (threads <= 0)
        threads = int(std::max(1u, std::thread::hardware_concurrency()));
    threads = std::clamp(threads, 1, std::max(1, count / 64));
    std::atomic<int> next{0};
    std::vector<std::unique_ptr<BrandesWorker>> workers;
    for (int t = 0; t < threads; ++t)
        workers.push_back(std::make_unique<BrandesWorker>(graph));
    auto work = [&](BrandesWorker *worker) {
        // Sources in small blocks: fewer atomic operations, and the blocks balance uneven components.
        constexpr int kBlock = 16;
        for (int start = next.fetch_add(kBlock); start < count; start = next.fetch_add(kBlock))
            for (int i = start; i < std::min(count, start + kBlock); ++i)
                if (sources[size_t(i)] >= 0 && sources[size_t(i)] < n)
                    worker->source(sources[size_t(i)]);
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t)
        pool.emplace_back(work, workers[size_t(t)].get());
    work(workers[0].get());
    for (std::thread &t : pool)
        t.join();
    std::vector<double> result(size_t(n), 0.0);
    for (const auto &w : workers)
        for (int v = 0; v < n; ++v)
            result[size_t(v)] += w->sum()[size_t(v)];
    return result;
}

std::vector<double> betweenness(const Graph &graph, bool normalized, int threads)
{
    const int n = graph.nodeCount();
    std::vector<int> all(static_cast<size_t>(n));
    for (int v = 0; v < n; ++v)
        all[size_t(v)] = v;
    std::vector<double> result = dependencySums(graph, all, threads);
    // Every unordered pair was counted from both ends.
    const double scale = normalized ? (n > 2 ? 1.0 / (double(n - 1) * double(n - 2)) : 0.0) : 0.5;
    for (double &x : result)
        x *= scale;
    return result;
}

NetworkMeasures measure(const Graph &graph, int threads)
{
    NetworkMeasures m;
    const int n = graph.nodeCount();
    m.degree.resize(size_t(n));
    m.weightedDegree.resize(size_t(n));
    for (int v = 0; v < n; ++v) {
        m.degree[size_t(v)] = int(graph.offset(v + 1) - graph.offset(v));
        double w = 0;
        for (qint64 i = graph.offset(v); i < graph.offset(v + 1); ++i)
            w += graph.weight(i);
        m.weightedDegree[size_t(v)] = w;
    }
    m.betweenness = betweenness(graph, true, threads);
    return m;
}

Result<PartnerNetwork> readPartnerNetwork(Workspace &workspace)
{
    PartnerNetwork network;
    QHash<QString, int> index;
    QSqlQuery q(workspace.db());
    q.setForwardOnly(true);
    auto run = [&](const QString &sql, const QString &what) -> Status {
        if (!q.exec(sql))
            return sqlError(q, what);
        return Status::success();
    };
    if (Status s = run(QStringLiteral("SELECT id, name FROM organizations WHERE kind = 'partner' ORDER BY name, id"),
                       Tr::tr("reading partners"));
        !s)
        return Error{s.error()};
    while (q.next()) {
        index.insert(q.value(0).toString(), int(network.ids.size()));
        network.ids << q.value(0).toString();
        network.names << q.value(1).toString();
    }
    network.multiPartnerRevenue.assign(size_t(network.ids.size()), 0.0);
    std::vector<Graph::Edge> edges;
    auto link = [&](const QString &a, const QString &b) {
        const int x = index.value(a, -1), y = index.value(b, -1);
        if (x < 0 || y < 0 || x == y)
            return false;
        edges.push_back(Graph::Edge{x, y, 1.0});
        return true;
    };

    if (Status s =
            run(QStringLiteral("SELECT from_org_id, to_org_id FROM deal_referrals"), Tr::tr("reading referrals"));
        !s)
        return Error{s.error()};
    while (q.next())
        network.referralLinks += link(q.value(0).toString(), q.value(1).toString()) ? 1 : 0;

    // Distinct partners per room, rooms in order, with the room's outcome and amount.
    if (Status s = run(QStringLiteral("SELECT DISTINCT p.room_id, p.organization_id, s.outcome, r.amount_minor, "
                                      "r.currency FROM deal_room_participants p "
                                      "JOIN deal_rooms r ON r.id = p.room_id JOIN deal_stages s ON s.id = r.stage "
                                      "ORDER BY p.room_id"),
                       Tr::tr("reading deal room participants"));
        !s)
        return Error{s.error()};
    QString room;
    std::vector<int> members;
    double amount = 0;
    bool won = false;
    auto closeRoom = [&] {
        for (size_t i = 0; i < members.size(); ++i)
            for (size_t j = i + 1; j < members.size(); ++j) {
                edges.push_back(Graph::Edge{members[i], members[j], 1.0});
                ++network.sharedRoomLinks;
            }
        if (won && members.size() >= 2)
            for (const int m : members)
                network.multiPartnerRevenue[size_t(m)] += amount;
        members.clear();
    };
    while (q.next()) {
        if (q.value(0).toString() != room) {
            closeRoom();
            room = q.value(0).toString();
            won = q.value(2).toString() == QLatin1String("won");
            amount = double(q.value(3).toLongLong()) / std::pow(10.0, deals::minorDigits(q.value(4).toString()));
        }
        const int m = index.value(q.value(1).toString(), -1);
        if (m >= 0 && std::find(members.begin(), members.end(), m) == members.end())
            members.push_back(m);
    }
    closeRoom();

    // Integrations: listing ids in integrates_with, resolved to their organizations.
    if (Status s = run(QStringLiteral("SELECT id, organization_id, integrates_with FROM listings"),
                       Tr::tr("reading listings"));
        !s)
        return Error{s.error()};
    QHash<QString, QString> owner;
    QList<std::pair<QString, QString>> integrations; // (organization, listing it integrates with)
    while (q.next()) {
        owner.insert(q.value(0).toString(), q.value(1).toString());
        const QJsonArray targets = QJsonDocument::fromJson(q.value(2).toString().toUtf8()).array();
        for (const auto &t : targets)
            integrations.append({q.value(1).toString(), t.toString()});
    }
    for (const auto &[org, listing] : integrations)
        network.integrationLinks += link(org, owner.value(listing)) ? 1 : 0;

    network.graph = Graph(int(network.ids.size()), edges);
    return network;
}

} // namespace ecotone::insights
