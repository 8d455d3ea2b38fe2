"""TextRank keywords: window co-occurrence graphs over the run's tokens, ranked by PageRank."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import networkx as nx
import numpy as np
import pandas as pd
from scipy import sparse

from ..tokens import TokenIndex
from .analysed import run_counts
from .ranking import entry_rows, top_entries, top_rows


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
    how many times the pair occurred. Arrays are aligned token positions. Edges come sorted by
    (group, lo, hi).

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
    unique, weight = _unique(np.concatenate(keys) if keys else np.array([], np.int64))
    group, rest = np.divmod(unique, n_terms * n_terms)
    lo, hi = np.divmod(rest, n_terms)
    return group, lo, hi, weight


def _unique(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(keys, return_counts=True)`` of integer keys through a stable sort.

    Same result; twice as fast on the keys here, which come in runs sorted by group (the
    stable sort, timsort, uses the runs; np.unique's quicksort does not).
    """
    ordered = np.sort(keys, kind="stable")
    first = np.flatnonzero(_new_values(ordered))
    return ordered[first], np.diff(first, append=len(keys)).astype(np.int64)


def _running_count(flags: np.ndarray) -> np.ndarray:
    """``np.cumsum(flags)`` of a boolean array, as int32 (several times faster)."""
    return np.add.accumulate(flags.view(np.int8), dtype=np.int32)


def _new_values(ordered: np.ndarray) -> np.ndarray:
    """Where a sorted array takes a new value (True at 0)."""
    new = np.empty(len(ordered), dtype=bool)
    new[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=new[1:])
    return new


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
    scores sum to 1; rows come sorted by (block, node). The iteration is networkx's
    ``_pagerank_scipy`` (uniform teleport, weights normalised by strength; no dangling nodes,
    since nodes come from edges) run on the block-diagonal matrix, with teleport and the
    convergence test (L1 change < nodes x ``tol``) taken per graph, so each graph gets what
    ``networkx.pagerank`` gives for it alone, up to ``tol``. Why not networkx.pagerank itself:
    on 5 MB (3,044 document graphs, 1.1 M edges) ranking the documents took 7.6 s through one
    networkx graph, almost all of it building the dict-of-dicts graph and converting it back to
    scipy inside pagerank, 8.6 s through nx.from_scipy_sparse_array, and 0.2 s here. Raises
    ``networkx.PowerIterationFailedConvergence`` after ``max_iter`` iterations.

    Example::

        >>> block_pagerank(np.array([0, 0]), np.array([0, 0]), np.array([1, 2]), np.ones(2),
        ...                n_nodes=3)[2].round(3)               # 星形图: 中心词得分最高
        array([0.486, 0.257, 0.257])
    """
    block = np.asarray(block, dtype=np.int64)
    ends = np.concatenate([block * n_nodes + lo, block * n_nodes + hi])
    order = np.argsort(ends, kind="stable")  # np.unique(ends, return_inverse=True), faster
    ordered = ends[order]
    new = _new_values(ordered)
    keys = ordered[new]
    inverse = np.empty(len(ends), dtype=np.int32)
    inverse[order] = _running_count(new) - 1
    del ends, ordered, new
    matrix = _adjacency(inverse[: len(lo)], inverse[len(lo) :], order, weight, len(keys))
    del inverse, order
    walk = (matrix @ sparse.diags(1.0 / np.asarray(matrix.sum(axis=0)).ravel())).tocsr()
    del matrix
    node_block, node = np.divmod(keys, n_nodes)
    codes = _running_count(_new_values(node_block)) - 1  # keys are sorted: blocks contiguous
    return node_block, node, _power_iteration(walk, codes, alpha, tol, max_iter)


def _adjacency(
    a: np.ndarray, b: np.ndarray, order: np.ndarray, weight: np.ndarray, n: int
) -> sparse.csr_matrix:
    """The symmetric (n x n) weight matrix of edges ``a[i] - b[i]`` in canonical CSR form.

    ``order`` is the stable argsort of the ends ``[a-keys, b-keys]``. When the edges come
    sorted by (a, b) with a < b, as from :func:`window_edges`, the matrix is laid out directly
    (upper triangle in edge order, lower triangle in ``order``); otherwise through COO, which
    also adds up repeated edges. Either way the same canonical matrix, so the same sums.
    """
    values = np.asarray(weight).astype(float)
    sorted_edges = bool(
        (a < b).all() and ((a[1:] > a[:-1]) | ((a[1:] == a[:-1]) & (b[1:] > b[:-1]))).all()
    )
    if not sorted_edges:
        return sparse.csr_matrix((np.r_[values, values], (np.r_[a, b], np.r_[b, a])), shape=(n, n))
    lower = order[order >= len(a)] - len(a)  # edges by (b, a): the lower triangle's order
    n_lower = np.bincount(b, minlength=n)
    n_upper = np.bincount(a, minlength=n)
    indptr = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(n_lower + n_upper, out=indptr[1:])
    first_upper = np.cumsum(n_upper) - n_upper  # edge index of each row's first upper entry
    first_lower = np.cumsum(n_lower) - n_lower
    upper_at = indptr[a] + n_lower[a] + np.arange(len(a)) - first_upper[a]
    lower_at = indptr[b[lower]] + np.arange(len(a)) - first_lower[b[lower]]
    indices = np.empty(2 * len(a), dtype=np.int32)
    data = np.empty(2 * len(a))
    indices[upper_at], data[upper_at] = b, values
    indices[lower_at], data[lower_at] = a[lower], values[lower]
    matrix = sparse.csr_matrix((data, indices, indptr), shape=(n, n))
    matrix.has_sorted_indices = True
    return matrix


def _power_iteration(
    walk: sparse.csr_matrix, codes: np.ndarray, alpha: float, tol: float, max_iter: int
) -> np.ndarray:
    """x <- alpha walk x + (1 - alpha) teleport until every graph's L1 change < nodes x tol.

    The graphs are independent, so the rows are iterated in parts of whole graphs small enough
    for a core's cache (twice as fast as streaming the whole matrix every iteration). Each part
    first runs until all its graphs pass; the whole stops at the first iteration, from the
    latest of those on, at which every part passes: the iteration a single pass over all rows
    stops at, with the same figures.
    """
    parts = [_Part(walk, codes, rows, alpha, tol) for rows in _row_parts(walk, codes)]
    k = max((part.converge(max_iter) for part in parts), default=0)
    while not all([part.advance(k) for part in parts]):
        k += 1
        if k > max_iter:
            raise nx.PowerIterationFailedConvergence(max_iter)
    return np.concatenate([part.x for part in parts]) if parts else np.zeros(0)


PART_NNZ = 80_000  # non-zeros per part of the power iteration: ~1 MB, fits a core's L2 cache


def _row_parts(walk: sparse.csr_matrix, codes: np.ndarray) -> list[slice]:
    """Row ranges of whole graphs (``codes`` sorted) with about PART_NNZ non-zeros each."""
    starts = np.flatnonzero(_new_values(codes))
    cuts = _slices(walk.indptr[starts], walk.nnz, PART_NNZ)
    rows = np.searchsorted(walk.indptr, [cut.start for cut in cuts] + [walk.nnz])
    return [slice(int(a), int(b)) for a, b in zip(rows[:-1], rows[1:], strict=True)]


class _Part:
    """The power iteration of one part: rows ``rows`` of ``walk``, whole graphs only."""

    def __init__(
        self, walk: sparse.csr_matrix, codes: np.ndarray, rows: slice, alpha: float, tol: float
    ) -> None:
        first, last = walk.indptr[rows.start], walk.indptr[rows.stop]
        n = rows.stop - rows.start
        self.walk = sparse.csr_matrix(
            (
                walk.data[first:last],
                walk.indices[first:last] - rows.start,
                walk.indptr[rows.start : rows.stop + 1] - first,
            ),
            shape=(n, n),
        )
        self.codes = codes[rows] - codes[rows.start]
        sizes = np.bincount(self.codes)
        self.bounds = sizes * tol
        # The per-graph test (a bincount) runs only once the total change is below the total
        # bound (with a margin far above rounding), which it must be when every graph passes.
        self.total_bound = self.bounds.sum() * (1 + 1e-6)
        teleport = 1.0 / sizes[self.codes]
        self.alpha, self.jump = alpha, (1 - alpha) * teleport
        self.x, self.change = teleport, np.empty_like(teleport)
        self.k, self.passed = 0, False

    def step(self) -> bool:
        """One iteration; whether every graph of the part passes the convergence test."""
        last, self.x = self.x, self.walk @ self.x
        self.x *= self.alpha
        self.x += self.jump
        np.subtract(self.x, last, out=self.change)
        np.abs(self.change, out=self.change)
        self.k += 1
        self.passed = bool(
            self.change.sum() <= self.total_bound
            and (np.bincount(self.codes, self.change) < self.bounds).all()
        )
        return self.passed

    def converge(self, max_iter: int) -> int:
        """Iterate until every graph passes; the iteration that happens at."""
        while not self.step():
            if self.k >= max_iter:
                raise nx.PowerIterationFailedConvergence(max_iter)
        return self.k

    def advance(self, k: int) -> bool:
        """Iterate up to iteration ``k``; whether every graph passes there."""
        while self.k < k:
            self.step()
        return self.passed


BLOCK_TOKENS = 250_000  # token positions per block of whole documents (~700 k edges)
BLOCK_EDGES = 1_000_000  # edges per block_pagerank call (~150 bytes of working memory each)


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
        for piece in _slices(_starts(group_ids), len(group_ids), block)
    ]
    if not parts:
        return window_edges(token_ids, sentence_ids, group_ids, window)
    return tuple(np.concatenate(column) for column in zip(*parts, strict=True))


def _starts(group: np.ndarray) -> np.ndarray:
    """Positions where a new group begins in the non-decreasing ``group``."""
    return np.flatnonzero(_new_values(group))


def _slices(starts: np.ndarray, length: int, size: int) -> list[slice]:
    """Slices of ``range(length)`` of about ``size`` items, cut only at group ``starts``.

    The graphs are independent, so ranking them in batches bounds memory (one call over the
    100 MB corpus's ~50 M edges peaked at 6 GB).
    """
    slices, begin = [], 0
    while begin < length:
        after = starts[np.searchsorted(starts, begin + size, side="left") :]
        end = max(int(after[0]) if len(after) else length, begin + 1)
        slices.append(slice(begin, end))
        begin = end
    return slices


Edges = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _document_edges(index: TokenIndex, docs: np.ndarray, window: int) -> Iterator[Edges]:
    """The window edges of the documents, one block of whole documents at a time.

    The same edges, in the same order, as ``edges_by_block`` over all tokens; the token
    arrays are built per block instead of for the whole corpus.
    """
    doc_rows, lengths = _starts(docs), index.lengths()
    for piece in _slices(index.offsets[doc_rows], len(index.codes), BLOCK_TOKENS):
        first, last = np.searchsorted(index.offsets[:-1], [piece.start, piece.stop])
        edges = window_edges(
            index.codes[piece],
            np.repeat(np.arange(first, last), lengths[first:last]),
            np.repeat(docs[first:last], lengths[first:last]),
            window,
            n_terms=len(index.vocab),
        )
        yield tuple(column.astype(np.int32) for column in edges)  # half the memory of int64


def _pagerank_pieces(edges: Iterable[Edges], size: int = BLOCK_EDGES) -> Iterator[Edges]:
    """The edges, re-cut into the pieces ``_slices`` cuts the concatenated edges into.

    Each block of ``edges`` holds whole groups, so a group start inside the pending edges is
    a group start of the concatenation: pieces are cut as soon as their end is known, and at
    most one piece plus one block of edges is held at a time.
    """
    pending: list[np.ndarray] | None = None
    for block in edges:
        if pending is None:
            pending = list(block)
        else:
            pending = [np.r_[held, new] for held, new in zip(pending, block, strict=True)]
        starts = _starts(pending[0])
        while len(cut := starts[starts >= size]):
            end = max(int(cut[0]), 1)
            yield tuple(column[:end] for column in pending)
            pending = [column[end:] for column in pending]
            starts = starts[starts >= end] - end
    if pending is not None and len(pending[0]):
        yield tuple(pending)


def _corpus_scores(summed: sparse.csr_matrix) -> sparse.csr_matrix:
    """PageRank of the corpus graph (edge weights summed over documents), as a 1 x terms row.

    ``summed`` (terms x terms, upper triangle) holds the summed weights, so the graph has one
    edge per term pair instead of one per document and pair.
    """
    summed = summed.tocoo()
    order = np.lexsort((summed.col, summed.row))
    lo, hi, weight = summed.row[order], summed.col[order], summed.data[order]
    shape = (1, summed.shape[1])
    if not len(lo):
        return sparse.csr_matrix(shape)
    rows, cols, scores = block_pagerank(
        np.zeros(len(lo), np.int64), lo, hi, weight, n_nodes=shape[1]
    )
    return sparse.csr_matrix((scores, (rows, cols)), shape=shape)


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
    doc_codes, doc_keys = pd.factorize(ordered["doc_id"], sort=False)
    fit = doc_keys.isin(doc_keys if fit_ids is None else fit_ids)
    index = TokenIndex.build(ordered["tokens"])
    return textrank_rows(index, doc_codes, doc_keys.to_numpy(), fit, window=window, top_n=top_n)


def textrank_rows(
    index: TokenIndex,
    docs: np.ndarray,
    keys: np.ndarray,
    fit: np.ndarray,
    *,
    window: int = 5,
    top_n: int = 20,
    counts: sparse.csr_matrix | None = None,
) -> pd.DataFrame:
    """:func:`textrank_keywords` from the TokenIndex of the sentences in sent_id order.

    ``docs`` gives each sentence's document code (non-decreasing: a document's sentences are
    contiguous), ``keys`` the doc_id of each code and the boolean ``fit`` the documents whose
    edges make the corpus graph. ``counts`` is ``run_counts(index, docs)`` if the caller has it.

    Example::

        >>> index = TokenIndex.build([["两张皮", "考核机制", "党务干部"]])     # 一篇一句
        >>> textrank_rows(index, np.array([0]), np.array(["a"]), np.array([True]), window=2,
        ...               top_n=1)["term"].tolist()
        ['考核机制', '考核机制']
    """
    vocab = index.vocab
    docs = np.asarray(docs, dtype=np.int64)
    shape = (len(keys), len(vocab))
    counts = run_counts(index, docs, n_groups=len(keys)) if counts is None else counts
    fitted = np.asarray(fit, dtype=bool)
    summed = sparse.csr_matrix((len(vocab), len(vocab)), dtype=np.int64)
    per_doc = []
    for group, lo, hi, weight in _pagerank_pieces(_document_edges(index, docs, window)):
        rows, cols, scores = block_pagerank(group, lo, hi, weight, n_nodes=shape[1])
        per_doc.append(top_entries(sparse.coo_matrix((scores, (rows, cols)), shape=shape), top_n))
        in_fit = fitted[group]
        summed = summed + sparse.csr_matrix(
            (weight[in_fit].astype(np.int64), (lo[in_fit], hi[in_fit])), shape=summed.shape
        )
    fit_counts = counts if fitted.all() else counts[np.flatnonzero(fitted)]
    corpus_counts = sparse.csr_matrix(fit_counts.sum(axis=0))
    corpus = top_rows(_corpus_scores(summed), corpus_counts, vocab, ["corpus"], top_n)
    if per_doc:
        entries = tuple(np.concatenate(column) for column in zip(*per_doc, strict=True))
        per_doc = entry_rows(entries, counts, vocab, keys)
    else:
        per_doc = top_rows(np.zeros((0, 0)), np.zeros((0, 0)), np.array([]), [], top_n)
    return pd.concat(
        [per_doc.assign(scope="document"), corpus.assign(scope="corpus")], ignore_index=True
    ).assign(method="textrank")
