"""All sentences' tokens as integer codes: one compact index instead of millions of lists.

A :class:`TokenIndex` holds every token of a token-list column as an ``int32`` code into a
sorted vocabulary, with offsets marking where each row's tokens start. Count matrices for
any grouping of rows (sentences, documents, units, roles) come straight from it as scipy CSR
matrices whose columns are in the same sorted order scikit-learn's ``CountVectorizer`` uses, so
it replaces a ``CountVectorizer(analyzer=identity)`` fit without changing any figure.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from scipy import sparse


@dataclass(frozen=True)
class TokenIndex:
    """Token codes of n rows: row i's tokens are ``vocab[codes[offsets[i]:offsets[i + 1]]]``.

    ``vocab`` is sorted (code-point order), so column j of every matrix built here is the j-th
    term of ``sorted(set(all tokens))``.

    Example::

        >>> index = TokenIndex.build([["两张皮", "考核机制"], [], ["两张皮"]])  # 词的整数编码
        >>> index.vocab.tolist(), index.lengths().tolist()
        (['两张皮', '考核机制'], [2, 0, 1])
        >>> index.counts().toarray().tolist()
        [[1, 1], [0, 0], [1, 0]]
    """

    vocab: np.ndarray
    codes: np.ndarray
    offsets: np.ndarray

    @classmethod
    def build(cls, tokens: pd.Series | Sequence | pa.Array | pa.ChunkedArray) -> TokenIndex:
        """Index a token-list column: pandas Series of lists, a list of lists, or Arrow lists.

        Missing rows (None / NaN) count as empty.

        Example::

            >>> TokenIndex.build(pd.Series([["专职化"], None])).lengths().tolist()
            [1, 0]
        """
        if isinstance(tokens, pd.Series) and isinstance(tokens.dtype, pd.ArrowDtype):
            tokens = pa.chunked_array(tokens.array._pa_array)  # noqa: SLF001 - zero-copy view
        if isinstance(tokens, pa.Array | pa.ChunkedArray):
            return cls._from_arrow(tokens)
        return cls._from_lists(tokens)

    @classmethod
    def _from_lists(cls, tokens: Iterable) -> TokenIndex:
        rows = [t if isinstance(t, list | tuple | np.ndarray) else () for t in tokens]
        lengths = np.fromiter((len(t) for t in rows), dtype=np.int64, count=len(rows))
        flat = np.fromiter(chain.from_iterable(rows), dtype=object, count=int(lengths.sum()))
        codes, uniques = pd.factorize(flat, sort=False)
        return cls._sorted(np.asarray(uniques, dtype=object), codes, lengths)

    @classmethod
    def _from_arrow(cls, tokens: pa.Array | pa.ChunkedArray) -> TokenIndex:
        if isinstance(tokens, pa.ChunkedArray):
            tokens = tokens.combine_chunks() if tokens.num_chunks else pa.array([], tokens.type)
        lengths = pc.fill_null(pc.list_value_length(tokens), 0).to_numpy(zero_copy_only=False)
        encoded = pc.list_flatten(tokens).dictionary_encode()
        uniques = np.asarray(encoded.dictionary.to_pylist(), dtype=object)
        codes = encoded.indices.to_numpy(zero_copy_only=False)
        return cls._sorted(uniques, codes, lengths.astype(np.int64))

    @classmethod
    def _sorted(cls, uniques: np.ndarray, codes: np.ndarray, lengths: np.ndarray) -> TokenIndex:
        order = np.argsort(uniques, kind="stable")
        rank = np.empty(len(order), dtype=np.int32)
        rank[order] = np.arange(len(order), dtype=np.int32)
        offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        return cls(uniques[order], rank[codes] if len(codes) else codes.astype(np.int32), offsets)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def lengths(self) -> np.ndarray:
        """Number of tokens of each row."""
        return np.diff(self.offsets)

    def row_of_token(self) -> np.ndarray:
        """For every entry of ``codes``, the row it belongs to."""
        return np.repeat(np.arange(len(self), dtype=np.int64), self.lengths())

    def tokens(self, row: int) -> list[str]:
        """Row ``row``'s tokens as strings.

        Example::

            >>> TokenIndex.build([["三会一课", "形式主义"]]).tokens(0)
            ['三会一课', '形式主义']
        """
        return self.vocab[self.codes[self.offsets[row] : self.offsets[row + 1]]].tolist()

    def counts(
        self,
        groups: np.ndarray | None = None,
        *,
        n_groups: int | None = None,
        binary: bool = False,
    ) -> sparse.csr_matrix:
        """Count matrix (groups x vocab); row g sums the rows whose ``groups`` value is g.

        ``groups`` (one int per row; -1 leaves the row out) defaults to one group per row.
        ``binary`` gives 1 for every term present in a group instead of its count.

        Example::

            >>> index = TokenIndex.build([["两张皮"], ["两张皮", "考核机制"], ["专职化"]])
            >>> index.counts(np.array([0, 0, -1]), n_groups=1).toarray().tolist()
            [[0, 2, 1]]
        """
        token_rows = self.row_of_token()
        if groups is None:
            target, n_rows = token_rows, len(self)
        else:
            groups = np.asarray(groups, dtype=np.int64)
            target = groups[token_rows]
            n_rows = int(groups.max(initial=-1)) + 1 if n_groups is None else n_groups
        keep = target >= 0
        data = np.ones(int(keep.sum()), dtype=np.int64)
        matrix = sparse.csr_matrix(
            (data, (target[keep], self.codes[keep])), shape=(n_rows, len(self.vocab))
        )
        matrix.sum_duplicates()
        if binary:
            matrix.data[:] = 1
        return matrix
