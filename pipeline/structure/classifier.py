"""RoleClassifier: a sentence's role from its characters and cue words."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted

from .headings import strip_number
from .ngrams import CharNgramCounter
from .roles import ROLES, cue_role, sentence_cues

_DIGITS = re.compile(r"\d+(?:\.\d+)?")


def normalise(text: str) -> str:
    """Text as the classifier sees it: no heading number, every number written 0.

    Example::

        >>> normalise("2.1共收回调查问卷365份")
        '共收回调查问卷0份'
    """
    return _DIGITS.sub("0", strip_number(text))


def cue_features(texts: Iterable[str]) -> csr_matrix:
    """log(1 + count) of each role's cue words, one column per role in ``ROLES`` order.

    Example::

        >>> cue_features(["能力素质不够强。"]).toarray().round(2).tolist()
        [[0.0, 0.69, 0.0, 0.0, 0.0]]
    """
    counts = [[cues[r] for r in ROLES] for cues in map(sentence_cues, texts)]
    counts = np.array(counts, dtype=np.int64).reshape(-1, len(ROLES))
    logs = np.array([np.log1p(n) for n in range(counts.max(initial=0) + 1)], dtype=float)
    return csr_matrix(logs[counts])


class RoleClassifier(ClassifierMixin, BaseEstimator):
    """Character 1–3-gram TF-IDF plus cue-word counts, into a logistic regression.

    The stage trains it on the sentences whose role a heading gave (self-training on the
    corpus at hand). ``decide`` can shift achievement against countermeasure by a context
    score (a section written as a report of past work vs. as prescriptions), and where
    its best probability stays below ``min_proba`` the cue words decide, if any fires.

    Example::

        >>> clf = RoleClassifier().fit(
        ...     ["制度机制不健全。", "考核机制不科学。", "要强化责任意识。", "要完善考核机制。"],
        ...     ["problem", "problem", "countermeasure", "countermeasure"])
        >>> clf.predict(["激励机制不健全。"]).tolist()
        ['problem']
    """

    def __init__(
        self,
        *,
        ngram_range: tuple[int, int] = (1, 3),
        C: float = 4.0,
        min_proba: float = 0.5,
        tense_weight: float = 2.0,
        random_state: int = 0,
    ) -> None:
        self.ngram_range = ngram_range
        self.C = C
        self.min_proba = min_proba
        self.tense_weight = tense_weight
        self.random_state = random_state

    def _features(self, texts: list[str], counts: csr_matrix | None = None) -> csr_matrix:
        """Sublinear TF-IDF of the character n-grams, then the cue-word columns."""
        if counts is None:
            counts = self.ngrams_.transform(texts)
        # float32 halves the solver's work; on the labelled set no role changes, confidences
        # move in the 4th decimal
        features = hstack([self.tfidf_.transform(counts, copy=False), cue_features(texts)])
        return features.tocsr().astype(np.float32)

    def fit(self, texts: Iterable[str], roles: Iterable[str]) -> RoleClassifier:
        """Learn from sentences and their roles; needs at least two different roles."""
        texts, roles = list(texts), list(roles)
        unknown = sorted(set(roles) - set(ROLES))
        if unknown:
            raise ValueError(f"RoleClassifier.fit: unknown role(s) {unknown}; use {ROLES}")
        if len(texts) != len(roles):
            raise ValueError(f"RoleClassifier.fit: {len(texts)} texts but {len(roles)} roles")
        if len(set(roles)) < 2:
            raise ValueError(
                f"RoleClassifier.fit: need sentences of at least two roles, got {sorted(set(roles))}"
                "; give more labelled sentences or rely on the cue rules"
            )
        # CharNgramCounter + TfidfTransformer compute TfidfVectorizer(analyzer="char"), faster.
        self.ngrams_ = CharNgramCounter(ngram_range=self.ngram_range, preprocessor=normalise)
        counts = self.ngrams_.fit_transform(texts)
        self.tfidf_ = TfidfTransformer(sublinear_tf=True).fit(counts)
        # newton-cg reaches the same optimum as lbfgs in a few steps on ~30k n-gram features.
        self.model_ = LogisticRegression(
            C=self.C,
            class_weight="balanced",
            solver="newton-cg",
            max_iter=200,
            random_state=self.random_state,
        ).fit(self._features(texts, counts), roles)
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, texts: Iterable[str]) -> np.ndarray:
        """Probability of each role in ``classes_`` for each text."""
        check_is_fitted(self, "model_")
        return self.model_.predict_proba(self._features(list(texts)))

    def _tense_shift(self, proba: np.ndarray, context: Sequence[float]) -> np.ndarray:
        classes = list(self.classes_)
        shift = np.exp(self.tense_weight * np.asarray(context, dtype=float))
        proba = proba.copy()
        if "achievement" in classes:
            proba[:, classes.index("achievement")] *= shift
        if "countermeasure" in classes:
            proba[:, classes.index("countermeasure")] /= shift
        return proba / proba.sum(axis=1, keepdims=True)

    def decide(
        self,
        texts: Sequence[str],
        candidates: Sequence[frozenset[str]] | None = None,
        context: Sequence[float] | None = None,
    ) -> tuple[list[str], list[float]]:
        """Role and confidence per text, each chosen among its candidate roles (all if empty).

        ``context`` in [-1, 1] per text: how much the surrounding section reports past work
        (+1) rather than prescribes (-1).

        Example::

            >>> clf = RoleClassifier().fit(["不健全。", "要完善。"], ["problem", "countermeasure"])
            >>> clf.decide(["考核不健全。"], [frozenset({"problem", "cause"})])[0]
            ['problem']
        """
        check_is_fitted(self, "model_")
        if not len(texts):
            return [], []
        proba = self.predict_proba(texts)
        if context is not None:
            proba = self._tense_shift(proba, context)
        classes = [str(c) for c in self.classes_]
        allowed = [
            (candidates[i] if candidates else None) or frozenset(ROLES) for i in range(len(texts))
        ]
        masks = {a: [c in a for c in classes] for a in dict.fromkeys(allowed)}
        proba = np.where(np.array([masks[a] for a in allowed]), proba, 0.0)  # allowed roles only
        totals = proba.sum(axis=1)
        best = proba.argmax(axis=1)
        shares = proba[np.arange(len(texts)), best] / np.where(totals > 0, totals, 1.0)
        decided = [
            self._choose(text, a, classes[b], float(share) if total > 0 else None)
            for text, a, b, share, total in zip(texts, allowed, best, shares, totals, strict=True)
        ]
        return [role for role, _ in decided], [round(conf, 4) for _, conf in decided]

    def _choose(
        self, text: str, allowed: frozenset[str], best: str, share: float | None
    ) -> tuple[str, float]:
        """The classifier's best allowed role, unless it is unsure and a cue word decides."""
        if share is None:  # no allowed role has any probability
            return cue_role(text, allowed)
        if share < self.min_proba:
            cue, cue_confidence = cue_role(text, allowed)
            if cue_confidence > 0.5:
                return cue, cue_confidence
        return best, share

    def predict(self, texts: Iterable[str]) -> np.ndarray:
        """The role of each text."""
        return np.array(self.decide(list(texts))[0], dtype=object)
