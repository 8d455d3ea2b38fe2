"""TextRank keywords: window co-occurrence graphs over the run's tokens, ranked by PageRank."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer

from ..topics.units import identity
from .ranking import top_rows


def window_edges(
    token_ids: np.ndarray,
    sentence_ids: np.ndarray,
    group_ids: np.ndarray,
    window: int,
    *,
    n_terms: int | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Unique undirected edges (group, lo, hi, weight) of terms at most ``window - 1`` apart.

    Pairs never cross a sentence boundary, and a term is never linked to itself; the weight is
    how many times the pair occurred. Arrays are aligned token positions.

    Example::

        >>> window_edges(np.array([0, 1, 2]), np.zeros(3, int), np.zeros(3, int), 2)[1:]
        (array([0, 1]), array([1, 2]), array([1, 1]))
    """
    if n_terms is None:
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


def block_pagerank(
    block: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    weight: np.ndarray,
    *,
    n_nodes: int,
    alpha: float = 0.85,
    tol: float = 1e-10,
    max_iter: int = 1000,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weighted PageRank of many disjoint undirected graphs at once: ``(block, node, score)``.

    Edge ``i`` joins ``lo[i]`` and ``hi[i]`` (``< n_nodes``) in graph ``block[i]``; repeated
    edges add their weights. Every node seen in an edge of a graph gets a score, and each graph's
    scores sum to 1. The iteration is networkx's ``_pagerank_scipy`` (uniform teleport, weights
    normalised by strength; no dangling nodes, since nodes come from edges) run on the
    block-diagonal matrix, with teleport and the convergence test (L1 change < nodes x ``tol``)
    taken per graph, so each graph gets what ``networkx.pagerank`` gives for it alone, up to
    ``tol``. Why not networkx.pagerank itself: on 5 MB (3,044 document graphs, 1.1 M edges)
    ranking the documents took 7.6 s through one networkx graph, almost all of it building the
    dict-of-dicts graph and converting it back to scipy inside pagerank, 8.6 s through
    nx.from_scipy_sparse_array, and 0.2 s here. Raises
    ``networkx.PowerIterationFailedConvergence`` after ``max_iter`` iterations.

    Example::

        >>> block_pagerank(np.array([0, 0]), np.array([0, 0]), np.array([1, 2]), np.ones(2),
        ...                n_nodes=3)[2].round(3)               # 星形图: 中心词得分最高
        array([0.486, 0.257, 0.257])
    """
    keys, inverse = np.unique(
        np.concatenate([block * n_nodes + lo, block * n_nodes + hi]), return_inverse=True
    )
    node_block, node = np.divmod(keys, n_nodes)
    a, b = inverse[: len(lo)], inverse[len(lo) :]
    values = np.concatenate([weight, weight]).astype(float)
    matrix = sparse.csr_matrix(
        (values, (np.concatenate([a, b]), np.concatenate([b, a]))), shape=(len(keys),) * 2
    )
    walk = (matrix @ sparse.diags(1.0 / np.asarray(matrix.sum(axis=0)).ravel())).tocsr()
    codes = np.unique(node_block, return_inverse=True)[1]
    sizes = np.bincount(codes)
    teleport = 1.0 / sizes[codes]
    x = teleport.copy()
    for _ in range(max_iter):
        last, x = x, alpha * (walk @ x) + (1 - alpha) * teleport
        if (np.bincount(codes, np.abs(x - last)) < sizes * tol).all():
            return node_block, node, x
    raise nx.PowerIterationFailedConvergence(max_iter)


BLOCK_TOKENS = 1_000_000  # token positions per block of whole documents in edges_by_block


def edges_by_block(
    token_ids: np.ndarray,
    sentence_ids: np.ndarray,
    group_ids: np.ndarray,
    window: int,
    *,
    block: int = BLOCK_TOKENS,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`window_edges` over blocks of whole groups (``group_ids`` non-decreasing).

    Edges never cross groups, so the blocks' edges are disjoint and their concatenation
    equals one call over everything; memory is bounded by the block instead of the corpus
    (at 100 MB one call held ~4 GB of pair keys).

    Example::

        >>> ids, docs = np.array([0, 1, 2, 0, 1]), np.array([0, 0, 0, 1, 1])
        >>> edges_by_block(ids, docs, docs, 2, block=2)[0]   # 分块
        array([0, 0, 1])
    """
    n_terms = int(token_ids.max()) + 1 if len(token_ids) else 1
    parts = [
        window_edges(
            token_ids[piece], sentence_ids[piece], group_ids[piece], window, n_terms=n_terms
        )
        for piece in _group_slices(group_ids, block)
    ]
    if not parts:
        return window_edges(token_ids, sentence_ids, group_ids, window)
    return tuple(np.concatenate(column) for column in zip(*parts, strict=True))


def _document_scores(
    group: np.ndarray, lo: np.ndarray, hi: np.ndarray, weight: np.ndarray, shape: tuple[int, int]
) -> sparse.csr_matrix:
    """PageRank of each document's own graph, as a (documents x terms) matrix."""
    if not len(lo):
        return sparse.csr_matrix(shape)
    parts = [
        block_pagerank(group[piece], lo[piece], hi[piece], weight[piece], n_nodes=shape[1])
        for piece in _group_slices(group, BLOCK_EDGES)
    ]
    rows, cols, scores = (np.concatenate(column) for column in zip(*parts, strict=True))
    return sparse.csr_matrix((scores, (rows, cols)), shape=shape)


BLOCK_EDGES = 1_000_000  # edges per block_pagerank call (~150 bytes of working memory each)


def _group_slices(group: np.ndarray, size: int) -> list[slice]:
    """Slices of ``group`` (non-decreasing) of about ``size`` items, never splitting a group.

    The graphs are independent, so ranking them in batches bounds memory (one call over the
    100 MB corpus's ~50 M edges peaked at 6 GB).
    """
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    slices, begin = [], 0
    while begin < len(group):
        after = starts[np.searchsorted(starts, begin + size, side="left") :]
        end = max(int(after[0]) if len(after) else len(group), begin + 1)
        slices.append(slice(begin, end))
        begin = end
    return slices


def _corpus_scores(
    lo: np.ndarray, hi: np.ndarray, weight: np.ndarray, n_terms: int
) -> sparse.csr_matrix:
    """PageRank of the corpus graph (edge weights summed over documents), as a 1 x terms row.

    The documents' edges are summed first (a sparse matrix adds duplicates), so the graph
    has one edge per term pair instead of one per document and pair.
    """
    summed = sparse.coo_matrix(
        (weight.astype(np.int64), (lo, hi)), shape=(n_terms, n_terms)
    ).tocsr()
    summed.sum_duplicates()
    summed = summed.tocoo()
    order = np.lexsort((summed.col, summed.row))
    lo, hi, weight = summed.row[order], summed.col[order], summed.data[order]
    return _document_scores(np.zeros(len(lo), np.int64), lo, hi, weight, (1, n_terms))


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
    ordered = sentences[["doc_id", "sent_id", "tokens"]].sort_values("sent_id", kind="stable")
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
    group, lo, hi, weight = edges_by_block(token_ids, sent_pos, groups, window)

    shape = (len(doc_keys), len(vocab))
    counts = sparse.csr_matrix(
        (np.ones(len(token_ids), np.int32), (groups, token_ids)), shape=shape
    )
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
