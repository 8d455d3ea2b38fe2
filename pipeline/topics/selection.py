"""Choosing the number of topics: coherence (c_npmi, c_v) on the corpus's own tokens + stability.

The search never repeats the full fit for every candidate and seed: it runs scikit-learn NMF
(fast, at most ``SEARCH_ITER`` iterations) on at most ``search_units`` sampled units for each k and
seed, scores all the resulting topics in one go with a :class:`CoherenceScorer`, and leaves a
single full fit at the chosen k to the caller.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from itertools import combinations

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import linear_sum_assignment
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfTransformer

from .coherence import MEASURES, CoherenceScorer

SEARCH_ITER = 100


def top_terms(topic_term: np.ndarray, vocab: np.ndarray, topn: int = 10) -> list[list[str]]:
    """The ``topn`` heaviest terms of each topic row (ties in vocabulary order).

    Example::

        >>> top_terms(np.array([[0.1, 0.9]]), np.array(["两张皮", "党务干部"]), 1)
        [['党务干部']]
    """
    order = np.argsort(-topic_term, axis=1, kind="stable")[:, :topn]
    return [[str(vocab[i]) for i in row if topic_term[t, i] > 0] for t, row in enumerate(order)]


def stability(runs: Sequence[Sequence[Sequence[str]]]) -> float:
    """Mean best-match Jaccard of top terms between every pair of runs (Hungarian matching).

    1.0 means every seed found the same topics; NaN with fewer than two runs.

    Example::

        >>> stability([[["两张皮", "考核机制"]], [["两张皮", "党务干部"]]])
        0.3333333333333333
    """
    scores = []
    for left, right in combinations(runs, 2):
        sets_l, sets_r = [set(t) for t in left], [set(t) for t in right]
        jac = np.array([[len(a & b) / max(len(a | b), 1) for b in sets_r] for a in sets_l])
        rows, cols = linear_sum_assignment(-jac)
        scores.append(jac[rows, cols].mean())
    return float(np.mean(scores)) if scores else float("nan")


def search_topics(
    counts: sparse.csr_matrix,
    vocab: np.ndarray,
    k_values: Sequence[int],
    *,
    n_seeds: int,
    seed: int,
    search_units: int,
    topn: int = 10,
) -> dict[tuple[int, int], list[list[str]]]:
    """Top terms of NMF runs for every (k, seed index) on a seeded sample of units.

    Example::

        >>> runs = search_topics(X, vocab, [3, 4], n_seeds=2, seed=42, search_units=5000)
        >>> sorted(runs)
        [(3, 0), (3, 1), (4, 0), (4, 1)]
    """
    rows = np.arange(counts.shape[0])
    if len(rows) > search_units:
        rows = np.sort(np.random.default_rng(seed).choice(rows, search_units, replace=False))
    weighted = TfidfTransformer().fit_transform(counts[rows])
    runs = {}
    for k in k_values:
        for i in range(n_seeds):
            nmf = NMF(n_components=k, init="random", random_state=seed + i, max_iter=SEARCH_ITER)
            with warnings.catch_warnings():  # a capped search run need not fully converge
                warnings.simplefilter("ignore", ConvergenceWarning)
                nmf.fit(weighted)
            runs[(k, i)] = top_terms(nmf.components_, vocab, topn)
    return runs


def select_k(
    counts: sparse.csr_matrix,
    vocab: np.ndarray,
    scorer: CoherenceScorer,
    *,
    k_range: tuple[int, int],
    n_seeds: int,
    seed: int,
    search_units: int,
    topn: int = 10,
) -> pd.DataFrame:
    """Model-selection table ``k, c_npmi, c_v, stability, chosen`` (means over seeds).

    The chosen k has the highest mean c_npmi (ties: the smaller k). Candidates above the number
    of units or terms are dropped.

    Example::

        >>> table = select_k(X, vocab, CoherenceScorer(texts, dictionary), k_range=(3, 10),
        ...                  n_seeds=3, seed=42, search_units=3000)     # 选择主题数
        >>> table.columns.tolist()
        ['k', 'c_npmi', 'c_v', 'stability', 'chosen']
    """
    k_max = min(k_range[1], counts.shape[0] - 1, counts.shape[1] - 1)
    k_values = list(range(k_range[0], k_max + 1))
    if not k_values:
        raise ValueError(
            f"k_range = {k_range} leaves no candidate for {counts.shape[0]} units and "
            f"{counts.shape[1]} terms; lower k_range or give more text"
        )
    runs = search_topics(
        counts, vocab, k_values, n_seeds=n_seeds, seed=seed, search_units=search_units, topn=topn
    )
    keys = [key for key in runs for _ in runs[key]]
    flat = [topic for key in runs for topic in runs[key]]
    scores = pd.concat([pd.DataFrame(keys, columns=["k", "run"]), scorer.score(flat)], axis=1)
    table = scores.groupby("k", sort=True)[list(MEASURES)].mean().reset_index()
    table["stability"] = [stability([runs[(k, i)] for i in range(n_seeds)]) for k in table["k"]]
    best = table["c_npmi"].round(12).idxmax()
    table["chosen"] = table.index == best
    return table
