"""Coherence check against a plain baseline: LDA on plain jieba.lcut tokens of the same texts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
import pandas as pd
from gensim.corpora import Dictionary
from gensim.models import LdaModel

from ..tokens import TokenIndex
from .coherence import CoherenceScorer
from .model import TopicModel
from .selection import top_terms


class Cutter(Protocol):
    """Anything with ``lcut(text) -> list[str]``, e.g. a private ``jieba.Tokenizer()``."""

    def lcut(self, sentence: str) -> list[str]: ...


def plain_lda_topics(
    texts: Sequence[str],
    reference: Dictionary,
    *,
    tokenizer: Cutter,
    k: int,
    passes: int,
    seed: int,
    topn: int = 10,
) -> tuple[list[list[str]], float]:
    """Topics of a bare gensim LdaModel on ``tokenizer.lcut`` tokens (no stop words, no filter).

    Each topic keeps its ``topn`` heaviest terms *that exist in the reference dictionary*
    (punctuation and function words are skipped rather than scored, which favours the baseline).
    Also returns the share of the raw top-``topn`` terms that were skipped.

    Example::

        >>> topics, skipped = plain_lda_topics(texts, ref, tokenizer=jieba.Tokenizer(), k=4,
        ...                                    passes=10, seed=42)      # 朴素基线
        >>> skipped > 0.3
        True
    """
    plain = [tokenizer.lcut(text) for text in texts]
    dictionary = Dictionary(plain)
    lda = LdaModel(
        corpus=[dictionary.doc2bow(tokens) for tokens in plain],
        id2word=dictionary,
        num_topics=k,
        passes=passes,
        random_state=seed,
        eval_every=None,
    )
    vocab = np.array([dictionary[i] for i in range(len(dictionary))], dtype=object)
    ranked = top_terms(lda.get_topics(), vocab, len(vocab))
    raw = [terms[:topn] for terms in ranked]
    skipped = float(np.mean([term not in reference.token2id for terms in raw for term in terms]))
    return [[t for t in terms if t in reference.token2id][:topn] for terms in ranked], skipped


def compare_with_plain_lda(
    model: TopicModel,
    units: pd.DataFrame,
    *,
    tokenizer: Cutter,
) -> pd.DataFrame:
    """c_npmi and c_v of ``model`` and of a plain-jieba LDA with the same k, passes and seed.

    ``units`` has the ``tokens`` (reference, the run's analysed tokens) and ``text`` of the units
    the model was fitted on (see :func:`pipeline.topics.units.analysis_units`). Both models are
    scored against the same reference texts and dictionary. Columns: ``model, k, c_npmi, c_v,
    skipped_top_terms``.

    Example::

        >>> compare_with_plain_lda(result.model, units, tokenizer=jieba.Tokenizer())  # 对比
    """
    keep = units["tokens"].map(len) > 0
    reference_texts = units.loc[keep, "tokens"].tolist()
    reference = Dictionary(reference_texts)
    ours = top_terms(model.topic_term_, model.vocabulary_, model.top_n)
    plain, skipped = plain_lda_topics(
        units.loc[keep, "text"].tolist(),
        reference,
        tokenizer=tokenizer,
        k=model.k_,
        passes=model.passes,
        seed=model.seed,
        topn=model.top_n,
    )
    scorer = CoherenceScorer(TokenIndex.build(reference_texts), topn=model.top_n)
    rows = []
    for name, topics, skip in (
        (f"selected {model.model}", ours, 0.0),
        ("plain jieba LDA", plain, skipped),
    ):
        scores = scorer.score(topics).mean(axis=0).to_dict()
        rows.append({"model": name, "k": model.k_, **scores, "skipped_top_terms": skip})
    return pd.DataFrame(rows)
