"""The topics stage: fit a TopicModel on document or claim units and describe it as tables."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..tokens import TokenIndex
from .corpus import BATCH_ROWS, SentenceTokens, group_rows, take_rows
from .model import SEARCH_TOKENS, TopicModel
from .profiles import long_shares, role_shares


@dataclass(frozen=True)
class TopicResult:
    """What the topics stage returns; the lead writes the tables.

    * ``topics``: topic, rank, term, weight (top terms, weights are p(term | topic)).
    * ``doc_topics``: doc_id, topic, share — LONG format, k rows per document of the
      documents table; documents without tokens get NaN shares.
    * ``sentence_topics``: sent_id, doc_id, topic, share — long, NaN for sentences without known
      terms (e.g. most headings of stop words only).
    * ``model_selection``: k, c_npmi, c_v, stability, chosen (empty if k was fixed).
    * ``topic_labels``: topic, label, prevalence (mean document share), c_npmi, c_v,
      share_achievement … share_other (sentence-share weighted), dominant_role.
    """

    model: TopicModel
    topics: pd.DataFrame
    doc_topics: pd.DataFrame
    sentence_topics: pd.DataFrame
    model_selection: pd.DataFrame
    topic_labels: pd.DataFrame


def topics(
    sentences: pd.DataFrame | str | Path,
    documents: pd.DataFrame | str | Path,
    *,
    model: str = "nmf",
    unit: str = "document",
    k: int | None = None,
    k_range: tuple[int, int] = (3, 10),
    n_seeds: int = 3,
    seed: int = 42,
    passes: int = 10,
    top_n: int = 10,
    min_df: int = 2,
    max_df: float = 0.95,
    search_units: int | None = 2000,
    search_tokens: int | None = SEARCH_TOKENS,
    coherence_units: int | None = 2000,
    batch_rows: int = BATCH_ROWS,
) -> TopicResult:
    """Fit topics on the non-duplicate documents (or their claim units) and tabulate them.

    ``sentences`` is the sentences table or the path of ``sentences.parquet``; from a path only
    the needed columns are read, ``batch_rows`` rows at a time, and tokens are kept as integer
    codes (see :class:`pipeline.topics.corpus.SentenceTokens`). ``documents`` (table or path)
    needs ``doc_id`` and, to leave out near-duplicates, ``dup_of``.

    Example::

        >>> result = topics("outputs/x/sentences.parquet", documents, unit="claim")  # 主题分析
        >>> result.doc_topics.groupby("doc_id")["share"].sum().round(6).unique().tolist()
        [1.0]
    """
    corpus = SentenceTokens.read(sentences, unit=unit, batch_rows=batch_rows)
    docs = _documents(documents)
    kept = ~pd.Index(corpus.doc.names).isin(_duplicates(docs))[corpus.doc.codes]
    estimator = TopicModel(
        model=model,
        k=k,
        k_range=k_range,
        n_seeds=n_seeds,
        seed=seed,
        passes=passes,
        unit=unit,
        top_n=top_n,
        min_df=min_df,
        max_df=max_df,
        search_units=search_units,
        search_tokens=search_tokens,
        coherence_units=coherence_units,
    ).fit(_units(corpus, kept))
    doc_ids = pd.Series(sorted(docs["doc_id"].astype(str)))
    doc_shares = estimator.transform(_document_tokens(corpus, doc_ids))
    sent_shares = estimator.transform(corpus.tokens)
    labels = _labels(estimator, corpus, kept, doc_ids, doc_shares, sent_shares)
    return TopicResult(
        model=estimator,
        topics=estimator.topics_.copy(),
        doc_topics=long_shares(doc_ids, doc_shares, "doc_id"),
        sentence_topics=_sentence_topics(corpus, sent_shares),
        model_selection=estimator.selection_.copy(),
        topic_labels=labels,
    )


def _units(corpus: SentenceTokens, kept: np.ndarray) -> TokenIndex:
    """Tokens of the analysis units of the ``kept`` sentences, one row per unit id (sorted)."""
    unit_ids, unit_of = np.unique(corpus.unit.codes[kept], return_inverse=True)
    groups = np.full(len(kept), -1, dtype=np.int64)
    groups[kept] = unit_of
    return group_rows(corpus.tokens, groups, len(unit_ids))


def _document_tokens(corpus: SentenceTokens, doc_ids: pd.Series) -> TokenIndex:
    """Tokens of every sentence of each document in ``doc_ids`` (empty if it has none)."""
    per_doc = group_rows(corpus.tokens, corpus.doc.codes, len(corpus.doc.names))
    padded = TokenIndex(per_doc.vocab, per_doc.codes, np.r_[per_doc.offsets, per_doc.offsets[-1]])
    which = pd.Index(corpus.doc.names).get_indexer(doc_ids)
    return take_rows(padded, np.where(which >= 0, which, len(per_doc)))


def _labels(
    estimator: TopicModel,
    corpus: SentenceTokens,
    kept: np.ndarray,
    doc_ids: pd.Series,
    doc_shares: np.ndarray,
    sent_shares: np.ndarray,
) -> pd.DataFrame:
    """topic, label, prevalence (mean share over kept documents), coherence, role profile."""
    labels = pd.DataFrame({"topic": np.arange(estimator.k_), "label": estimator.labels_})
    kept_names = corpus.doc.names[np.unique(corpus.doc.codes[kept])]
    kept_docs = doc_ids.isin(kept_names).to_numpy(dtype=bool)
    labels["prevalence"] = np.nanmean(doc_shares[kept_docs], axis=0) if kept_docs.any() else np.nan
    labels = labels.merge(estimator.coherence_, on="topic")
    profile = role_shares(sent_shares[kept], pd.Series(corpus.role.take(kept).values()))
    return pd.concat([labels, profile], axis=1)


def _sentence_topics(corpus: SentenceTokens, sent_shares: np.ndarray) -> pd.DataFrame:
    """sent_id, doc_id, topic, share: k rows per sentence, ids repeated from Arrow."""
    table = long_shares(corpus.sent_id, sent_shares, "sent_id")
    every_row = np.repeat(corpus.doc.codes, sent_shares.shape[1])
    doc_names = pa.array(corpus.doc.names, pa.large_string())
    table.insert(1, "doc_id", doc_names.take(every_row).to_pandas())
    return table


def _documents(documents: pd.DataFrame | str | Path) -> pd.DataFrame:
    """The documents table, or its ``doc_id`` and ``dup_of`` columns read from a Parquet path."""
    if isinstance(documents, pd.DataFrame):
        frame = documents
    else:
        path = Path(documents)
        if not path.is_file():
            raise FileNotFoundError(f"{path}: no such documents table; run the ingest stage first")
        names = pq.ParquetFile(path).schema_arrow.names
        frame = pq.read_table(path, columns=[c for c in ("doc_id", "dup_of") if c in names])
        frame = frame.to_pandas()
    if "doc_id" not in frame.columns:
        raise ValueError("the documents table lacks column 'doc_id'; run the ingest stage first")
    return frame


def _duplicates(documents: pd.DataFrame) -> list[str]:
    if "dup_of" not in documents.columns:
        return []
    return documents.loc[documents["dup_of"].notna(), "doc_id"].astype(str).tolist()
