"""The graph stage: a readable term co-occurrence backbone with communities and role profiles."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..topics.units import analysed_sentences
from .communities import centralities, communities, term_graph
from .cooccurrence import backbone_edges, incidence, select_nodes
from .views import node_roles, term_incidence

NODE_COLUMNS = [
    "node_id",
    "term",
    "freq",
    "n_docs",
    "community",
    "degree",
    "strength",
    "pagerank",
    "betweenness",
    "share_achievement",
    "share_problem",
    "share_cause",
    "share_countermeasure",
    "share_other",
    "dominant_role",
    "sent_ids",
]
EDGE_COLUMNS = ["source", "target", "source_term", "target_term", "count", "pmi", "npmi", "weight"]


def build_graph(
    sentences: pd.DataFrame,
    *,
    unit: str = "sentence",
    min_count: int = 3,
    top_edges: int = 8,
    max_nodes: int = 300,
    seed: int = 42,
    documents: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Term co-occurrence graph: ``(graph_nodes, graph_edges)``.

    Nodes are the ``max_nodes`` terms found in most units (at least ``min_count``); edges join
    terms co-occurring in at least ``min_count`` units with positive NPMI, pruned to each node's
    ``top_edges`` strongest (a node may be left without edges: it keeps its row, with community
    -1, so its role profile and sentences stay available). Sentences of duplicate
    documents are left out when ``documents`` is given.

    graph_nodes: node_id (0.. by falling freq, then term), term, freq (units containing the
    term), n_docs, community (Louvain, 0 = largest, -1 = no edge), degree, strength, pagerank, betweenness,
    share_<role> (share of the sentences containing the term), dominant_role (largest lift over
    the corpus role mix), sent_ids (every sentence containing the term, sorted).
    graph_edges: source, target (node ids, source < target), source_term, target_term, count,
    pmi, npmi, weight (= npmi; used by Louvain and PageRank).

    Example::

        >>> nodes, edges = build_graph(sentences, min_count=3)           # 共现网络
        >>> nodes.set_index("term").loc["两张皮", ["share_problem", "share_cause"]].sum() > 0.4
        True
    """
    rows = analysed_sentences(sentences, documents)
    matrix, vocab, _ = incidence(rows, unit=unit)
    freq = np.asarray(matrix.sum(axis=0)).ravel()
    chosen = select_nodes(freq, vocab, min_count=min_count, max_nodes=max_nodes)
    edges = backbone_edges(matrix[:, chosen], min_count=min_count, top_edges=top_edges)
    terms = vocab[chosen].astype(str)
    edges = pd.DataFrame(
        {
            "source": edges["a"].to_numpy(),
            "target": edges["b"].to_numpy(),
            "count": edges["count"].to_numpy(),
            "pmi": edges["pmi"].to_numpy(),
            "npmi": edges["npmi"].to_numpy(),
            "weight": edges["weight"].to_numpy(),
        }
    ).sort_values(["source", "target"], kind="stable", ignore_index=True)
    edges.insert(2, "source_term", terms[edges["source"]])
    edges.insert(3, "target_term", terms[edges["target"]])

    graph = term_graph(np.arange(len(terms)), edges)
    nodes = pd.DataFrame({"node_id": np.arange(len(terms)), "term": terms, "freq": freq[chosen]})
    nodes = _sentence_facts(nodes, rows)
    nodes["community"] = nodes["node_id"].map(communities(graph, seed=seed)).astype("int64")
    nodes = nodes.merge(centralities(graph), on="node_id")
    return nodes[NODE_COLUMNS], edges[EDGE_COLUMNS]


def _sentence_facts(nodes: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """n_docs, role shares and sorted sent_ids of every node term, from sentence incidence."""
    marks = term_incidence(rows, nodes["term"].tolist()).tocsc()
    roles = node_roles(marks, rows["role"])
    doc_codes = pd.factorize(rows["doc_id"], sort=True)[0]
    sent_ids = rows["sent_id"].to_numpy()
    found = [marks.indices[marks.indptr[j] : marks.indptr[j + 1]] for j in range(marks.shape[1])]
    out = nodes.copy()
    out["n_docs"] = [len(np.unique(doc_codes[f])) for f in found]
    out["sent_ids"] = [sorted(sent_ids[f].tolist()) for f in found]
    return pd.concat([out, roles], axis=1)
