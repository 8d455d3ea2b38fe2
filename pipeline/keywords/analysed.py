"""The analysed sentences of the keywords and graph stages as row positions plus one TokenIndex.

:func:`pipeline.topics.units.analysed_sentences` returns a sorted copy of the whole sentences
table; these stages only need the tokens, in that order, and a few columns. So they take the
row positions and a :class:`~pipeline.tokens.TokenIndex` of those rows instead, and read the
other columns they need at those positions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from ..tokens import TokenIndex

REQUIRED = ("doc_id", "sent_id", "tokens", "role")


def analysed_rows(sentences: pd.DataFrame, documents: pd.DataFrame | None = None) -> np.ndarray:
    """Positions of the analysed sentences: ``sent_id`` order, without duplicate documents.

    The same rows in the same order as ``analysed_sentences(sentences, documents)``.

    Example::

        >>> s = pd.DataFrame({"doc_id": ["d1", "d1"], "sent_id": ["d1:0001", "d1:0000"],
        ...                   "tokens": [["考核机制"], ["两张皮"]], "role": ["other"] * 2})
        >>> analysed_rows(s).tolist()          # 按句序
        [1, 0]
    """
    missing = sorted(set(REQUIRED) - set(sentences.columns))
    if missing:
        raise ValueError(
            f"sentences table lacks columns {missing}; run the segment stage first "
            "(it fills `tokens`)"
        )
    positions = np.arange(len(sentences))
    if documents is not None and "dup_of" in documents.columns:
        dups = documents.loc[documents["dup_of"].notna(), "doc_id"]
        positions = np.flatnonzero(~sentences["doc_id"].isin(dups).to_numpy(dtype=bool))
    sent_ids = sentences["sent_id"].iloc[positions].reset_index(drop=True)
    if sent_ids.is_monotonic_increasing:
        return positions
    return positions[sent_ids.sort_values(kind="stable").index.to_numpy()]


def take_rows(index: TokenIndex, rows: np.ndarray) -> TokenIndex:
    """The TokenIndex of rows ``rows`` (in that order); the vocabulary keeps only their terms.

    Example::

        >>> index = TokenIndex.build([["两张皮"], ["考核机制", "专职化"]])
        >>> sub = take_rows(index, np.array([1]))      # 只取第二句
        >>> sub.vocab.tolist(), sub.tokens(0)
        (['专职化', '考核机制'], ['考核机制', '专职化'])
    """
    rows = np.asarray(rows, dtype=np.int64)
    lengths = index.lengths()[rows]
    offsets = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    gather = np.repeat(index.offsets[:-1][rows] - offsets[:-1], lengths)
    gather += np.arange(offsets[-1], dtype=np.int64)
    codes = index.codes[gather]
    del gather
    used = np.zeros(len(index.vocab), dtype=bool)
    used[codes] = True
    remap = (np.cumsum(used) - 1).astype(np.int32)
    return TokenIndex(index.vocab[used], remap[codes], offsets)


def analysed_index(
    sentences: pd.DataFrame,
    documents: pd.DataFrame | None = None,
    *,
    index: TokenIndex | None = None,
) -> tuple[np.ndarray, TokenIndex]:
    """:func:`analysed_rows` and the TokenIndex of their tokens, in that order.

    ``index``, when given, must be the TokenIndex of the whole ``sentences`` table in its own
    row order (built once by the caller and shared); otherwise it is built here.

    Example::

        >>> rows, index = analysed_index(sentences, documents)   # 分析用句子的词编码
        >>> len(rows) == len(index)
        True
    """
    rows = analysed_rows(sentences, documents)
    if index is None:
        index = TokenIndex.build(sentences["tokens"])
    elif len(index) != len(sentences):
        raise ValueError(
            f"the TokenIndex has {len(index)} rows but the sentences table {len(sentences)}; "
            "build it with TokenIndex.build(sentences['tokens']) on this very table"
        )
    if len(rows) == len(index) and (rows == np.arange(len(rows))).all():
        return rows, index
    return rows, take_rows(index, rows)


def run_counts(
    index: TokenIndex,
    groups: np.ndarray | None = None,
    *,
    n_groups: int | None = None,
    binary: bool = False,
) -> sparse.csr_matrix:
    """``index.counts(groups, ...)``, lighter when ``groups`` is non-decreasing and >= 0.

    The same CSR matrix, built straight from the token offsets instead of through COO
    triplets when the groups are runs of rows: at 100 MB (7.7 M tokens) that holds ~100 MB
    instead of ~400 MB. Other groups go through ``index.counts``.

    Example::

        >>> index = TokenIndex.build([["两张皮"], ["两张皮", "考核机制"], ["专职化"]])
        >>> run_counts(index, np.array([0, 0, 1])).toarray().tolist()     # 按文章计数
        [[0, 2, 1], [1, 0, 0]]
    """
    if groups is None:
        indptr = index.offsets
    else:
        groups = np.asarray(groups, dtype=np.int64)
        if len(groups) and (groups[0] < 0 or (groups[1:] < groups[:-1]).any()):
            return index.counts(groups, n_groups=n_groups, binary=binary)
        n_groups = int(groups.max(initial=-1)) + 1 if n_groups is None else n_groups
        indptr = index.offsets[np.searchsorted(groups, np.arange(n_groups + 1), side="left")]
    index_dtype = np.int32 if len(index.codes) < 2**31 else np.int64
    matrix = sparse.csr_matrix(
        (
            np.ones(len(index.codes), dtype=np.int32),
            index.codes.astype(index_dtype),  # a copy: sum_duplicates sorts it in place
            indptr.astype(index_dtype),
        ),
        shape=(len(indptr) - 1, len(index.vocab)),
    )
    matrix.sum_duplicates()
    if binary:
        matrix.data[:] = 1
    return matrix.astype(np.int64)
