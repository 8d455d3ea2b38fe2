"""Keywords stage: TF-IDF and TextRank per document and corpus, log-odds per role.

All three methods work on the run's own analysed ``tokens`` (the segmenter's lexicon, POS filter
and stop words), never on jieba.analyse's global tokenizer, IDF file or stop words.
"""

from __future__ import annotations

import pandas as pd

from ..topics.units import analysed_sentences, document_tokens
from .log_odds import dirichlet_prior, log_odds_dirichlet, role_log_odds
from .ranking import COLUMNS
from .textrank import textrank_keywords
from .tfidf import tfidf_keywords

METHODS = ("tfidf", "textrank", "log_odds")


def keywords(
    sentences: pd.DataFrame,
    documents: pd.DataFrame,
    *,
    top_n: int = 20,
    methods: tuple[str, ...] = METHODS,
    window: int = 5,
    alpha0: float = 1000.0,
) -> pd.DataFrame:
    """Keyword table: ``scope, key, method, rank, term, score, z, count``.

    * scope ``document`` (key = doc_id) and ``corpus`` (key = 'corpus'): methods ``tfidf``
      (IDF fitted on this corpus) and ``textrank`` (window co-occurrence + PageRank).
      Duplicate documents (``dup_of`` set) get their own document rows but are left out of the
      IDF and the corpus rows.
    * scope ``role`` (key = role): method ``log_odds``, each role's sentences against all others,
      with z-scores; ``score`` is the log-odds delta. ``z`` is NaN for the other methods.

    Example::

        >>> kw = keywords(sentences, documents, top_n=10)      # 关键词表
        >>> sorted(kw["method"].unique())
        ['log_odds', 'textrank', 'tfidf']
        >>> kw.query("scope == 'role' and key == 'problem'")["z"].is_monotonic_decreasing
        True
    """
    unknown = set(methods) - set(METHODS)
    if unknown:
        raise ValueError(f"unknown keyword methods {sorted(unknown)}; choose from {METHODS}")
    # Only the columns used here: sorting copies every column of the (large) table.
    sentences = sentences[["doc_id", "sent_id", "tokens", "role"]]
    duplicates = (
        documents.loc[documents["dup_of"].notna(), "doc_id"] if "dup_of" in documents else []
    )
    fit_ids = pd.Index(sentences.loc[~sentences["doc_id"].isin(duplicates), "doc_id"].unique())
    ordered = analysed_sentences(sentences)
    frames = []
    if "tfidf" in methods:
        frames.append(tfidf_keywords(document_tokens(ordered), fit_ids=fit_ids, top_n=top_n))
    if "textrank" in methods:
        frames.append(textrank_keywords(ordered, fit_ids=fit_ids, window=window, top_n=top_n))
    if "log_odds" in methods:
        kept = analysed_sentences(sentences, documents)
        frames.append(role_log_odds(kept, alpha0=alpha0, top_n=top_n))
    table = pd.concat([pd.DataFrame(columns=COLUMNS), *(f for f in frames if len(f))])
    table = table.reindex(columns=COLUMNS)
    order = {"document": 0, "corpus": 1, "role": 2}
    table = table.sort_values(
        ["scope", "key", "method", "rank"], key=lambda c: c.map(order) if c.name == "scope" else c
    )
    return table.reset_index(drop=True).astype(
        {"rank": "int64", "count": "int64", "score": "float64", "z": "float64"}
    )


__all__ = [
    "keywords",
    "log_odds_dirichlet",
    "dirichlet_prior",
    "role_log_odds",
    "tfidf_keywords",
    "textrank_keywords",
]
