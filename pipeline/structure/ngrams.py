"""Character n-gram counts, computed with numpy instead of a Python loop per n-gram.

The matrix is the one ``CountVectorizer(analyzer="char")`` gives (same vocabulary order, same
counts, sorted indices), so a ``TfidfTransformer`` after it computes exactly what
``TfidfVectorizer(analyzer="char")`` does. Each n-gram of up to three characters is one int64
key, its code points (plus one, zero for "no character") in base 0x110001: keys sort the way
the n-gram strings do, so the vocabulary comes out in scikit-learn's order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix, csr_matrix, vstack
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

MAX_N = 3  # three code points fit in one int64 key
CHUNK = 10_000  # texts transformed at a time: bounds the memory of the per-n-gram arrays
_BASE = 0x110001  # one more than the largest code point plus one
_WHITE_SPACES = re.compile(r"\s\s+")  # runs of white space count as one " ", as in scikit-learn


class CharNgramCounter(TransformerMixin, BaseEstimator):
    """Counts of each text's character n-grams (``ngram_range`` up to 3 characters).

    ``preprocessor`` is applied to each text first. ``vocabulary_`` holds the n-gram keys in
    column order; :meth:`get_feature_names_out` gives them as strings.

    Example::

        >>> c = CharNgramCounter(ngram_range=(1, 2)).fit(["党建", "建设"])
        >>> c.get_feature_names_out().tolist()
        ['党', '党建', '建', '建设', '设']
        >>> c.transform(["党建党建"]).toarray().tolist()
        [[2, 2, 2, 0, 0]]
    """

    def __init__(
        self,
        *,
        ngram_range: tuple[int, int] = (1, 3),
        preprocessor: Callable[[str], str] | None = None,
    ) -> None:
        self.ngram_range = ngram_range
        self.preprocessor = preprocessor

    def _occurrences(self, texts: Iterable[str]) -> tuple[np.ndarray, np.ndarray, int]:
        """(row, key) of every n-gram occurrence, and the number of texts."""
        min_n, max_n = self.ngram_range
        if not 1 <= min_n <= max_n <= MAX_N:
            raise ValueError(
                f"CharNgramCounter: ngram_range {self.ngram_range} is not within (1, {MAX_N}); "
                f"give 1 <= min_n <= max_n <= {MAX_N}"
            )
        prepare = self.preprocessor or str
        docs = [_WHITE_SPACES.sub(" ", prepare(text)) for text in texts]
        lengths = np.fromiter(map(len, docs), dtype=np.int64, count=len(docs))
        encoded = "".join(docs).encode("utf-32-le", "surrogatepass")
        codes = np.frombuffer(encoded, dtype="<u4").astype(np.int64) + 1
        padded = np.concatenate([codes, np.zeros(MAX_N, dtype=np.int64)])
        left = np.repeat(np.cumsum(lengths), lengths) - np.arange(len(codes))  # chars to text end
        doc_row = np.repeat(np.arange(len(docs)), lengths)
        key = np.zeros(len(codes), dtype=np.int64)
        rows, keys = [], []
        for n in range(1, max_n + 1):
            key += padded[n - 1 : n - 1 + len(codes)] * _BASE ** (MAX_N - n)
            if n >= min_n:
                whole = left >= n  # the n-gram ends inside its text
                rows.append(doc_row[whole])
                keys.append(key[whole])
        return np.concatenate(rows), np.concatenate(keys), len(docs)

    def _counts(self, rows: np.ndarray, keys: np.ndarray, n_rows: int) -> csr_matrix:
        """A CSR count matrix (sorted indices) of the vocabulary's n-grams among ``keys``."""
        columns = pd.Index(self.vocabulary_).get_indexer(keys)  # a hash look-up, -1 if unknown
        known = columns >= 0
        ones = np.ones(int(known.sum()), dtype=np.int64)
        shape = (n_rows, len(self.vocabulary_))
        counts = coo_matrix((ones, (rows[known], columns[known])), shape=shape).tocsr()
        counts.sum_duplicates()  # sorts each row's indices, as scikit-learn's matrix has them
        return counts

    def fit_transform(self, texts: Iterable[str], y: object = None) -> csr_matrix:
        """Learn the vocabulary and return the texts' counts."""
        rows, keys, n_rows = self._occurrences(texts)
        self.vocabulary_ = np.sort(pd.unique(keys))
        if not len(self.vocabulary_):
            raise ValueError("CharNgramCounter.fit: empty vocabulary; give non-empty texts")
        return self._counts(rows, keys, n_rows)

    def fit(self, texts: Iterable[str], y: object = None) -> CharNgramCounter:
        """Learn the vocabulary (every n-gram of the texts)."""
        self.fit_transform(texts)
        return self

    def transform(self, texts: Iterable[str]) -> csr_matrix:
        """Counts of the vocabulary's n-grams in each text (unknown n-grams are ignored)."""
        check_is_fitted(self, "vocabulary_")
        texts = list(texts)
        blocks = [
            self._counts(*self._occurrences(texts[start : start + CHUNK]))
            for start in range(0, len(texts) or 1, CHUNK)
        ]
        return blocks[0] if len(blocks) == 1 else vstack(blocks, format="csr")

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        """The vocabulary as strings, in column order."""
        check_is_fitted(self, "vocabulary_")
        digits = [(self.vocabulary_ // _BASE ** (MAX_N - 1 - k)) % _BASE for k in range(MAX_N)]
        names = [
            "".join(chr(code - 1) for code in key if code)
            for key in zip(*(d.tolist() for d in digits), strict=True)
        ]
        return np.array(names, dtype=object)
