"""TopicModel: a scikit-learn style estimator over token lists (NMF or gensim LDA)."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from gensim.corpora import Dictionary
from gensim.matutils import Sparse2Corpus
from gensim.models import LdaModel
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

from .coherence import MEASURES, CoherenceScorer, reference_sample
from .io import load_model, save_model
from .labels import topic_labels
from .selection import select_k, top_terms
from .units import UNITS, identity

MODELS = ("nmf", "lda")


class TopicModel(TransformerMixin, BaseEstimator):
    """Topics over analysed token lists; k chosen by coherence when not given.

    Parameters are only stored by ``__init__``. ``fit(token_lists)`` learns:

    * ``vectorizer_`` (CountVectorizer, identity analyzer), ``vocabulary_`` (term array),
      ``dictionary_`` (gensim Dictionary with the same ids, for coherence);
    * ``selection_``: ``k, c_npmi, c_v, stability, chosen`` from an NMF search over ``k_range``
      with ``n_seeds`` seeds (empty when ``k`` is given); ``k_``: the k used;
    * ``model_`` (sklearn NMF or gensim LdaModel, one full fit), ``tfidf_`` (NMF only),
      ``topic_term_`` (k x terms, rows sum to 1), ``topics_`` (``topic, rank, term, weight``),
      ``labels_`` (e.g. ``'两张皮·考核机制·党务干部'``), ``coherence_`` (``topic, c_npmi, c_v``),
      ``n_units_`` (units that reached the model).

    Cost control: the k search fits NMF (at most 100 iterations) on at most ``search_units``
    sampled units per (k, seed); coherence is measured on at most ``coherence_units`` sampled
    units (None = all) with gensim's counts shared by all candidates; then ONE full fit at
    ``k_`` (NMF: nndsvda init, 400 iterations; LDA: ``passes`` passes of gensim LdaModel).
    The vocabulary keeps terms in at least ``min_df`` units and at most ``max_df`` of them.

    Units with no in-vocabulary token never reach the model; ``transform`` gives them NaN rows.
    ``unit`` records which unit ('document' or 'claim') the token lists are; see
    :func:`pipeline.topics.units.analysis_units`.

    Example::

        >>> tm = TopicModel(model="nmf", k_range=(3, 6), n_seeds=2).fit(token_lists)  # 主题模型
        >>> tm.labels_[0].count("·")      # 三个词组成的标签, 如 '两张皮·考核机制·党务干部'
        2
    """

    def __init__(
        self,
        model: str = "nmf",
        k: int | None = None,
        k_range: tuple[int, int] = (3, 10),
        n_seeds: int = 3,
        seed: int = 42,
        passes: int = 10,
        unit: str = "document",
        top_n: int = 10,
        min_df: int = 2,
        max_df: float = 0.95,
        search_units: int = 2000,
        coherence_units: int | None = 2000,
    ) -> None:
        self.model = model
        self.k = k
        self.k_range = k_range
        self.n_seeds = n_seeds
        self.seed = seed
        self.passes = passes
        self.unit = unit
        self.top_n = top_n
        self.min_df = min_df
        self.max_df = max_df
        self.search_units = search_units
        self.coherence_units = coherence_units

    def _check_params(self) -> None:
        if self.model not in MODELS:
            raise ValueError(f"model = {self.model!r} is not one of {', '.join(MODELS)}")
        if self.unit not in UNITS:
            raise ValueError(f"unit = {self.unit!r} is not one of {', '.join(UNITS)}")
        if self.k is not None and self.k < 1:
            raise ValueError(f"k = {self.k} must be at least 1 (or None to choose it)")

    def fit(self, token_lists: Sequence[Sequence[str]], y: None = None) -> TopicModel:
        """Learn vocabulary, choose k (unless given), then fit the topic model once.

        Example::

            >>> TopicModel(k=4).fit([["两张皮", "考核机制"], ["党务干部", "专职化"]] * 5).k_
            4
        """
        self._check_params()
        texts = [list(t) for t in token_lists if len(t)]
        if not texts:
            raise ValueError("no unit has any token; check that the segment stage filled `tokens`")
        counts = self._vocabulary(texts)
        self.n_units_ = counts.shape[0]
        scorer = CoherenceScorer(
            reference_sample(texts, max_texts=self.coherence_units, seed=self.seed),
            self.dictionary_,
            topn=self.top_n,
        )
        self.selection_ = self._selection(counts, scorer)
        self.k_ = (
            self.k
            if self.k is not None
            else int(self.selection_.loc[self.selection_["chosen"], "k"].iloc[0])
        )
        self._fit_model(counts)
        self._describe(counts, scorer)
        return self

    def _vocabulary(self, texts: list[list[str]]) -> sparse.csr_matrix:
        """Fit vectorizer_, vocabulary_, dictionary_; counts of the units with a known term."""
        self.vectorizer_ = CountVectorizer(
            analyzer=identity, lowercase=False, min_df=self.min_df, max_df=self.max_df
        )
        try:
            counts = self.vectorizer_.fit_transform(texts).tocsr()
        except ValueError as exc:
            raise ValueError(
                f"topic vocabulary is empty ({exc}); lower min_df or give more text"
            ) from None
        counts = counts[np.flatnonzero(counts.getnnz(axis=1))]
        self.vocabulary_ = self.vectorizer_.get_feature_names_out()
        self.dictionary_ = Dictionary.from_corpus(
            Sparse2Corpus(counts, documents_columns=False),
            id2word=dict(enumerate(self.vocabulary_)),
        )
        return counts

    def _selection(self, counts: sparse.csr_matrix, scorer: CoherenceScorer) -> pd.DataFrame:
        if self.k is not None:
            return pd.DataFrame(columns=["k", *MEASURES, "stability", "chosen"])
        return select_k(
            counts,
            self.vocabulary_,
            scorer,
            k_range=self.k_range,
            n_seeds=self.n_seeds,
            seed=self.seed,
            search_units=self.search_units,
            topn=self.top_n,
        )

    def _fit_model(self, counts: sparse.csr_matrix) -> None:
        if self.model == "nmf":
            self.tfidf_ = TfidfTransformer().fit(counts)
            self.model_ = NMF(
                n_components=self.k_, init="nndsvda", random_state=self.seed, max_iter=400
            ).fit(self.tfidf_.transform(counts))
            weights = self.model_.components_
        else:
            self.tfidf_ = None
            self.model_ = LdaModel(
                corpus=Sparse2Corpus(counts, documents_columns=False),
                id2word=self.dictionary_,
                num_topics=self.k_,
                passes=self.passes,
                random_state=self.seed,
                eval_every=None,
            )
            weights = self.model_.get_topics()
        totals = weights.sum(axis=1, keepdims=True)
        self.topic_term_ = np.divide(
            weights, totals, out=np.zeros_like(weights, float), where=totals > 0
        )

    def _describe(self, counts: sparse.csr_matrix, scorer: CoherenceScorer) -> None:
        terms = top_terms(self.topic_term_, self.vocabulary_, self.top_n)
        self.topics_ = pd.DataFrame(
            [
                (t, rank + 1, term, float(self.topic_term_[t, self.vectorizer_.vocabulary_[term]]))
                for t, row in enumerate(terms)
                for rank, term in enumerate(row)
            ],
            columns=["topic", "rank", "term", "weight"],
        )
        background = np.asarray(counts.sum(axis=0)).ravel()
        self.labels_ = topic_labels(self.topic_term_, background, self.vocabulary_)
        self.coherence_ = pd.concat(
            [pd.DataFrame({"topic": np.arange(self.k_)}), scorer.score(terms)], axis=1
        )

    def transform(self, token_lists: Sequence[Sequence[str]]) -> np.ndarray:
        """Topic shares (rows sum to 1); NaN rows for token lists with no known term.

        Example::

            >>> shares = tm.transform([["两张皮", "考核机制"], []])   # 句子的主题占比
            >>> shares.shape == (2, tm.k_), bool(np.isnan(shares[1]).all())
            (True, True)
        """
        counts = self.vectorizer_.transform([list(t) for t in token_lists]).tocsr()
        if self.model == "nmf":
            weights = self.model_.transform(self.tfidf_.transform(counts))
        else:
            lda = copy.copy(self.model_)
            lda.random_state = np.random.RandomState(self.seed)
            weights, _ = lda.inference(list(Sparse2Corpus(counts, documents_columns=False)))
        weights = np.asarray(weights, dtype=float)
        weights[counts.getnnz(axis=1) == 0] = 0.0
        totals = weights.sum(axis=1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(totals > 0, weights / totals, np.nan)

    def save(self, folder: str | Path) -> Path:
        """Write model.pkl, vocabulary.txt, params.json and hashes.json (sha256) to ``folder``.

        Example::

            >>> tm.save("models/runs/topics")   # 保存主题模型
        """
        return save_model(self, folder)

    @classmethod
    def load(cls, folder: str | Path) -> TopicModel:
        """Reload a saved model after checking every file against hashes.json.

        Example::

            >>> TopicModel.load("models/runs/topics").labels_ == tm.labels_
            True
        """
        return load_model(folder, expected=cls)
