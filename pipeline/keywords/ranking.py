"""Turn a (keys x terms) score matrix into ranked top-n keyword rows."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import sparse

COLUMNS = ["scope", "key", "method", "rank", "term", "score", "z", "count"]


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
    s = sparse.coo_matrix(scores)
    positive = s.data > 0
    row, col, score = s.row[positive], s.col[positive], s.data[positive].astype(float)
    # Row ascending, score descending, column (= term) ascending; arrays, not a DataFrame:
    # at 100 MB the score matrices hold tens of millions of non-zeros.
    order = np.lexsort((col, -score, row))
    row, col, score = row[order], col[order], score[order]
    first = np.r_[0, np.flatnonzero(np.diff(row)) + 1] if len(row) else np.array([], int)
    position = np.arange(len(row)) - np.repeat(first, np.diff(np.r_[first, len(row)]))
    keep = position < top_n
    rows, cols, score, position = row[keep], col[keep], score[keep], position[keep]
    count = np.asarray(sparse.csr_matrix(counts)[rows, cols]).ravel() if len(rows) else []
    return pd.DataFrame(
        {
            "key": np.asarray(keys, dtype=object)[rows] if len(rows) else [],
            "rank": position + 1,
            "term": np.asarray(vocab, dtype=object)[cols] if len(rows) else [],
            "score": score,
            "z": np.nan,
            "count": np.asarray(count, dtype=np.int64),
        }
    )
