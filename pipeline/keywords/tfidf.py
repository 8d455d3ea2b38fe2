"""TF-IDF keywords with the IDF learned from the run's own corpus (not jieba's IDF file)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfTransformer

from ..tokens import TokenIndex
from .analysed import run_counts
from .ranking import top_rows


def tfidf_keywords(
    doc_tokens: pd.Series, *, fit_ids: pd.Index | None = None, top_n: int = 20
) -> pd.DataFrame:
    """Top TF-IDF terms per document and for the whole corpus.

    ``doc_tokens`` is indexed by doc_id; the IDF is fitted on ``fit_ids`` (default: all
    documents, e.g. only the non-duplicates) and applied to every document. The corpus score of
    a term is the mean of its L2-normalised TF-IDF weights over the fitted documents.
    Returns ``scope, key, method, rank, term, score, z, count`` rows.

    Example::

        >>> docs = pd.Series({"a": ["两张皮", "考核机制", "两张皮"], "b": ["党务干部"]})
        >>> tfidf_keywords(docs, top_n=1)[["key", "term"]].values.tolist()
        [['a', '两张皮'], ['b', '党务干部'], ['corpus', '党务干部']]
    """
    index = TokenIndex.build(doc_tokens.tolist())
    fit = doc_tokens.index.isin(doc_tokens.index if fit_ids is None else fit_ids)
    return tfidf_rows(run_counts(index), index.vocab, doc_tokens.index.to_numpy(), fit, top_n=top_n)


def tfidf_rows(
    counts: sparse.csr_matrix, vocab: np.ndarray, keys: np.ndarray, fit: np.ndarray, *, top_n: int
) -> pd.DataFrame:
    """:func:`tfidf_keywords` from a (documents x vocab) count matrix (``vocab`` sorted).

    ``keys`` names the documents and the boolean ``fit`` marks those the IDF is fitted on;
    documents without tokens get no rows. The figures equal a ``TfidfVectorizer`` fitted on the
    token lists of the ``fit`` documents.

    Example::

        >>> index = TokenIndex.build([["两张皮", "两张皮"], ["党务干部"]])   # 每行一篇文章
        >>> tfidf_rows(index.counts(), index.vocab, np.array(["a", "b"]), np.array([True, True]),
        ...            top_n=1)["term"].tolist()
        ['两张皮', '党务干部', '两张皮']
    """
    nonempty = np.flatnonzero(np.diff(counts.indptr) > 0)
    if len(nonempty) < counts.shape[0]:
        counts, keys, fit = counts[nonempty], np.asarray(keys)[nonempty], fit[nonempty]
    fitted = np.flatnonzero(fit)
    if not len(fitted):
        return top_rows(sparse.csr_matrix((0, 0)), np.array([]), np.array([]), [], top_n)

    def fitted_rows(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
        return matrix if len(fitted) == matrix.shape[0] else matrix[fitted]

    columns = np.flatnonzero(fitted_rows(counts).getnnz(axis=0) > 0)  # the vocabulary of the fit
    doc_counts = counts if len(columns) == counts.shape[1] else counts[:, columns]
    doc_counts = doc_counts.astype(np.int64, copy=False)
    doc_counts.sort_indices()
    vocab = np.asarray(vocab, dtype=object)[columns]
    doc_scores = TfidfTransformer().fit(fitted_rows(doc_counts)).transform(doc_counts)
    per_doc = top_rows(doc_scores, doc_counts, vocab, keys, top_n)
    corpus_score = sparse.csr_matrix(fitted_rows(doc_scores).mean(axis=0))
    corpus_count = sparse.csr_matrix(fitted_rows(doc_counts).sum(axis=0))
    corpus = top_rows(corpus_score, corpus_count, vocab, ["corpus"], top_n)
    return pd.concat(
        [per_doc.assign(scope="document"), corpus.assign(scope="corpus")], ignore_index=True
    ).assign(method="tfidf")
