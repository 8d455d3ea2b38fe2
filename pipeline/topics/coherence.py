"""Topic coherence c_npmi and c_v with gensim's definitions, counted with array operations.

gensim's ``CoherenceModel`` slides a boolean window over every reference text in Python (about
20 µs per window). Here the same counts come from the token codes directly:

* gensim keeps the set of words in the window incrementally: when the window moves, the word
  that left at the front is removed from the set *even if it still occurs later in the
  window*, and the new last word is added. So a word counts as present in window i from the
  first window that reaches one of its occurrences (``max(0, q - size + 1)``) up to and
  including the window that starts at its first occurrence at or after that point. Texts no
  longer than the window are one window; an empty text is one empty window.
* Window counts follow from these presence intervals; co-occurrence counts from one sparse
  product over the stretches of windows in which the set of present topic words is fixed.
* NPMI, the c_v context vectors, cosine and the means are computed with the same floating-point
  operations in the same order as gensim 4.4, so the values are the same to the last bit (the
  tests compare them with ``CoherenceModel``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from ..tokens import TokenIndex

MEASURES = ("c_npmi", "c_v")
WINDOW = {"c_npmi": 10, "c_v": 110}  # gensim's default window sizes
EPSILON = 1e-12  # gensim.topic_coherence.direct_confirmation_measure.EPSILON
MAX_REFERENCE_TOKENS = 200_000  # tokens of reference text for coherence


def sample_rows(
    lengths: np.ndarray, *, max_rows: int | None, max_tokens: int | None, seed: int
) -> np.ndarray:
    """Sorted indices of a seeded sample: at most ``max_rows`` rows holding at most
    ``max_tokens`` tokens in all (the first row drawn is always kept); all rows if both None.

    Example::

        >>> sample_rows(np.full(10, 5), max_rows=3, max_tokens=None, seed=42).size   # 抽样
        3
    """
    lengths = np.asarray(lengths, dtype=np.int64)
    order = np.random.default_rng(seed).permutation(len(lengths))
    if max_rows is not None:
        order = order[:max_rows]
    if max_tokens is not None and len(order):
        within = np.cumsum(lengths[order]) <= max_tokens
        order = order[: max(1, int(within.sum()))]
    return np.sort(order)


@dataclass(frozen=True)
class WindowPresence:
    """Windows in which each word counts as present, as gensim's sliding window sees them.

    ``word, start, end``: disjoint inclusive intervals of global window numbers (windows of
    reference row 0 first), sorted by word (an index into the ``words`` it was built for),
    then start; ``n_windows``: the number of windows.

    Example::

        >>> index = TokenIndex.build([["两张皮", "党建", "两张皮", "党建"]])
        >>> p = WindowPresence.build(index, np.array([0]), 2)       # 窗口内出现的区间
        >>> p.start.tolist(), p.end.tolist(), p.n_windows
        ([0, 1], [0, 2], 3)
    """

    word: np.ndarray
    start: np.ndarray
    end: np.ndarray
    n_windows: int
    n_words: int

    @classmethod
    def build(cls, index: TokenIndex, words: np.ndarray, window: int) -> WindowPresence:
        """Intervals of the sorted codes ``words`` in the rows of ``index``."""
        lengths = index.lengths()
        per_row = np.maximum(lengths - window + 1, 1)
        first_window = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(per_row, out=first_window[1:])
        slot = np.minimum(np.searchsorted(words, index.codes), max(len(words) - 1, 0))
        hits = np.flatnonzero(words[slot] == index.codes) if len(words) else slot[:0]
        word = slot[hits]
        order = np.argsort(word, kind="stable")  # by word, then row, then position
        hits, word = hits[order], word[order]
        row = np.searchsorted(index.offsets, hits, side="right") - 1
        pos = hits - index.offsets[row]
        start = np.maximum(pos - window + 1, 0)
        group = np.cumsum(np.r_[True, (word[1:] != word[:-1]) | (row[1:] != row[:-1])])
        span = int(lengths.max(initial=0)) + 1
        key = group * span + pos
        end = np.minimum(pos[np.searchsorted(key, group * span + start)], per_row[row] - 1)
        total = int(first_window[-1])
        lo = word * (total + 1) + first_window[row] + start
        hi = word * (total + 1) + first_window[row] + end
        reach = np.maximum.accumulate(hi) if len(hi) else hi
        opens = np.r_[True, lo[1:] > reach[:-1]][: len(lo)]
        closes = np.r_[opens[1:], True][: len(lo)]
        base = word[opens] * (total + 1)
        return cls(word[opens], lo[opens] - base, reach[closes] - base, total, len(words))

    def occurrences(self) -> np.ndarray:
        """Number of windows in which each word is present."""
        lengths = self.end - self.start + 1
        return np.bincount(self.word, weights=lengths, minlength=self.n_words).astype(np.int64)

    def co_occurrences(self) -> np.ndarray:
        """(words x words) number of windows holding both words (diagonal: occurrences).

        Between consecutive points where some word's presence changes, the set of present
        words is fixed: with M = segments x words (present or not) and L the segment lengths,
        the counts are ``M.T @ diag(L) @ M``.
        """
        points = np.unique(np.r_[self.start, self.end + 1, 0])
        first = np.searchsorted(points, self.start)
        span = np.searchsorted(points, self.end + 1) - first
        before = np.zeros(len(span), dtype=np.int64)
        np.cumsum(span[:-1], out=before[1:])
        segment = np.repeat(first - before, span) + np.arange(int(span.sum()))
        present = sparse.csr_matrix(
            (np.ones(len(segment), dtype=np.int64), (segment, np.repeat(self.word, span))),
            shape=(len(points) - 1, self.n_words),
        )
        weighted = present.T.multiply(np.diff(points)).tocsr()
        return (weighted @ present).toarray()


def npmi_matrix(occurrences: np.ndarray, co: np.ndarray, n_windows: int) -> np.ndarray:
    """gensim's normalised log-ratio (NPMI) of every word pair, same operations and order.

    Example::

        >>> round(float(npmi_matrix(np.array([2, 2]), np.array([[2, 2], [2, 2]]), 4)[0, 1]), 6)
        1.0
    """
    num = float(n_windows)
    p = occurrences / num
    joint = co / num
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.log((joint + EPSILON) / (p[:, None] * p[None, :]))
        return ratio / (-np.log(joint + EPSILON))


def _mean(values: np.ndarray) -> float:
    if not len(values):
        return float("nan")
    return float(np.mean(values))


def c_npmi(npmi: np.ndarray) -> float:
    """Mean NPMI over ordered pairs (i != j) of a topic's words, in gensim's s_one_one order.

    ``npmi`` is the (n x n) NPMI matrix of the topic's words in topic order.

    Example::

        >>> c_npmi(np.array([[1.0, 0.5], [0.5, 1.0]]))
        0.5
    """
    n = len(npmi)
    return _mean(npmi.ravel()[~np.eye(n, dtype=bool).ravel()])


def c_v(npmi: np.ndarray, rank: np.ndarray) -> float:
    """gensim's c_v: mean cosine between each word's NPMI vector and the topic's summed vector.

    ``npmi`` is the topic's (n x n) NPMI matrix in topic order; ``rank`` orders the words as
    gensim stores the context vectors (first appearance over all topics scored together).
    Zero entries are not stored, as in gensim.

    Example::

        >>> round(c_v(np.array([[1.0, 0.5], [0.5, 1.0]]), np.array([0, 1])), 6)
        0.948683
    """
    n = len(npmi)
    order = np.argsort(rank, kind="stable")
    whole = (np.cumsum(npmi, axis=0)[-1] if n else np.zeros(0))[order]  # sequential, as lil +=
    whole_nz = whole != 0
    whole_norm = np.sqrt(np.sum(whole[whole_nz] ** 2))
    sims = np.zeros(n)
    for i in range(n):
        one = npmi[i][order]
        both = (one != 0) & whole_nz
        dot = np.cumsum(one[both] * whole[both])[-1] if both.any() else 0.0
        with np.errstate(divide="ignore", invalid="ignore"):
            sims[i] = dot / (np.sqrt(np.sum(one[one != 0] ** 2)) * whole_norm)
    return _mean(sims)


class CoherenceScorer:
    """Scores topics (lists of terms) by c_npmi and c_v against fixed reference texts.

    ``reference`` holds the reference texts (one row each) as a TokenIndex; ``known`` limits
    the terms that are scored (default: the reference vocabulary). Unknown terms are skipped,
    as gensim skips words missing from its dictionary; a topic with no known term scores NaN.

    Example::

        >>> scorer = CoherenceScorer(TokenIndex.build(texts))          # 主题一致性
        >>> scorer.score([["两张皮", "考核机制", "党务干部"]]).columns.tolist()
        ['c_npmi', 'c_v']
    """

    def __init__(
        self,
        reference: TokenIndex,
        *,
        known: Sequence[str] | np.ndarray | None = None,
        topn: int = 10,
        measures: Sequence[str] = MEASURES,
    ) -> None:
        unknown = set(measures) - set(MEASURES)
        if unknown:
            raise ValueError(f"coherence measures {sorted(unknown)} are not one of {MEASURES}")
        self.reference = reference
        vocab = reference.vocab
        allowed = np.ones(len(vocab), bool) if known is None else pd.Index(vocab).isin(known)
        self.codes = {str(vocab[i]): int(i) for i in np.flatnonzero(allowed)}
        self.topn = topn
        self.measures = tuple(measures)

    def _ids(self, topics: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """Reference codes of each topic's known terms, the first ``topn`` of them."""
        found = [[self.codes.get(str(t)) for t in topic] for topic in topics]
        return [np.array([c for c in codes if c is not None][: self.topn], int) for codes in found]

    def score(self, topics: Sequence[Sequence[str]]) -> pd.DataFrame:
        """One row per topic, one column per measure.

        Example::

            >>> scorer.score([["两张皮", "考核机制"], ["党务干部", "专职化"]])["c_npmi"].size
            2
        """
        ids = self._ids(topics)
        words = np.unique(np.concatenate([np.zeros(0, np.int64), *ids]))
        local = [np.searchsorted(words, t) for t in ids]
        first_seen = pd.unique(np.concatenate([np.zeros(0, np.int64), *local]))
        rank = np.empty(len(words), dtype=np.int64)
        rank[first_seen] = np.arange(len(first_seen))
        out = {}
        for measure in self.measures:
            presence = WindowPresence.build(self.reference, words, WINDOW[measure])
            occurrences, co = presence.occurrences(), presence.co_occurrences()
            values = []
            for topic in local:
                block = co[np.ix_(topic, topic)]
                npmi = npmi_matrix(occurrences[topic], block, presence.n_windows)
                if not len(topic):
                    values.append(np.nan)
                elif measure == "c_npmi":
                    values.append(c_npmi(npmi))
                else:
                    values.append(c_v(npmi, rank[topic]))
            out[measure] = values
        return pd.DataFrame(out, dtype=float)
