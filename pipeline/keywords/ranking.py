"""Turn a (keys x terms) score matrix into ranked top-n keyword rows."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import sparse

COLUMNS = ["scope", "key", "method", "rank", "term", "score", "z", "count"]


Entries = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # row, column, score, rank


def top_rows(
    scores: sparse.spmatrix | np.ndarray,
    counts: sparse.spmatrix | np.ndarray,
    vocab: np.ndarray,
    keys: Sequence[str],
    top_n: int,
) -> pd.DataFrame:
    """The ``top_n`` positive scores of each row, ties broken by term; columns key..count.

    ``vocab`` must be sorted (as scikit-learn vectorizers give it) so that column order is term
    order. ``z`` is NaN (these methods have no z-score).

    Example::

        >>> top_rows(np.array([[0.2, 0.7]]), np.array([[1, 3]]), np.array(["两张皮", "党务干部"]),
        ...          ["a"], 1)["term"].tolist()
        ['党务干部']
    """
    return entry_rows(top_entries(scores, top_n), counts, vocab, keys)


CHUNK = 1_000_000  # non-zeros per sort in top_entries


def top_entries(scores: sparse.spmatrix | np.ndarray, top_n: int) -> Entries:
    """``(row, column, score, rank)`` of the ``top_n`` positive scores of each row.

    Sorted by row, then score descending, then column (= term, ``vocab`` being sorted). A CSR
    matrix is ranked in blocks of rows of about ``CHUNK`` non-zeros (rows are independent), so
    the sort's working memory stays bounded.

    Example::

        >>> top_entries(np.array([[0.2, 0.7, 0.7]]), 2)[1]       # 并列时按词序
        array([1, 2], dtype=int32)
    """
    if not sparse.issparse(scores) or scores.format != "csr" or scores.nnz <= CHUNK:
        return _top_entries(sparse.coo_matrix(scores), top_n)
    cuts = np.searchsorted(scores.indptr, np.arange(0, scores.nnz, CHUNK), side="right") - 1
    bounds = np.unique(np.r_[cuts, scores.shape[0]])
    parts = []
    for start, stop in zip(bounds[:-1], bounds[1:], strict=True):
        row, col, score, rank = _top_entries(sparse.coo_matrix(scores[start:stop]), top_n)
        parts.append((row + start, col, score, rank))
    return tuple(np.concatenate(column) for column in zip(*parts, strict=True))


def _top_entries(s: sparse.coo_matrix, top_n: int) -> Entries:
    positive = s.data > 0
    row, col, score = s.row[positive], s.col[positive], s.data[positive].astype(float)
    # Row ascending, score descending, column (= term) ascending; arrays, not a DataFrame:
    # at 100 MB the score matrices hold tens of millions of non-zeros. Entries in (row, column)
    # order (as from CSR) need one stable sort by (row, -score): complex numbers sort by real,
    # then imaginary part, and that is 4 times as fast as np.lexsort((col, -score, row)).
    if not _row_major(row, col):
        order = np.lexsort((col, row))
        row, col, score = row[order], col[order], score[order]
    order = np.argsort(row - 1j * score, kind="stable")
    row, col, score = row[order], col[order], score[order]
    first = np.r_[0, np.flatnonzero(np.diff(row)) + 1] if len(row) else np.array([], int)
    position = np.arange(len(row)) - np.repeat(first, np.diff(np.r_[first, len(row)]))
    keep = position < top_n
    return row[keep], col[keep], score[keep], position[keep] + 1


def _row_major(row: np.ndarray, col: np.ndarray) -> bool:
    """Whether the entries are sorted by row, then column, without repeats."""
    same = row[1:] == row[:-1]
    return bool(((row[1:] > row[:-1]) | (same & (col[1:] > col[:-1]))).all())


def entry_rows(
    entries: Entries,
    counts: sparse.spmatrix | np.ndarray,
    vocab: np.ndarray,
    keys: Sequence[str],
) -> pd.DataFrame:
    """Keyword rows ``key, rank, term, score, z, count`` of :func:`top_entries` output.

    ``count`` is the entry of ``counts`` (same shape as the scores) at each row and column.

    Example::

        >>> entries = (np.array([0]), np.array([1]), np.array([0.7]), np.array([1]))
        >>> entry_rows(entries, np.array([[1, 3]]), np.array(["两张皮", "党务干部"]), ["a"])[
        ...     ["key", "term", "count"]].values.tolist()
        [['a', '党务干部', 3]]
    """
    rows, cols, score, rank = entries
    count = np.asarray(sparse.csr_matrix(counts)[rows, cols]).ravel() if len(rows) else []
    return pd.DataFrame(
        {
            "key": np.asarray(keys, dtype=object)[rows] if len(rows) else [],
            "rank": rank,
            "term": np.asarray(vocab, dtype=object)[cols] if len(rows) else [],
            "score": score,
            "z": np.nan,
            "count": np.asarray(count, dtype=np.int64),
        }
    )
