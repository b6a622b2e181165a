#!/usr/bin/env python3
"""networkx side of bench_attribution: times betweenness centrality on the same graph.

Usage: network_networkx.py GRAPH [--sources K]
GRAPH: first line "n", then one "a b" line per edge (undirected; parallel edges merge, as in networkx.Graph).
--sources K: run Brandes' per-source steps exactly as nx.betweenness_centrality does, but only from sources
0..K-1, and extrapolate the time to all n sources (a full run on 5,000 nodes takes many minutes).
K = 0 (default) runs nx.betweenness_centrality itself.
Prints JSON: {"networkx": version, "sources": K or n, "seconds": measured, "secondsAllSources": extrapolated,
"sums": per-node sum of dependencies over the sources run (unscaled)}.
"""
import json
import sys
import time

import networkx as nx


def main():
    path = sys.argv[1]
    k = 0
    if "--sources" in sys.argv:
        k = int(sys.argv[sys.argv.index("--sources") + 1])
    with open(path) as f:
        n = int(f.readline())
        g = nx.Graph()
        g.add_nodes_from(range(n))
        g.add_edges_from(tuple(map(int, line.split()[:2])) for line in f if line.strip())
    if k <= 0 or k >= n:
        start = time.perf_counter()
        raw = nx.betweenness_centrality(g, normalized=False)
        seconds = time.perf_counter() - start
        # normalized=False halves the sums for undirected graphs: undo it so the output is comparable.
        sums = [2.0 * raw[v] for v in range(n)]
        k = n
        total = seconds
    else:
        # The same two steps betweenness_centrality runs for each source (networkx 2.x and 3.x).
        from networkx.algorithms.centrality.betweenness import (
            _accumulate_basic, _single_source_shortest_path_basic)
        sums_dict = dict.fromkeys(g, 0.0)
        start = time.perf_counter()
        for s in range(k):
            S, P, sigma, _ = _single_source_shortest_path_basic(g, s)
            sums_dict, _ = _accumulate_basic(sums_dict, S, P, sigma, s)
        seconds = time.perf_counter() - start
        sums = [sums_dict[v] for v in range(n)]
        total = seconds * n / k
    json.dump({"networkx": nx.__version__, "sources": k, "seconds": seconds, "secondsAllSources": total,
               "sums": sums}, sys.stdout)


if __name__ == "__main__":
    main()
