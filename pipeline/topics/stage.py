"""The topics stage: fit a TopicModel on document or claim units and describe it as tables."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .model import TopicModel
from .profiles import long_shares, role_shares
from .units import analysed_sentences, analysis_units, document_tokens


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
    sentences: pd.DataFrame,
    documents: pd.DataFrame,
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
    search_units: int = 2000,
    coherence_units: int | None = 2000,
) -> TopicResult:
    """Fit topics on the non-duplicate documents (or their claim units) and tabulate them.

    Example::

        >>> result = topics(sentences, documents, model="nmf", unit="claim")   # 主题分析
        >>> result.doc_topics.groupby("doc_id")["share"].sum().round(6).unique().tolist()
        [1.0]
    """
    kept = analysed_sentences(sentences, documents)
    units = analysis_units(kept, unit=unit)
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
        coherence_units=coherence_units,
    ).fit(units["tokens"].tolist())

    everything = analysed_sentences(sentences)
    doc_ids = pd.Series(sorted(documents["doc_id"].astype(str)))
    doc_tokens = document_tokens(everything).reindex(doc_ids)
    doc_tokens = [t if isinstance(t, list) else [] for t in doc_tokens]
    doc_shares = estimator.transform(doc_tokens)
    sent_shares = estimator.transform(everything["tokens"].tolist())

    sentence_topics = long_shares(everything["sent_id"], sent_shares, "sent_id")
    sentence_topics.insert(1, "doc_id", np.repeat(everything["doc_id"].to_numpy(), estimator.k_))
    kept_ids = set(kept["doc_id"].unique())
    kept_rows = everything["doc_id"].map(kept_ids.__contains__).to_numpy(dtype=bool)
    labels = pd.DataFrame({"topic": np.arange(estimator.k_), "label": estimator.labels_})
    kept_docs = doc_ids.map(kept_ids.__contains__).to_numpy(dtype=bool)
    labels["prevalence"] = np.nanmean(doc_shares[kept_docs], axis=0) if kept_docs.any() else np.nan
    labels = labels.merge(estimator.coherence_, on="topic")
    profile = role_shares(sent_shares[kept_rows], everything["role"][kept_rows])
    return TopicResult(
        model=estimator,
        topics=estimator.topics_.copy(),
        doc_topics=long_shares(doc_ids, doc_shares, "doc_id"),
        sentence_topics=sentence_topics,
        model_selection=estimator.selection_.copy(),
        topic_labels=pd.concat([labels, profile], axis=1),
    )
