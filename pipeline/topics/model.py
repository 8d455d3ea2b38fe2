"""TopicModel: a scikit-learn style estimator over token lists (NMF or gensim LDA)."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from numbers import Integral
from pathlib import Path

import numpy as np
import pandas as pd
from gensim.corpora import Dictionary
from gensim.matutils import Sparse2Corpus
from gensim.models import LdaModel
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfTransformer

from ..tokens import TokenIndex
from .coherence import MAX_REFERENCE_TOKENS, MEASURES, CoherenceScorer, sample_rows
from .corpus import count_matrix, take_rows
from .io import load_model, save_model
from .labels import topic_labels
from .selection import select_k, top_terms
from .units import UNITS

MODELS = ("nmf", "lda")
SEARCH_TOKENS = 100_000  # tokens of the units the k search fits on: bounds its cost
LDA_CHUNK = 10_000  # rows per gensim inference call in transform


class TopicModel(TransformerMixin, BaseEstimator):
    """Topics over analysed token lists; k chosen by coherence when not given.

    Parameters are only stored by ``__init__``. ``fit(units)`` (token lists, or a
    :class:`~pipeline.tokens.TokenIndex` with one row per unit) learns:

    * ``vocabulary_`` (sorted term array), ``dictionary_`` (gensim Dictionary with the same ids);
    * ``selection_``: ``k, c_npmi, c_v, stability, chosen`` from an NMF search over ``k_range``
      with ``n_seeds`` seeds (empty when ``k`` is given); ``k_``: the k used;
    * ``model_`` (sklearn NMF or gensim LdaModel, one full fit), ``tfidf_`` (NMF only),
      ``topic_term_`` (k x terms, rows sum to 1), ``topics_`` (``topic, rank, term, weight``),
      ``labels_`` (e.g. ``'两张皮·考核机制·党务干部'``), ``coherence_`` (``topic, c_npmi, c_v``),
      ``n_units_`` (units that reached the model).

    The unit x term counts are built once from the token codes and kept sparse: NMF fits on
    that sparse matrix (tf-idf weighted), and gensim's LdaModel trains from a streamed corpus
    over its rows (``Sparse2Corpus``), never from lists of token lists.

    Cost control: the k search fits NMF (at most 100 iterations) on a seeded sample of at most
    ``search_units`` units holding at most ``search_tokens`` tokens; coherence is measured on
    at most ``coherence_units`` sampled units (None = all) holding at most 200,000 tokens; then
    ONE full fit at ``k_`` (NMF: nndsvda init, 400 iterations; LDA: ``passes`` passes).
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
        search_units: int | None = 2000,
        search_tokens: int | None = SEARCH_TOKENS,
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
        self.search_tokens = search_tokens
        self.coherence_units = coherence_units

    def _check_params(self) -> None:
        if self.model not in MODELS:
            raise ValueError(f"model = {self.model!r} is not one of {', '.join(MODELS)}")
        if self.unit not in UNITS:
            raise ValueError(f"unit = {self.unit!r} is not one of {', '.join(UNITS)}")
        if self.k is not None and self.k < 1:
            raise ValueError(f"k = {self.k} must be at least 1 (or None to choose it)")

    def fit(self, units: TokenIndex | Sequence[Sequence[str]], y: None = None) -> TopicModel:
        """Learn vocabulary, choose k (unless given), then fit the topic model once.

        Example::

            >>> TopicModel(k=4).fit([["两张皮", "考核机制"], ["党务干部", "专职化"]] * 5).k_
            4
        """
        self._check_params()
        index = _as_index(units)
        texts = take_rows(index, np.flatnonzero(index.lengths() > 0))
        if not len(texts):
            raise ValueError("no unit has any token; check that the segment stage filled `tokens`")
        counts = self._vocabulary(texts)
        self.n_units_ = counts.shape[0]
        reference = sample_rows(
            texts.lengths(),
            max_rows=self.coherence_units,
            max_tokens=MAX_REFERENCE_TOKENS,
            seed=self.seed,
        )
        scorer = CoherenceScorer(
            take_rows(texts, reference), known=self.vocabulary_, topn=self.top_n
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

    def _vocabulary(self, texts: TokenIndex) -> sparse.csr_matrix:
        """Fit vocabulary_ and dictionary_; counts of the units with a known term."""
        counts, self.vocabulary_ = unit_term_counts(texts, min_df=self.min_df, max_df=self.max_df)
        counts = counts[np.flatnonzero(counts.getnnz(axis=1))]
        self.dictionary_ = _dictionary(counts, self.vocabulary_)
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
            search_tokens=self.search_tokens,
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
                corpus=Sparse2Corpus(counts, documents_columns=False),  # streamed row by row
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
                (t, rank + 1, term, float(self.topic_term_[t, self._column(term)]))
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

    def _column(self, term: str) -> int:
        return int(np.searchsorted(self.vocabulary_, term))

    def counts(self, units: TokenIndex | Sequence[Sequence[str]]) -> sparse.csr_matrix:
        """Counts of the model's terms in each row (rows x vocabulary_), as CountVectorizer.

        Example::

            >>> tm.counts([["两张皮", "两张皮", "不存在的词"]]).sum()   # 只数模型词表内的词
            2
        """
        index = _as_index(units)
        slot = np.searchsorted(self.vocabulary_, index.vocab)
        inside = slot < len(self.vocabulary_)
        inside[inside] = self.vocabulary_[slot[inside]] == index.vocab[inside]
        return count_matrix(index, np.where(inside, slot, -1), len(self.vocabulary_))

    def transform(self, units: TokenIndex | Sequence[Sequence[str]]) -> np.ndarray:
        """Topic shares (rows sum to 1); NaN rows for token lists with no known term.

        Example::

            >>> shares = tm.transform([["两张皮", "考核机制"], []])   # 句子的主题占比
            >>> shares.shape == (2, tm.k_), bool(np.isnan(shares[1]).all())
            (True, True)
        """
        counts = self.counts(units)
        if self.model == "nmf":
            weights = self.model_.transform(self.tfidf_.transform(counts))
        else:
            weights = self._lda_weights(counts)
        weights = np.asarray(weights, dtype=float)
        weights[counts.getnnz(axis=1) == 0] = 0.0
        totals = weights.sum(axis=1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(totals > 0, weights / totals, np.nan)

    def _lda_weights(self, counts: sparse.csr_matrix) -> np.ndarray:
        """gensim inference in chunks of rows, re-seeded per call (same draws as one chunk)."""
        lda = copy.copy(self.model_)
        lda.random_state = np.random.RandomState(self.seed)
        parts = [np.zeros((0, self.k_))]
        for start in range(0, counts.shape[0], LDA_CHUNK):
            chunk = counts[start : start + LDA_CHUNK]
            parts.append(lda.inference(list(Sparse2Corpus(chunk, documents_columns=False)))[0])
        return np.vstack(parts)

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


def _as_index(units: TokenIndex | Sequence[Sequence[str]]) -> TokenIndex:
    if isinstance(units, TokenIndex):
        return units
    return TokenIndex.build([list(t) for t in units])


def unit_term_counts(
    texts: TokenIndex, *, min_df: float = 2, max_df: float = 0.95
) -> tuple[sparse.csr_matrix, np.ndarray]:
    """What ``CountVectorizer(analyzer=identity, min_df, max_df).fit_transform`` gives for the
    rows of ``texts``: (counts, sorted vocabulary), without Python token lists.

    Each row even stores its entries in CountVectorizer's order (by the first appearance of
    the term in ``texts``), so later floating-point sums (gensim's LDA) run in the same order.

    Example::

        >>> counts, vocab = unit_term_counts(TokenIndex.build([["两张皮", "党建"], ["两张皮"]]),
        ...                                  min_df=2, max_df=1.0)       # 词频矩阵
        >>> vocab.tolist(), counts.toarray().tolist()
        (['两张皮'], [[1], [1]])
    """
    seen = pd.unique(texts.codes)  # codes in order of first appearance
    rank = np.full(len(texts.vocab), -1, dtype=np.int64)
    rank[seen] = np.arange(len(seen))
    full = count_matrix(texts, rank, len(seen))  # column = first-appearance rank
    df = np.bincount(full.indices, minlength=len(seen))
    n_doc = len(texts)
    high = max_df if isinstance(max_df, Integral) else max_df * n_doc
    low = min_df if isinstance(min_df, Integral) else min_df * n_doc
    if high < low:
        raise ValueError(f"max_df = {max_df} keeps fewer units than min_df = {min_df}")
    kept = np.zeros(len(texts.vocab), dtype=bool)
    kept[seen] = (df <= high) & (df >= low)
    if not kept.any():
        raise ValueError(
            f"topic vocabulary is empty (no term is in at least min_df = {min_df} and at most "
            f"max_df = {max_df} of {n_doc} units); lower min_df or give more text"
        )
    column = np.where(kept, np.cumsum(kept) - 1, -1)
    return _move_columns(full, column[seen], int(kept.sum())), texts.vocab[kept]


def _move_columns(matrix: sparse.csr_matrix, new: np.ndarray, n_columns: int) -> sparse.csr_matrix:
    """Column j of ``matrix`` becomes ``new[j]`` (-1: dropped); rows keep their storage order."""
    column = new[matrix.indices]
    keep = column >= 0
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))[keep]
    indptr = np.zeros(matrix.shape[0] + 1, dtype=matrix.indptr.dtype)
    np.cumsum(np.bincount(rows, minlength=matrix.shape[0]), out=indptr[1:])
    indices = column[keep].astype(matrix.indices.dtype)
    return sparse.csr_matrix(
        (matrix.data[keep], indices, indptr), shape=(matrix.shape[0], n_columns)
    )


def _dictionary(counts: sparse.csr_matrix, vocabulary: np.ndarray) -> Dictionary:
    """The gensim Dictionary that ``Dictionary.from_corpus`` builds from ``counts``' rows."""
    dictionary = Dictionary()
    dictionary.token2id = {str(term): i for i, term in enumerate(vocabulary)}
    dfs = np.bincount(counts.indices, minlength=len(vocabulary))
    dictionary.dfs = {i: int(n) for i, n in enumerate(dfs)}
    dictionary.num_docs = counts.shape[0]
    dictionary.num_nnz = int(counts.nnz)
    dictionary.num_pos = int(counts.data.sum())
    return dictionary
