"""Choosing the number of topics: coherence (c_npmi, c_v) on the corpus's own tokens + stability.

The search never repeats the full fit for every candidate and seed: it runs NMF (scikit-learn's
coordinate descent, at most ``SEARCH_ITER`` iterations, random init) on a seeded sample of at
most ``search_units`` units holding at most ``search_tokens`` tokens, for each k and seed,
scores all the resulting topics in one go with a :class:`CoherenceScorer`, and leaves a single
full fit at the chosen k to the caller.

All (k, seed) runs advance together: one sparse product per iteration serves every run (the
runs' factors side by side), then each run takes scikit-learn's own coordinate-descent step.
Each run does exactly the operations ``sklearn.decomposition.NMF(solver="cd")`` does, so its
topics are those of a separate ``NMF.fit`` (a test checks this).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import linear_sum_assignment

# scikit-learn's own NMF steps (private; tests/test_topics_streaming.py checks them against NMF)
from sklearn.decomposition._cdnmf_fast import _update_cdnmf_fast
from sklearn.decomposition._nmf import _initialize_nmf
from sklearn.feature_extraction.text import TfidfTransformer

from .coherence import MEASURES, CoherenceScorer, sample_rows

SEARCH_ITER = 100
SEARCH_TOL = 1e-4  # NMF's default tol


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


def nmf_components(
    X: sparse.csr_matrix,
    starts: Sequence[tuple[np.ndarray, np.ndarray]],
    *,
    max_iter: int = SEARCH_ITER,
    tol: float = SEARCH_TOL,
) -> list[np.ndarray]:
    """Components H of NMF coordinate descent (no regularisation) from each ``(W, H)`` start.

    Every run stops on its own when its projected-gradient violation falls to ``tol`` times
    the first one, exactly as scikit-learn's ``_fit_coordinate_descent``.

    Example::

        >>> W, H = _initialize_nmf(X, 3, init="random", random_state=42)
        >>> nmf_components(X, [(W, H)])[0].shape == H.shape              # 批量分解
        True
    """
    X = sparse.csr_matrix(X)
    XT = X.T.tocsr()  # same sums in the same order as X.T @ W (csc), but faster
    Ws = [np.ascontiguousarray(W) for W, _ in starts]
    Hts = [np.ascontiguousarray(H.T) for _, H in starts]
    orders = {Ht.shape[1]: np.arange(Ht.shape[1], dtype=np.intp) for Ht in Hts}
    first: dict[int, float] = {}
    active = list(range(len(starts)))
    for n_iter in range(1, max_iter + 1):
        if not active:
            break
        edges = np.cumsum([0] + [Hts[r].shape[1] for r in active])
        XHt = X @ np.concatenate([Hts[r] for r in active], axis=1)
        violation = [0.0] * len(active)
        for j, r in enumerate(active):
            HHt = np.dot(Hts[r].T, Hts[r])
            part = XHt[:, edges[j] : edges[j + 1]]
            violation[j] += _update_cdnmf_fast(Ws[r], HHt, part, orders[HHt.shape[0]])
        XtW = XT @ np.concatenate([Ws[r] for r in active], axis=1)
        for j, r in enumerate(active):
            WtW = np.dot(Ws[r].T, Ws[r])
            part = XtW[:, edges[j] : edges[j + 1]]
            violation[j] += _update_cdnmf_fast(Hts[r], WtW, part, orders[WtW.shape[0]])
        if n_iter == 1:
            first = {r: violation[j] for j, r in enumerate(active)}
        active = [
            r for j, r in enumerate(active) if first[r] != 0 and not violation[j] / first[r] <= tol
        ]
    return [Ht.T for Ht in Hts]


def search_topics(
    counts: sparse.csr_matrix,
    vocab: np.ndarray,
    k_values: Sequence[int],
    *,
    n_seeds: int,
    seed: int,
    search_units: int | None,
    search_tokens: int | None = None,
    topn: int = 10,
) -> dict[tuple[int, int], list[list[str]]]:
    """Top terms of NMF runs for every (k, seed index) on a seeded sample of units.

    The sample holds at most ``search_units`` units and ``search_tokens`` tokens (None: no
    bound) and the NMF sees only the terms present in it; run (k, i) starts from NMF's random
    init with ``random_state=seed + i``.

    Example::

        >>> runs = search_topics(X, vocab, [3, 4], n_seeds=2, seed=42, search_units=5000)
        >>> sorted(runs)
        [(3, 0), (3, 1), (4, 0), (4, 1)]
    """
    lengths = np.asarray(counts.sum(axis=1)).ravel()
    rows = sample_rows(lengths, max_rows=search_units, max_tokens=search_tokens, seed=seed)
    sample = counts[rows]
    present = np.flatnonzero(sample.getnnz(axis=0))
    if len(present) < sample.shape[1]:  # terms absent from the sample cannot be top terms
        sample, vocab = sample[:, present], vocab[present]
    weighted = TfidfTransformer().fit_transform(sample)
    keys = [(k, i) for k in k_values for i in range(n_seeds)]
    starts = [_initialize_nmf(weighted, k, init="random", random_state=seed + i) for k, i in keys]
    components = nmf_components(weighted, starts)
    return {key: top_terms(H, vocab, topn) for key, H in zip(keys, components, strict=True)}


def select_k(
    counts: sparse.csr_matrix,
    vocab: np.ndarray,
    scorer: CoherenceScorer,
    *,
    k_range: tuple[int, int],
    n_seeds: int,
    seed: int,
    search_units: int | None,
    search_tokens: int | None = None,
    topn: int = 10,
) -> pd.DataFrame:
    """Model-selection table ``k, c_npmi, c_v, stability, chosen`` (means over seeds).

    The chosen k has the highest mean c_npmi (ties: the smaller k). Candidates above the number
    of units or terms are dropped.

    Example::

        >>> table = select_k(X, vocab, scorer, k_range=(3, 10), n_seeds=3, seed=42,
        ...                  search_units=2000, search_tokens=200_000)     # 选择主题数
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
        counts,
        vocab,
        k_values,
        n_seeds=n_seeds,
        seed=seed,
        search_units=search_units,
        search_tokens=search_tokens,
        topn=topn,
    )
    keys = [key for key in runs for _ in runs[key]]
    flat = [topic for key in runs for topic in runs[key]]
    scores = pd.concat([pd.DataFrame(keys, columns=["k", "run"]), scorer.score(flat)], axis=1)
    table = scores.groupby("k", sort=True)[list(MEASURES)].mean().reset_index()
    table["stability"] = [stability([runs[(k, i)] for i in range(n_seeds)]) for k in table["k"]]
    best = table["c_npmi"].round(12).idxmax()
    table["chosen"] = table.index == best
    return table
