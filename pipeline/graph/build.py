"""The graph stage: a readable term co-occurrence backbone with communities and role profiles."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from scipy import sparse

from ..keywords.analysed import analysed_index, run_counts
from ..tokens import TokenIndex
from ..topics.profiles import role_onehot, role_profile
from ..topics.units import ROLES
from .communities import centralities, communities, term_graph
from .cooccurrence import backbone_edges, incidence, select_nodes
from .mentions import mention_role_mass, problem_mentions
from .views import node_roles

SHARES = [f"share_{role}" for role in ROLES]
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
    *SHARES,
    "dominant_role",
    *(f"sent_{name}" for name in SHARES),
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
    priority_terms: Iterable[str] = (),
    index: TokenIndex | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Term co-occurrence graph: ``(graph_nodes, graph_edges)``.

    Nodes are at most ``max_nodes`` terms found in at least ``min_count`` units: first the
    ``priority_terms`` (the run passes the curated lexicon words and the accepted discovered
    terms), then the terms found in most units. Edges join terms co-occurring in at least
    ``min_count`` units with positive NPMI, pruned to each node's ``top_edges`` strongest; a
    priority node left without any such edge keeps its 2 strongest pairs seen in at least 2
    units instead. A node may still be left without edges: it keeps its row, with community
    -1, so its role profile and sentences stay available. Sentences of duplicate documents are
    left out when ``documents`` is given. ``index`` is the TokenIndex of the whole
    ``sentences.tokens`` when the caller has it (built here otherwise).

    graph_nodes: node_id (0.. by falling freq, then term), term, freq (units containing the
    term), n_docs, community (Louvain, 0 = largest, -1 = no edge), degree, strength, pagerank,
    betweenness; share_<role>: the term's role profile over its *mentions* (see
    :mod:`pipeline.graph.mentions`: a mention framed as a problem, as in 破解“两张皮”问题, counts
    as 'problem' whatever its sentence's role; every other mention counts with its sentence's
    role; each sentence containing the term weighs 1); dominant_role: the role with the largest
    lift of share_<role> over the corpus mix, i.e. the role mix of all mentions of all terms;
    sent_share_<role>: the plain share of the sentences containing the term that have the role
    (for transparency); sent_ids: every sentence containing the term, sorted.
    graph_edges: source, target (node ids, source < target), source_term, target_term, count,
    pmi, npmi, weight (= npmi; used by Louvain and PageRank).

    Example::

        >>> nodes, edges = build_graph(sentences, priority_terms=["考核机制"])   # 共现网络
        >>> nodes.set_index("term").loc["两张皮", "dominant_role"]
        'problem'
    """
    rows, index = analysed_index(sentences, documents, index=index)
    if not len(index.codes):
        raise ValueError("no sentence has tokens; run the segment stage (it fills `tokens`) first")
    columns = ["doc_id", "sent_id", "role"]
    columns += ["section_id", "claim_index"] if unit == "claim" else []
    frame = sentences[columns].take(rows).reset_index(drop=True)
    every = run_counts(index, binary=True)
    matrix, vocab = incidence(frame, every, unit=unit), index.vocab
    freq = np.asarray(matrix.sum(axis=0)).ravel()
    priority = np.isin(vocab, sorted(set(priority_terms)))
    chosen = select_nodes(freq, vocab, min_count=min_count, max_nodes=max_nodes, priority=priority)
    edges = backbone_edges(
        matrix[:, chosen],
        min_count=min_count,
        top_edges=top_edges,
        anchored=np.flatnonzero(priority[chosen]),
    )
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
    texts = sentences["text"].take(rows)
    nodes = _sentence_facts(nodes, frame, texts, every, vocab, chosen)
    nodes["community"] = nodes["node_id"].map(communities(graph, seed=seed)).astype("int64")
    nodes = nodes.merge(centralities(graph), on="node_id")
    return nodes[NODE_COLUMNS], edges[EDGE_COLUMNS]


def _sentence_facts(
    nodes: pd.DataFrame,
    rows: pd.DataFrame,
    texts: pd.Series,
    every: sparse.csr_matrix,
    vocab: np.ndarray,
    chosen: np.ndarray,
) -> pd.DataFrame:
    """n_docs, mention- and sentence-role profiles and sorted sent_ids of every node term.

    ``every`` is the binary (sentences x vocab) incidence of ``rows``, ``texts`` their texts.
    """
    onehot = role_onehot(rows["role"].to_numpy())
    framed = problem_mentions(texts, every, vocab)
    mass = mention_role_mass(every, framed, onehot, ROLES.index("problem"))
    total = mass.sum(axis=0)
    roles = role_profile(mass[chosen], total / total.sum() if total.sum() else np.ones(len(ROLES)))
    marks = every[:, chosen].tocsc()
    plain = node_roles(marks, rows["role"])[SHARES].add_prefix("sent_")
    doc_codes = pd.factorize(rows["doc_id"], sort=True)[0]
    found = [marks.indices[marks.indptr[j] : marks.indptr[j + 1]] for j in range(marks.shape[1])]
    used = np.unique(marks.indices)  # only these sentences' ids are needed
    sent_ids = rows["sent_id"].take(used).to_numpy()
    out = nodes.copy()
    out["n_docs"] = [len(np.unique(doc_codes[f])) for f in found]
    out["sent_ids"] = [sorted(sent_ids[np.searchsorted(used, f)].tolist()) for f in found]
    return pd.concat([out, roles, plain], axis=1)
