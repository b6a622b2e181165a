#pragma once

#include "domain/Result.h"

#include <QStringList>

#include <vector>

namespace ecotone {
class Workspace;
}

namespace ecotone::insights {

// An undirected graph with integer node ids 0..n-1 and weighted edges in compressed adjacency arrays: the layout
// that lets Brandes' algorithm run over 100,000 edges without touching a hash table or allocating per source.
class Graph
{
public:
    struct Edge
    {
        int a;
        int b;
        double weight = 1;
    };

    Graph() = default;
    // Parallel edges are merged (weights summed); self-loops are dropped.
    Graph(int nodeCount, const std::vector<Edge> &edges);

    int nodeCount() const { return m_nodes; }
    qint64 edgeCount() const { return qint64(m_neighbors.size() / 2); }
    // Neighbours of v are m_neighbors[offset(v) .. offset(v + 1)).
    qint64 offset(int v) const { return m_offsets[size_t(v)]; }
    int neighbor(qint64 i) const { return m_neighbors[size_t(i)]; }
    double weight(qint64 i) const { return m_weights[size_t(i)]; }

private:
    int m_nodes = 0;
    std::vector<qint64> m_offsets{0};
    std::vector<int> m_neighbors;
    std::vector<double> m_weights;
};

struct NetworkMeasures
{
    std::vector<int> degree;            // distinct neighbours
    std::vector<double> weightedDegree; // sum of the weights of a node's edges (links of every kind)
    // Betweenness over unweighted shortest paths (hops), normalised as networkx does for undirected graphs:
    // the share of shortest paths between pairs of other nodes that pass through the node, 2/((n-1)(n-2)) times
    // the pair count.
    std::vector<double> betweenness;
};

// Brandes' algorithm, exact, O(n·m); sources are split over `threads` workers (0: one per core).
// normalized = false gives the pair count (each unordered pair of endpoints counted once).
std::vector<double> betweenness(const Graph &graph, bool normalized = true, int threads = 0);
NetworkMeasures measure(const Graph &graph, int threads = 0);
// Sum of the dependencies delta_s(v) over the given sources only (no scaling): with every node as a source this is
// twice the pair count. Benchmarks use it to compare a sample of sources with networkx.
std::vector<double> dependencySums(const Graph &graph, const std::vector<int> &sources, int threads = 0);

// The partner network of a workspace: partners as nodes (the vendor is left out: it is in every deal), edges for
// referrals between two partners, deal rooms two partners share, and integrations (a listing of one partner
// that integrates with a listing of another); the weight counts the links.
struct PartnerNetwork
{
    QStringList ids;
    QStringList names;
    Graph graph;
    int referralLinks = 0;
    int sharedRoomLinks = 0;
    int integrationLinks = 0;
    // Won deal-room amounts (major units, currencies not converted) of rooms with two or more partners.
    std::vector<double> multiPartnerRevenue;
};

Result<PartnerNetwork> readPartnerNetwork(Workspace &workspace);

} // namespace ecotone::insights
