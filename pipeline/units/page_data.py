"""Template data of the comparison pages: group facts, pair sections, the pair link matrix.

Every value stays plain text here; the Jinja templates escape it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import combinations
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from ..keywords import dirichlet_prior
from ..keywords.log_odds import _log_odds_arrays
from ..report.sections import role_shares
from ..report.style import ROLES
from ..report.tooltip import fmt_number
from .charts import level_rows
from .counts import TermCounts
from .terms import ROLE_SCOPES

LEVEL_TITLES: dict[str, str] = {
    "unit": "单位",
    "unit_type": "单位类型",
    "region": "地区",
    "year": "年份",
}
SCOPE_TITLES: dict[str, str] = {"all": "全部句子", **{r: s.label for r, s in ROLES.items()}}


def _facts(row: Mapping[str, Any]) -> dict[str, Any]:
    years = [str(int(row[k])) for k in ("year_min", "year_max") if pd.notna(row.get(k))]
    return {
        "name": row["name"],
        "known": bool(row.get("known", True)),
        "unit_type": row.get("unit_type") or "",
        "region": row.get("region") or "",
        "years": "–".join(dict.fromkeys(years)),
        "n_docs": int(row.get("n_docs", 0)),
        "n_body": int(row.get("n_body", 0)),
        "substance": fmt_number(row.get("substance"), 2),
        "concrete": fmt_number(100 * float(row.get("concrete_share", float("nan"))), 0),
        "formulaic": fmt_number(100 * float(row.get("formulaic_share", float("nan"))), 0),
        "shares": role_shares(row),
        "top_terms": list(row.get("top_terms") or []),
    }


class TermRow(NamedTuple):
    """One row of a pair's term table, as the page shows it."""

    term: str
    z: str
    count_a: str
    count_b: str


def _smallest(positions: np.ndarray, key: np.ndarray, tiebreak: np.ndarray, n: int) -> np.ndarray:
    """The ``n`` positions with the smallest ``(key, tiebreak)``, in that order."""
    if len(key) > n:  # sort only those that can make it, ties at the cut included
        keep = key <= np.partition(key, n - 1)[n - 1]
        positions, key, tiebreak = positions[keep], key[keep], tiebreak[keep]
    return positions[np.lexsort((tiebreak, key))][:n]


def _pair_terms(
    y_a: np.ndarray,
    y_b: np.ndarray,
    used: np.ndarray,
    prior: np.ndarray,
    alpha0: float,
    terms: np.ndarray,
    top_n: int,
) -> tuple[list[TermRow], list[TermRow]]:
    """The ``top_n`` terms (among ``used``) favouring each side, as :func:`.terms.score_pair`
    ranks them: z descending (ties: term order) for A, z ascending (ties: reverse) for B.

    Same Monroe log-odds as :func:`pipeline.keywords.log_odds_dirichlet`, on arrays over the
    sorted vocabulary: the pages score thousands of pairs, and a DataFrame each cost ~10 ms.
    """
    _, z = _log_odds_arrays(y_a, y_b, prior, alpha0)
    positive, negative = np.flatnonzero((z > 0) & used), np.flatnonzero((z < 0) & used)
    positive = _smallest(positive, -z[positive], positive, top_n)
    negative = _smallest(negative, z[negative], -negative, top_n)

    def rows(picked: np.ndarray) -> list[TermRow]:
        columns = (terms[picked], z[picked].tolist(), y_a[picked].tolist(), y_b[picked].tolist())
        return [
            TermRow(term, fmt_number(score, 2), str(int(a)), str(int(b)))
            for term, score, a, b in zip(*columns, strict=True)
        ]

    return rows(positive), rows(negative)


def pair_sections(
    counts: TermCounts,
    facts: Sequence[dict[str, Any]],
    similarity: Mapping[tuple[str, str], float],
    *,
    top_n: int = 10,
    alpha0: float = 1000.0,
) -> list[dict[str, Any]]:
    """Template data of every pair of groups: facts, similarity, terms both ways per scope.

    Example::

        >>> sections = pair_sections(tc, facts, {}, top_n=5)    # 两两对比
        >>> sections[0]["scopes"][0]["title"]
        '全部句子'
    """
    groups = counts.groups()
    prior = dirichlet_prior(counts.total(), alpha0)
    prior_w = prior.reindex(counts.vocab).to_numpy(dtype=float)
    alpha_total = float(prior.sum())
    chosen = [groups.index(f["name"]) for f in facts]
    dense = {
        scope: counts.by_group(None if scope == "all" else scope)[chosen].toarray().astype(float)
        for scope in ROLE_SCOPES
    }
    index = {f["name"]: k for k, f in enumerate(facts)}
    vocab = np.asarray(counts.vocab, dtype=object)
    sections = []
    for (i, fa), (j, fb) in combinations(enumerate(facts), 2):
        a, b = fa["name"], fb["name"]
        scopes = []
        for scope, matrix in dense.items():
            row_a, row_b = matrix[index[a]], matrix[index[b]]
            used = (row_a > 0) | (row_b > 0)
            if not used.any():
                continue
            favours_a, favours_b = _pair_terms(
                row_a, row_b, used, prior_w, alpha_total, vocab, top_n
            )
            scopes.append(
                {"title": SCOPE_TITLES[scope], "favours_a": favours_a, "favours_b": favours_b}
            )
        sim = similarity.get((a, b))
        sections.append(
            {
                "anchor": f"p-{i}-{j}",
                "a": fa,
                "b": fb,
                "similarity": fmt_number(sim, 3) if sim is not None else "–",
                "scopes": scopes,
            }
        )
    return sections


def _pair_matrix(facts: Sequence[dict[str, Any]], href: str) -> list[dict[str, Any]]:
    rows = []
    for i, fa in enumerate(facts):
        cells = []
        for j in range(len(facts)):
            lo, hi = min(i, j), max(i, j)
            cells.append("" if i == j else f"{href}#p-{lo}-{hi}")
        rows.append({"name": fa["name"], "cells": cells})
    return rows


def _chosen(rows: pd.DataFrame, max_groups: int) -> pd.DataFrame:
    """The ``max_groups`` groups with the most articles (ties by name), in table order."""
    ranked = rows.sort_values(["n_docs", "name"], ascending=[False, True], kind="stable")
    return rows.loc[sorted(ranked.index[:max_groups])]


def level_data(
    tables: Mapping[str, pd.DataFrame],
    level: str,
    *,
    max_groups: int,
    top_n: int,
    counts: TermCounts | None = None,
) -> dict[str, Any]:
    """Template data of one level: facts of every group, the link matrix and the pairs.

    Pairs are formed among the ``max_groups`` groups with the most articles. ``counts`` (of
    the same sentences, any grouping) saves counting the tokens again.

    Example::

        >>> data = level_data(tables, "unit_type", max_groups=30, top_n=10)   # 按单位类型
        >>> data["pairs"][0]["anchor"]
        'p-0-1'
    """
    counts = (
        TermCounts.build(tables["sentences"], tables["documents"], by=level)
        if counts is None
        else counts.regroup(tables["documents"], by=level)
    )
    rows = level_rows(tables["units"], level)
    chosen = _chosen(rows[rows["name"].isin(counts.groups())], max_groups)
    facts = [_facts(r) for r in chosen.to_dict("records")]
    sim = tables.get("unit_similarity")
    similarity = {}
    if sim is not None:
        part = sim[sim["level"] == level]
        similarity = {
            (a, b): float(s) for a, b, s in part[["unit_a", "unit_b", "similarity"]].values
        }
    return {
        "level": level,
        "title": LEVEL_TITLES.get(level, level),
        "href": f"compare_{level}.html",
        "facts": facts,
        "all_facts": [_facts(r) for r in rows.to_dict("records")],
        "omitted": len(rows) - len(chosen),
        "matrix": _pair_matrix(facts, f"compare_{level}.html"),
        "pairs": pair_sections(counts, facts, similarity, top_n=top_n),
    }
