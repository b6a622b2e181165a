#!/usr/bin/env python3
"""Betweenness centrality of an undirected graph by networkx, for tst_attribution_network.

Input (argv[1]): first line "n", then one "a b weight" line per edge (node ids 0..n-1).
Output (stdout): JSON {"betweenness": [...], "raw": [...], "degree": [...], "weightedDegree": [...]}.
"""
import json
import sys

import networkx as nx


def main():
    with open(sys.argv[1]) as f:
        n = int(f.readline())
        g = nx.Graph()
        g.add_nodes_from(range(n))
        for line in f:
            a, b, w = line.split()
            a, b, w = int(a), int(b), float(w)
            if a == b:
                continue
            if g.has_edge(a, b):
                g[a][b]["weight"] += w
            else:
                g.add_edge(a, b, weight=w)
    normalized = nx.betweenness_centrality(g, normalized=True)
    raw = nx.betweenness_centrality(g, normalized=False)
    json.dump({"betweenness": [normalized[v] for v in range(n)],
               "raw": [raw[v] for v in range(n)],
               "degree": [g.degree(v) for v in range(n)],
               "weightedDegree": [g.degree(v, weight="weight") for v in range(n)]}, sys.stdout)


if __name__ == "__main__":
    main()
