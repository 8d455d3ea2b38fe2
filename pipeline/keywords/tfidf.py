"""TF-IDF keywords with the IDF learned from the run's own corpus (not jieba's IDF file)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from ..topics.units import identity
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
    fit_ids = doc_tokens.index if fit_ids is None else fit_ids
    nonempty = doc_tokens[doc_tokens.map(len) > 0]
    fit_tokens = nonempty[nonempty.index.isin(fit_ids)]
    if fit_tokens.empty:
        return top_rows(sparse.csr_matrix((0, 0)), np.array([]), np.array([]), [], top_n)
    vectorizer = TfidfVectorizer(analyzer=identity, lowercase=False).fit(fit_tokens.tolist())
    vocab = vectorizer.get_feature_names_out()
    counts = CountVectorizer(analyzer=identity, lowercase=False, vocabulary=vectorizer.vocabulary_)
    doc_counts = counts.transform(nonempty.tolist())
    doc_scores = vectorizer.transform(nonempty.tolist())
    per_doc = top_rows(doc_scores, doc_counts, vocab, nonempty.index.tolist(), top_n)
    fitted = np.flatnonzero(nonempty.index.isin(fit_ids))
    corpus_score = sparse.csr_matrix(doc_scores[fitted].mean(axis=0))
    corpus_count = sparse.csr_matrix(doc_counts[fitted].sum(axis=0))
    corpus = top_rows(corpus_score, corpus_count, vocab, ["corpus"], top_n)
    return pd.concat(
        [per_doc.assign(scope="document"), corpus.assign(scope="corpus")], ignore_index=True
    ).assign(method="tfidf")
