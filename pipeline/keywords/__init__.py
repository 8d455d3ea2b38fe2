"""Keywords stage: TF-IDF and TextRank per document and corpus, log-odds per role.

All three methods work on the run's own analysed ``tokens`` (the segmenter's lexicon, POS filter
and stop words), never on jieba.analyse's global tokenizer, IDF file or stop words.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..tokens import TokenIndex
from .analysed import analysed_index, run_counts
from .log_odds import dirichlet_prior, log_odds_dirichlet, role_log_odds, role_log_odds_rows
from .ranking import COLUMNS
from .textrank import textrank_keywords, textrank_rows
from .tfidf import tfidf_keywords, tfidf_rows

METHODS = ("tfidf", "textrank", "log_odds")


def keywords(
    sentences: pd.DataFrame,
    documents: pd.DataFrame,
    *,
    top_n: int = 20,
    methods: tuple[str, ...] = METHODS,
    window: int = 5,
    alpha0: float = 1000.0,
    index: TokenIndex | None = None,
) -> pd.DataFrame:
    """Keyword table: ``scope, key, method, rank, term, score, z, count``.

    * scope ``document`` (key = doc_id) and ``corpus`` (key = 'corpus'): methods ``tfidf``
      (IDF fitted on this corpus) and ``textrank`` (window co-occurrence + PageRank).
      Duplicate documents (``dup_of`` set) get their own document rows but are left out of the
      IDF and the corpus rows.
    * scope ``role`` (key = role): method ``log_odds``, each role's sentences against all others,
      with z-scores; ``score`` is the log-odds delta. ``z`` is NaN for the other methods.

    ``index`` is the TokenIndex of the whole ``sentences.tokens`` when the caller has it (built
    here otherwise); the three methods share it.

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
    rows, index = analysed_index(sentences, index=index)
    # Codes in order of appearance: non-decreasing, as a document's sentences are contiguous.
    doc_codes, doc_keys = pd.factorize(sentences["doc_id"].take(rows), sort=False)
    duplicates = (
        documents.loc[documents["dup_of"].notna(), "doc_id"] if "dup_of" in documents else []
    )
    fit = ~doc_keys.isin(duplicates)
    keys = np.asarray(doc_keys, dtype=object)
    counts = run_counts(index, doc_codes, n_groups=len(keys))
    frames = []
    if "tfidf" in methods:
        frames.append(tfidf_rows(counts, index.vocab, keys, fit, top_n=top_n))
    if "textrank" in methods:
        frames.append(
            textrank_rows(index, doc_codes, keys, fit, window=window, top_n=top_n, counts=counts)
        )
    del counts
    if "log_odds" in methods:
        role = sentences["role"].take(rows)
        kept = fit[doc_codes]
        frames.append(role_log_odds_rows(index, role, keep=kept, alpha0=alpha0, top_n=top_n))
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
    "role_log_odds_rows",
    "tfidf_keywords",
    "tfidf_rows",
    "textrank_keywords",
    "textrank_rows",
]
