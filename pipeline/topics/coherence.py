"""Topic coherence (gensim c_npmi / c_v) against the corpus's own token lists."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from gensim.corpora import Dictionary
from gensim.models.coherencemodel import CoherenceModel

MEASURES = ("c_npmi", "c_v")


def reference_sample(
    texts: Sequence[Sequence[str]], *, max_texts: int | None, seed: int
) -> list[list[str]]:
    """At most ``max_texts`` of the texts (seeded sample, original order), all if None.

    Example::

        >>> len(reference_sample([["两张皮"]] * 10, max_texts=3, seed=42))
        3
    """
    if max_texts is None or len(texts) <= max_texts:
        return [list(t) for t in texts]
    rows = np.sort(np.random.default_rng(seed).choice(len(texts), max_texts, replace=False))
    return [list(texts[i]) for i in rows]


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
