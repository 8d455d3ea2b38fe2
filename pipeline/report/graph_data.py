"""Preparing graph_nodes / graph_edges for drawing: pruning, community buckets, initial layout."""

from __future__ import annotations

from typing import NamedTuple

import networkx as nx
import pandas as pd

from pipeline.report.escape import clean_text

PAGERANK_COLUMNS = ("pagerank", "pagerank_centrality", "pr")
DEGREE_COLUMNS = ("degree_centrality", "degree")
WEIGHT_COLUMNS = ("weight", "npmi", "count")


class PrunedGraph(NamedTuple):
    """The nodes and edges that will be drawn, plus how many there were before pruning."""

    nodes: pd.DataFrame
    edges: pd.DataFrame
    n_nodes_total: int
    n_edges_total: int


def first_column(df: pd.DataFrame, names: tuple[str, ...]) -> str | None:
    """The first of ``names`` that is a column of ``df``, else None.

    Example::

        >>> first_column(pd.DataFrame({"pagerank": [0.1]}), PAGERANK_COLUMNS)
        'pagerank'
    """
    return next((name for name in names if name in df.columns), None)


def _check_columns(df: pd.DataFrame, needed: tuple[str, ...], table: str) -> None:
    missing = [c for c in needed if c not in df.columns]
    if missing:
        raise KeyError(
            f"table {table} lacks columns {missing} (has {list(df.columns)}); "
            "it must follow the graph table contract"
        )


def prune_graph(
    nodes: pd.DataFrame, edges: pd.DataFrame, *, max_nodes: int = 500, max_edges: int | None = None
) -> PrunedGraph:
    """Keep the ``max_nodes`` most frequent terms (ties: PageRank, node_id) and their strongest edges.

    Terms are cleaned and made unique (the map links nodes by name); edges are limited to
    ``max_edges`` (default: 8 per drawn node, at most ``5 * max_nodes``) by weight so large graphs stay responsive.

    Example::

        >>> n = pd.DataFrame({"node_id": [0, 1, 2], "term": ["党建", "业务", "融合"], "freq": [9, 5, 1]})
        >>> e = pd.DataFrame({"source": [0, 1], "target": [1, 2], "weight": [0.5, 0.3]})
        >>> prune_graph(n, e, max_nodes=2).nodes["term"].tolist()
        ['党建', '业务']
    """
    _check_columns(nodes, ("node_id", "term", "freq"), "graph_nodes")
    _check_columns(edges, ("source", "target"), "graph_edges")
    ranked = nodes.assign(term=[clean_text(t) for t in nodes["term"]])
    keys, ascending = ["freq"], [False]
    pagerank = first_column(ranked, PAGERANK_COLUMNS)
    if pagerank:
        keys, ascending = keys + [pagerank], ascending + [False]
    ranked = ranked.sort_values(keys + ["node_id"], ascending=ascending + [True], kind="mergesort")
    ranked = ranked[ranked["term"] != ""].drop_duplicates("term", keep="first")
    kept = ranked.head(max_nodes).reset_index(drop=True)
    if max_edges is None:
        max_edges = min(5 * max_nodes, 8 * len(kept))
    ids = set(kept["node_id"].tolist())
    weight = first_column(edges, WEIGHT_COLUMNS)
    inside = edges[edges["source"].isin(ids) & edges["target"].isin(ids)]
    if weight:
        inside = inside.sort_values(
            [weight, "source", "target"], ascending=[False, True, True], kind="mergesort"
        )
    else:
        inside = inside.sort_values(["source", "target"], kind="mergesort")
    return PrunedGraph(kept, inside.head(max_edges).reset_index(drop=True), len(nodes), len(edges))


def initial_layout(
    nodes: pd.DataFrame, edges: pd.DataFrame, *, seed: int = 42, width: float = 1000.0
) -> dict[int, tuple[float, float]]:
    """Seeded spring layout (networkx) used as the force layout's starting positions.

    Starting from it the browser's force layout settles quickly and the same tables always
    start from the same picture.

    Example::

        >>> n = pd.DataFrame({"node_id": [0, 1]})
        >>> e = pd.DataFrame({"source": [0], "target": [1], "weight": [1.0]})
        >>> sorted(initial_layout(n, e, seed=42))
        [0, 1]
    """
    graph = nx.Graph()
    graph.add_nodes_from(sorted(int(i) for i in nodes["node_id"]))
    weight = first_column(edges, WEIGHT_COLUMNS)
    for row in edges.itertuples(index=False):
        w = float(getattr(row, weight)) if weight else 1.0
        graph.add_edge(int(row.source), int(row.target), weight=max(w, 1e-6))
    if graph.number_of_nodes() == 0:
        return {}
    pos = nx.spring_layout(
        graph, seed=seed, weight="weight", scale=width / 2, center=(0, 0), method="force"
    )
    return {int(k): (round(float(x), 1), round(float(y), 1)) for k, (x, y) in pos.items()}


def community_buckets(nodes: pd.DataFrame, *, max_communities: int = 11) -> dict[int, int]:
    """Map each community id to a legend category: the largest ones keep their own, the rest share one.

    Communities are ordered by how many of the drawn nodes they hold (ties: community id), so
    category 0 is the biggest; category ``max_communities`` is "其他社区".

    Example::

        >>> community_buckets(pd.DataFrame({"community": [3, 3, 0, 7]}), max_communities=1)
        {3: 0, 0: 1, 7: 1}
    """
    sizes = nodes["community"].astype(int).value_counts()
    order = sorted(sizes.index.tolist(), key=lambda c: (-int(sizes[c]), c))
    return {int(c): min(i, max_communities) for i, c in enumerate(order)}
