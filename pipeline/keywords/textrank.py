"""TextRank keywords: a window co-occurrence graph over the run's tokens + networkx.pagerank."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer

from ..topics.units import identity
from .ranking import top_rows


def window_edges(
    token_ids: np.ndarray, sentence_ids: np.ndarray, group_ids: np.ndarray, window: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Unique undirected edges (group, lo, hi, weight) of terms at most ``window - 1`` apart.

    Pairs never cross a sentence boundary, and a term is never linked to itself; the weight is
    how many times the pair occurred. Arrays are aligned token positions.

    Example::

        >>> window_edges(np.array([0, 1, 2]), np.zeros(3, int), np.zeros(3, int), 2)[1:]
        (array([0, 1]), array([1, 2]), array([1, 1]))
    """
    n_terms = int(token_ids.max()) + 1 if len(token_ids) else 1
    keys = []
    for offset in range(1, window):
        same = sentence_ids[offset:] == sentence_ids[:-offset]
        a, b = token_ids[:-offset][same], token_ids[offset:][same]
        group = group_ids[offset:][same]
        keep = a != b
        lo, hi = np.minimum(a, b)[keep], np.maximum(a, b)[keep]
        keys.append((group[keep].astype(np.int64) * n_terms + lo) * n_terms + hi)
    unique, weight = np.unique(
        np.concatenate(keys) if keys else np.array([], np.int64), return_counts=True
    )
    group, rest = np.divmod(unique, n_terms * n_terms)
    lo, hi = np.divmod(rest, n_terms)
    return group, lo, hi, weight


def pagerank_scores(
    lo: np.ndarray, hi: np.ndarray, weight: np.ndarray, *, tol: float = 1e-6, max_iter: int = 100
) -> dict[int, float]:
    """networkx.pagerank of one weighted undirected graph, edges added in sorted order.

    Example::

        >>> sorted(pagerank_scores(np.array([0, 0]), np.array([1, 2]), np.array([1, 1])))
        [0, 1, 2]
    """
    graph = nx.Graph()
    graph.add_weighted_edges_from(zip(lo.tolist(), hi.tolist(), weight.tolist(), strict=True))
    return nx.pagerank(graph, weight="weight", tol=tol, max_iter=max_iter)


def _document_scores(
    group: np.ndarray, lo: np.ndarray, hi: np.ndarray, weight: np.ndarray, shape: tuple[int, int]
) -> sparse.csr_matrix:
    """PageRank of each document's own graph, as a (documents x terms) matrix.

    All document graphs are ranked in ONE networkx.pagerank call on their disjoint union (node
    = document * terms + term). With uniform teleport and no dangling node (every node has an
    edge), the union's stationary vector restricted to one document is that document's own
    PageRank times n_doc / n_all, so renormalising per document gives exactly the per-document
    result; ``tol`` is tightened by (smallest graph / all nodes)^2 so that every document still
    meets networkx's default precision.
    """
    n_terms = shape[1]
    nodes = np.unique(np.concatenate([group * n_terms + lo, group * n_terms + hi]))
    if not len(nodes):
        return sparse.csr_matrix(shape)
    per_doc = np.bincount(nodes // n_terms, minlength=shape[0])
    tol = 1e-6 * (per_doc[per_doc > 0].min() / len(nodes)) ** 2
    scores = pagerank_scores(
        group * n_terms + lo, group * n_terms + hi, weight, tol=tol, max_iter=1000
    )
    keys = np.fromiter(scores.keys(), dtype=np.int64, count=len(scores))
    values = np.fromiter(scores.values(), dtype=float, count=len(scores))
    rows, cols = np.divmod(keys, n_terms)
    values /= np.bincount(rows, weights=values, minlength=shape[0])[rows]
    return sparse.csr_matrix((values, (rows, cols)), shape=shape)


def _corpus_scores(
    lo: np.ndarray, hi: np.ndarray, weight: np.ndarray, n_terms: int
) -> sparse.csr_matrix:
    """PageRank of the corpus graph (edge weights summed over documents), as a 1 x terms row."""
    unique, inverse = np.unique(lo * n_terms + hi, return_inverse=True)
    if not len(unique):
        return sparse.csr_matrix((1, n_terms))
    summed = np.bincount(inverse, weights=weight)
    scores = pagerank_scores(*np.divmod(unique, n_terms), summed)
    cols = list(scores.keys())
    return sparse.csr_matrix((list(scores.values()), ([0] * len(cols), cols)), shape=(1, n_terms))


def textrank_keywords(
    sentences: pd.DataFrame,
    *,
    fit_ids: pd.Index | None = None,
    window: int = 5,
    top_n: int = 20,
) -> pd.DataFrame:
    """TextRank per document and for the corpus over ``sentences.tokens`` (in sent_id order).

    Terms are linked when they occur fewer than ``window`` tokens apart in one sentence;
    a term that never co-occurs gets no TextRank score. The corpus graph sums the edges of the
    documents in ``fit_ids`` (default all). Returns ``scope, key, method, rank, term, score, z,
    count`` rows.

    Example::

        >>> s = pd.DataFrame({"doc_id": ["a"], "sent_id": ["a:0000"],
        ...                   "tokens": [["两张皮", "考核机制", "党务干部"]]})
        >>> textrank_keywords(s, window=2, top_n=1)["term"].tolist()
        ['考核机制', '考核机制']
    """
    ordered = sentences.sort_values("sent_id", kind="stable")
    ordered = ordered[ordered["tokens"].map(len) > 0]
    if ordered.empty:
        return top_rows(np.zeros((0, 0)), np.zeros((0, 0)), np.array([]), [], top_n)
    vectorizer = CountVectorizer(analyzer=identity, lowercase=False).fit(ordered["tokens"])
    vocab = vectorizer.get_feature_names_out()
    doc_codes, doc_keys = pd.factorize(ordered["doc_id"], sort=True)
    lengths = ordered["tokens"].map(len).to_numpy()
    token_ids = pd.Index(vocab).get_indexer(np.concatenate(ordered["tokens"].to_numpy()))
    groups = np.repeat(doc_codes, lengths)
    sent_pos = np.repeat(np.arange(len(ordered)), lengths)
    group, lo, hi, weight = window_edges(token_ids, sent_pos, groups, window)

    shape = (len(doc_keys), len(vocab))
    counts = sparse.csr_matrix((np.ones(len(token_ids)), (groups, token_ids)), shape=shape)
    doc_scores = _document_scores(group, lo, hi, weight, shape)
    per_doc = top_rows(doc_scores, counts, vocab, list(doc_keys), top_n)

    fitted = np.flatnonzero(doc_keys.isin(doc_keys if fit_ids is None else fit_ids))
    in_fit = np.isin(group, fitted)
    corpus_scores = _corpus_scores(lo[in_fit], hi[in_fit], weight[in_fit], len(vocab))
    corpus_counts = sparse.csr_matrix(counts[fitted].sum(axis=0))
    corpus = top_rows(corpus_scores, corpus_counts, vocab, ["corpus"], top_n)
    return pd.concat(
        [per_doc.assign(scope="document"), corpus.assign(scope="corpus")], ignore_index=True
    ).assign(method="textrank")
