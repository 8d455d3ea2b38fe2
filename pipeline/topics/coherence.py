"""Topic coherence (gensim c_npmi / c_v) against the corpus's own token lists."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from gensim.corpora import Dictionary
from gensim.models.coherencemodel import CoherenceModel

MEASURES = ("c_npmi", "c_v")
MAX_REFERENCE_TOKENS = 200_000  # tokens of reference text for coherence (~5 s of counting)


def reference_sample(
    texts: Sequence[Sequence[str]],
    *,
    max_texts: int | None,
    seed: int,
    max_tokens: int | None = MAX_REFERENCE_TOKENS,
) -> list[list[str]]:
    """A seeded sample of the texts (original order): at most ``max_texts`` texts holding at
    most ``max_tokens`` tokens in all (the first text drawn is always kept); all if None.

    gensim's sliding-window count visits every window of every reference text in Python,
    so the reference is bounded by tokens, not only by texts.

    Example::

        >>> len(reference_sample([["两张皮"]] * 10, max_texts=3, seed=42))
        3
    """
    order = np.random.default_rng(seed).permutation(len(texts))
    if max_texts is not None:
        order = order[:max_texts]
    if max_tokens is not None:
        lengths = np.fromiter((len(texts[i]) for i in order), dtype=np.int64, count=len(order))
        within = np.cumsum(lengths) <= max_tokens
        order = order[: max(1, int(within.sum()))] if len(order) else order
    if len(order) == len(texts):
        return [list(t) for t in texts]
    return [list(texts[i]) for i in np.sort(order)]


class CoherenceScorer:
    """Scores topics against fixed reference texts with one gensim CoherenceModel per measure.

    The sliding-window counts are gensim's accumulator; it is kept between calls and only
    recounted when new topics contain words it has not counted yet. Topic words missing from
    ``dictionary`` are skipped by gensim.

    Example::

        >>> scorer = CoherenceScorer(texts, dictionary)           # 主题一致性
        >>> scorer.score([["两张皮", "考核机制", "党务干部"]]).columns.tolist()
        ['c_npmi', 'c_v']
    """

    def __init__(
        self,
        texts: Sequence[Sequence[str]],
        dictionary: Dictionary,
        *,
        topn: int = 10,
        measures: Sequence[str] = MEASURES,
    ) -> None:
        self.texts = texts
        self.dictionary = dictionary
        self.topn = topn
        self.measures = tuple(measures)
        self._models: dict[str, CoherenceModel] = {}

    def score(self, topics: Sequence[Sequence[str]]) -> pd.DataFrame:
        """One row per topic, one column per measure."""
        lists = [list(t) for t in topics]
        out = {}
        for measure in self.measures:
            model = self._models.get(measure)
            if model is None:
                model = CoherenceModel(
                    topics=lists,
                    texts=self.texts,
                    dictionary=self.dictionary,
                    coherence=measure,
                    topn=self.topn,
                    processes=1,
                )
                self._models[measure] = model
            else:
                model.topics = lists
            out[measure] = np.asarray(model.get_coherence_per_topic(), dtype=float)
        return pd.DataFrame(out)
