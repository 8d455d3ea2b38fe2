"""Communities (Louvain) and centralities of the term graph."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd


def term_graph(node_ids: np.ndarray, edges: pd.DataFrame) -> nx.Graph:
    """Undirected graph with nodes and edges inserted in sorted order (for reproducibility).

    ``edges`` has ``source, target, weight`` (node ids).

    Example::

        >>> g = term_graph(np.array([0, 1]), pd.DataFrame({"source": [0], "target": [1], "weight": [0.5]}))
        >>> g[0][1]["weight"]
        0.5
    """
    graph = nx.Graph()
    graph.add_nodes_from(sorted(int(n) for n in node_ids))
    ordered = edges.sort_values(["source", "target"], kind="stable")
    graph.add_weighted_edges_from(
        zip(
            ordered["source"].tolist(),
            ordered["target"].tolist(),
            ordered["weight"].tolist(),
            strict=True,
        )
    )
    return graph


def communities(graph: nx.Graph, *, seed: int = 42) -> dict[int, int]:
    """Louvain communities (weight='weight', fixed seed), numbered 0 = largest; -1 = no edge.

    Equal sizes are ordered by their smallest node id.

    Example::

        >>> g = nx.Graph([(0, 1), (2, 3)]); g.add_node(4)
        >>> communities(g, seed=42)
        {0: 0, 1: 0, 2: 1, 3: 1, 4: -1}
    """
    isolated = [n for n in graph.nodes if graph.degree(n) == 0]
    linked = graph.subgraph(n for n in graph.nodes if graph.degree(n) > 0)
    found = nx.community.louvain_communities(linked, weight="weight", seed=seed)
    ordered = sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))
    labels = {node: label for label, members in enumerate(ordered) for node in members}
    return {**labels, **dict.fromkeys(isolated, -1)}


def centralities(graph: nx.Graph) -> pd.DataFrame:
    """Per node: ``degree``, ``strength`` (weighted degree), ``pagerank``, ``betweenness``.

    Betweenness counts hops (unweighted), normalised to 0..1.

    Example::

        >>> centralities(nx.path_graph(3))["betweenness"].tolist()
        [0.0, 1.0, 0.0]
    """
    nodes = sorted(graph.nodes)
    pagerank = nx.pagerank(graph, weight="weight") if graph.number_of_edges() else {}
    between = nx.betweenness_centrality(graph, normalized=True)
    return pd.DataFrame(
        {
            "node_id": nodes,
            "degree": [graph.degree(n) for n in nodes],
            "strength": [float(graph.degree(n, weight="weight")) for n in nodes],
            "pagerank": [float(pagerank.get(n, 0.0)) for n in nodes],
            "betweenness": [float(between[n]) for n in nodes],
        }
    )
