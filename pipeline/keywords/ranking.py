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
    frame = pd.DataFrame({"row": s.row, "col": s.col, "score": s.data.astype(float)})
    frame = frame[frame["score"] > 0].sort_values(
        ["row", "score", "col"], ascending=[True, False, True], kind="stable"
    )
    frame = frame.groupby("row", sort=False).head(top_n)
    rows, cols = frame["row"].to_numpy(), frame["col"].to_numpy()
    count = np.asarray(sparse.csr_matrix(counts)[rows, cols]).ravel() if len(rows) else []
    return pd.DataFrame(
        {
            "key": np.asarray(keys, dtype=object)[rows] if len(rows) else [],
            "rank": frame.groupby("row", sort=False).cumcount().to_numpy() + 1,
            "term": np.asarray(vocab, dtype=object)[cols] if len(rows) else [],
            "score": frame["score"].to_numpy(),
            "z": np.nan,
            "count": np.asarray(count, dtype=np.int64),
        }
    )
