"""Sentences of a run as token codes, read in record batches from sentences.parquet or a table.

The topics stage never holds the token lists as Python lists: each batch of sentences becomes a
:class:`~pipeline.tokens.TokenIndex`, the batches' vocabularies are merged into one sorted
vocabulary at the end, and every count matrix (units, documents, sentences) is built from the
``int32`` codes. Only the few columns the stage needs are read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from scipy import sparse

from ..tokens import TokenIndex
from .units import UNITS, claim_keys

COLUMNS = ("doc_id", "sent_id", "role", "tokens")
CLAIM_COLUMNS = ("section_id", "claim_index")
BATCH_ROWS = 50_000


@dataclass(frozen=True)
class Labels:
    """A text column as int32 codes into its sorted distinct values (``names``).

    Example::

        >>> Labels.encode(pa.array(["d2", "d1", "d2"])).codes.tolist()   # 文本列编码
        [1, 0, 1]
    """

    codes: np.ndarray
    names: np.ndarray

    @classmethod
    def encode(cls, column: pa.Array | np.ndarray) -> Labels:
        """Encode a string column (Arrow array or object array)."""
        array = column if isinstance(column, pa.Array) else pa.array(column, pa.large_string())
        encoded = pc.dictionary_encode(array.cast(pa.large_string()))
        codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int32)
        return cls(codes, np.asarray(encoded.dictionary.to_pylist(), dtype=object))._sorted()

    def _sorted(self) -> Labels:
        order = np.argsort(self.names, kind="stable")
        rank = np.empty(len(order), dtype=np.int32)
        rank[order] = np.arange(len(order), dtype=np.int32)
        return Labels(rank[self.codes] if len(self.codes) else self.codes, self.names[order])

    @classmethod
    def concat(cls, parts: list[Labels]) -> Labels:
        """One Labels over the rows of all parts, with their names merged (sorted)."""
        names = np.unique(np.concatenate([p.names for p in parts]))
        codes = [np.searchsorted(names, p.names).astype(np.int32)[p.codes] for p in parts]
        return cls(np.concatenate(codes), np.asarray(names, dtype=object))

    def take(self, rows: np.ndarray) -> Labels:
        """The rows ``rows``, same names."""
        return Labels(self.codes[rows], self.names)

    def values(self) -> np.ndarray:
        """The column as an object array of str."""
        return self.names[self.codes]


@dataclass(frozen=True)
class SentenceTokens:
    """All sentences in ``sent_id`` order: ids (Arrow), doc, role and unit labels, tokens.

    ``unit`` labels each sentence with its claim-unit id (see
    :func:`pipeline.topics.units.claim_keys`) when read with ``unit="claim"``, else with its
    ``doc_id``. Tokens are codes into one sorted vocabulary (a TokenIndex).

    Example::

        >>> s = SentenceTokens.read("outputs/sample/sentences.parquet")   # 按批读取句子
        >>> len(s.sent_id) == len(s.tokens)
        True
    """

    sent_id: pa.Array
    doc: Labels
    role: Labels
    unit: Labels
    tokens: TokenIndex

    @classmethod
    def read(
        cls,
        source: pd.DataFrame | str | Path,
        *,
        unit: str = "document",
        batch_rows: int = BATCH_ROWS,
    ) -> SentenceTokens:
        """Read a sentences table (DataFrame or Parquet path) batch by batch.

        Example::

            >>> SentenceTokens.read(sentences_df, unit="claim").unit.names[0]   # 论点单元
            '001-00|001-00:s001|rest'
        """
        if unit not in UNITS:
            raise ValueError(f"unit = {unit!r} is not one of {', '.join(UNITS)}")
        columns = [*COLUMNS, *(CLAIM_COLUMNS if unit == "claim" else ())]
        parts = [_batch(frame, unit) for frame in _frames(source, columns, batch_rows)]
        if not parts:
            parts = [_batch(pd.DataFrame({c: [] for c in columns}), unit)]
        sent_id = pa.concat_arrays([p[0] for p in parts])
        labels = [Labels.concat([p[i] for p in parts]) for i in (1, 2, 3)]
        index = merge_indexes([p[4] for p in parts])
        order = sorted_order(sent_id)
        if order is not None:
            sent_id = sent_id.take(order)
            labels = [label.take(order) for label in labels]
            index = take_rows(index, order)
        return cls(sent_id, *labels, index)


def _frames(
    source: pd.DataFrame | str | Path, columns: list[str], batch_rows: int
) -> Iterator[pd.DataFrame | pa.RecordBatch]:
    if isinstance(source, pd.DataFrame):
        _check_columns(source.columns, columns, "the sentences table")
        for start in range(0, len(source), batch_rows):
            yield source.iloc[start : start + batch_rows][columns].reset_index(drop=True)
        return
    path = Path(source)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such sentences table; run the segment stage first")
    parquet = pq.ParquetFile(path)
    _check_columns(parquet.schema_arrow.names, columns, str(path))
    yield from parquet.iter_batches(batch_size=batch_rows, columns=columns)


def _check_columns(present, columns: list[str], where: str) -> None:
    missing = sorted(set(columns) - set(present))
    if missing:
        raise ValueError(
            f"{where} lacks columns {missing}; run the segment stage first (it fills `tokens`)"
        )


def _column(frame: pd.DataFrame | pa.RecordBatch, name: str) -> pa.Array:
    if isinstance(frame, pa.RecordBatch):
        return frame.column(name)
    column = frame[name]
    array = pa.array(column.to_numpy(dtype=object) if column.dtype == object else column)
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def _text(frame: pd.DataFrame | pa.RecordBatch, name: str) -> pa.Array:
    """A text column as an Arrow large_string array (missing values as '')."""
    return pc.fill_null(_column(frame, name).cast(pa.large_string()), "")


def _batch(frame: pd.DataFrame | pa.RecordBatch, unit: str) -> tuple:
    doc_id = _text(frame, "doc_id")
    doc = Labels.encode(doc_id)
    if unit == "claim":
        table = pd.DataFrame(
            {
                "doc_id": doc_id.to_numpy(zero_copy_only=False),
                "section_id": _text(frame, "section_id").to_numpy(zero_copy_only=False),
                "claim_index": _column(frame, "claim_index").to_numpy(zero_copy_only=False),
            }
        )
        key = Labels.encode(claim_keys(table).to_numpy(dtype=object))
    else:
        key = doc
    tokens = frame["tokens"] if isinstance(frame, pd.DataFrame) else frame.column("tokens")
    return (
        _text(frame, "sent_id"),
        doc,
        Labels.encode(_text(frame, "role")),
        key,
        TokenIndex.build(tokens),
    )


def sorted_order(ids: pa.Array) -> np.ndarray | None:
    """Stable order that sorts the strings ``ids`` (None when already sorted).

    Example::

        >>> sorted_order(pa.array(["d1:0001", "d1:0000"])).tolist()   # 句序
        [1, 0]
    """
    if len(ids) < 2 or pc.all(pc.less_equal(ids[:-1], ids[1:])).as_py():
        return None
    return pc.sort_indices(ids).to_numpy()


def merge_indexes(parts: list[TokenIndex]) -> TokenIndex:
    """One TokenIndex over the rows of all ``parts`` (at least one) with their vocabularies
    merged into one sorted vocabulary.

    Example::

        >>> merge_indexes([TokenIndex.build([["考核机制"]]), TokenIndex.build([["两张皮"]])]).vocab
        array(['两张皮', '考核机制'], dtype=object)
    """
    vocab = np.asarray(np.unique(np.concatenate([p.vocab for p in parts])), dtype=object)
    codes = [np.searchsorted(vocab, p.vocab).astype(np.int32)[p.codes] for p in parts]
    lengths = np.concatenate([p.lengths() for p in parts])
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    return TokenIndex(vocab, np.concatenate(codes).astype(np.int32), offsets)


def take_rows(index: TokenIndex, rows: np.ndarray) -> TokenIndex:
    """The rows ``rows`` of ``index`` (in that order), same vocabulary.

    Example::

        >>> take_rows(TokenIndex.build([["两张皮"], ["考核机制"]]), np.array([1])).tokens(0)
        ['考核机制']
    """
    rows = np.asarray(rows, dtype=np.int64)
    if len(rows) and rows[-1] - rows[0] == len(rows) - 1 and np.all(np.diff(rows) == 1):
        first, last = index.offsets[rows[0]], index.offsets[rows[-1] + 1]
        codes = index.codes[first:last]
        return TokenIndex(index.vocab, codes, index.offsets[rows[0] : rows[-1] + 2] - first)
    lengths = index.lengths()[rows]
    offsets = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    starts = np.repeat(index.offsets[rows] - offsets[:-1], lengths)
    starts += np.arange(offsets[-1])
    return TokenIndex(index.vocab, index.codes[starts], offsets)


def group_rows(index: TokenIndex, groups: np.ndarray, n_groups: int) -> TokenIndex:
    """Row g of the result holds the tokens of all rows with ``groups == g``, in row order.

    Rows with group -1 are left out.

    Example::

        >>> index = TokenIndex.build([["两张皮"], ["党建"], ["考核机制"]])
        >>> group_rows(index, np.array([0, -1, 0]), 1).tokens(0)       # 按单元合并
        ['两张皮', '考核机制']
    """
    groups = np.asarray(groups, dtype=np.int64)
    order = np.argsort(groups, kind="stable")
    order = order[groups[order] >= 0]
    merged = take_rows(index, order)
    lengths = np.bincount(groups[order], weights=index.lengths()[order], minlength=n_groups)
    offsets = np.zeros(n_groups + 1, dtype=np.int64)
    np.cumsum(lengths.astype(np.int64), out=offsets[1:])
    return TokenIndex(index.vocab, merged.codes, offsets)


def count_matrix(index: TokenIndex, columns: np.ndarray, n_columns: int) -> sparse.csr_matrix:
    """int64 counts (rows x ``n_columns``), the entries of each row sorted by column.

    A token with code c is counted in column ``columns[c]``; -1 leaves it out. Index arrays
    are int32, so building the matrix takes about 12 bytes a token.

    Example::

        >>> index = TokenIndex.build([["两张皮", "党建", "两张皮"]])
        >>> count_matrix(index, np.array([0, -1]), 1).toarray().tolist()    # 只数词表内的词
        [[2]]
    """
    rows = np.repeat(np.arange(len(index), dtype=np.int32), index.lengths())
    cols = np.asarray(columns, dtype=np.int32)[index.codes]
    keep = cols >= 0
    if not keep.all():
        rows, cols = rows[keep], cols[keep]
    del keep
    matrix = sparse.coo_matrix(
        (np.ones(len(rows), dtype=np.int32), (rows, cols)), shape=(len(index), n_columns)
    ).tocsr()
    matrix.sum_duplicates()
    matrix.data = matrix.data.astype(np.int64)
    return matrix
