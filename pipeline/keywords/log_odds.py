"""Weighted log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..tokens import TokenIndex
from ..topics.units import ROLES
from .ranking import COLUMNS

Counts = pd.Series | Mapping[str, float]


def dirichlet_prior(counts: Counts, alpha0: float = 1000.0) -> pd.Series:
    """Prior pseudo-counts: background term counts rescaled to sum to ``alpha0``.

    Example::

        >>> dirichlet_prior({"两张皮": 3, "党务干部": 1}, alpha0=8).to_dict()
        {'两张皮': 6.0, '党务干部': 2.0}
    """
    series = pd.Series(counts, dtype=float)
    if alpha0 <= 0 or series.sum() <= 0:
        raise ValueError(f"alpha0 = {alpha0} and the background counts must both be positive")
    return series * (alpha0 / series.sum())


def log_odds_dirichlet(counts_a: Counts, counts_b: Counts, prior: Counts) -> pd.DataFrame:
    """Which terms distinguish group A from group B: log-odds ``delta`` and its ``z``-score.

    ``counts_a``/``counts_b`` map term -> count (missing terms count 0); ``prior`` maps every
    term of either group to a positive pseudo-count (see :func:`dirichlet_prior`). Positive z
    means characteristic of A. Returns columns ``term, delta, z, count_a, count_b`` sorted by
    z descending, then term.

    Example::

        >>> a = {"两张皮": 8, "考核机制": 1}       # 单位甲的问题句
        >>> b = {"两张皮": 1, "考核机制": 6}       # 单位乙的问题句
        >>> prior = dirichlet_prior({"两张皮": 9, "考核机制": 7}, alpha0=10)
        >>> log_odds_dirichlet(a, b, prior)["term"].tolist()
        ['两张皮', '考核机制']
    """
    a, b, alpha = (pd.Series(x, dtype=float) for x in (counts_a, counts_b, prior))
    terms = a.index.union(b.index)
    missing = terms.difference(alpha[alpha > 0].index)
    if len(missing):
        raise ValueError(
            f"prior has no positive pseudo-count for {len(missing)} terms (e.g. {missing[0]!r}); "
            "build it from counts that include both groups, e.g. dirichlet_prior(a + b)"
        )
    y_a = a.reindex(terms, fill_value=0.0).to_numpy()
    y_b = b.reindex(terms, fill_value=0.0).to_numpy()
    prior_w = alpha.reindex(terms).to_numpy()
    delta, z = _log_odds_arrays(y_a, y_b, prior_w, float(alpha.sum()))
    frame = pd.DataFrame({"term": terms, "delta": delta, "z": z, "count_a": y_a, "count_b": y_b})
    return frame.sort_values(["z", "term"], ascending=[False, True], kind="stable").reset_index(
        drop=True
    )


def _log_odds_arrays(
    y_a: np.ndarray, y_b: np.ndarray, prior: np.ndarray, alpha0: float
) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised Monroe et al. eq. 16 (delta) and 18-19 (variance, z)."""
    n_a, n_b = y_a.sum(), y_b.sum()
    log_a = np.log(y_a + prior) - np.log(n_a + alpha0 - y_a - prior)
    log_b = np.log(y_b + prior) - np.log(n_b + alpha0 - y_b - prior)
    delta = log_a - log_b
    return delta, delta / np.sqrt(1.0 / (y_a + prior) + 1.0 / (y_b + prior))


def role_log_odds(
    sentences: pd.DataFrame, *, alpha0: float = 1000.0, top_n: int = 20, roles: tuple = ROLES[:4]
) -> pd.DataFrame:
    """Terms most characteristic of each role's sentences versus all other sentences.

    The prior is the corpus term counts scaled to ``alpha0``. Rows are ranked by z (positive z
    only); ``score`` is delta, ``count`` the term's count in the role.

    Example::

        >>> s = pd.DataFrame({"role": ["problem", "countermeasure"],
        ...                   "tokens": [["两张皮", "脱节"], ["考核机制", "专职化"]]})
        >>> role_log_odds(s, alpha0=10).query("key == 'problem'")["term"].tolist()  # 问题句特征词
        ['两张皮', '脱节']
    """
    index = TokenIndex.build(sentences["tokens"])
    return role_log_odds_rows(index, sentences["role"], alpha0=alpha0, top_n=top_n, roles=roles)


def role_log_odds_rows(
    index: TokenIndex,
    role: pd.Series | np.ndarray,
    *,
    keep: np.ndarray | None = None,
    alpha0: float = 1000.0,
    top_n: int = 20,
    roles: tuple = ROLES[:4],
) -> pd.DataFrame:
    """:func:`role_log_odds` from the TokenIndex of the sentences and their roles.

    Only the sentences flagged in the boolean ``keep`` count (default all), e.g. not those of
    duplicate documents.

    Example::

        >>> index = TokenIndex.build([["两张皮", "脱节"], ["考核机制"]])     # 两句
        >>> role_log_odds_rows(index, np.array(["problem", "countermeasure"]), alpha0=10).query(
        ...     "key == 'problem'")["term"].tolist()
        ['两张皮', '脱节']
    """
    codes = pd.Categorical(role, categories=ROLES).codes.astype(np.int64)
    used = index.lengths() > 0
    if keep is not None:
        used &= keep
        codes[~keep] = -1
    unknown = used & (codes < 0)
    if unknown.any():
        names = sorted(set(np.asarray(role, dtype=object)[unknown].astype(str)))
        raise ValueError(f"sentences.role has values {names} outside {', '.join(ROLES)}")
    by_role = _role_counts(index, codes)
    total = by_role.sum(axis=0)
    used = np.flatnonzero(total > 0)
    if not len(used):
        return pd.DataFrame(columns=COLUMNS)
    by_role, total, vocab = by_role[:, used], total[used], index.vocab[used]
    prior = dirichlet_prior(pd.Series(total, index=vocab), alpha0)
    return pd.concat(
        [
            _role_rows(role, by_role[ROLES.index(role)], total, prior, vocab, top_n)
            for role in roles
        ],
        ignore_index=True,
    )


def _role_counts(index: TokenIndex, codes: np.ndarray) -> np.ndarray:
    """(roles x vocab) token counts of the rows of each role code (-1: left out), as floats.

    Per role a bincount, instead of a sparse matrix of every token: little memory at 100 MB.
    """
    token_role = np.repeat(codes.astype(np.int8), index.lengths())
    return np.stack(
        [
            np.bincount(index.codes[token_role == r], minlength=len(index.vocab))
            for r in range(len(ROLES))
        ]
    ).astype(float)


def _role_rows(
    role: str, y_a: np.ndarray, total: np.ndarray, prior: pd.Series, vocab: np.ndarray, top_n: int
) -> pd.DataFrame:
    """The ``top_n`` terms of one role by z (positive z, present in the role), as log_odds_dirichlet
    ranks them (z descending, then term)."""
    delta, z = _log_odds_arrays(y_a, total - y_a, prior.to_numpy(), float(prior.sum()))
    order = np.lexsort((np.arange(len(z)), -z))
    order = order[(z[order] > 0) & (y_a[order] > 0)][:top_n]
    return pd.DataFrame(
        {
            "scope": "role",
            "key": role,
            "method": "log_odds",
            "rank": np.arange(1, len(order) + 1),
            "term": vocab[order],
            "score": delta[order],
            "z": z[order],
            "count": y_a[order].astype(np.int64),
        }
    )
