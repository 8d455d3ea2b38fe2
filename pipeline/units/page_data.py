"""Template data of the comparison pages: group facts, pair sections, the pair link matrix.

Every value stays plain text here; the Jinja templates escape it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import combinations
from typing import Any

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


def _pair_terms(
    y_a: np.ndarray,
    y_b: np.ndarray,
    prior: np.ndarray,
    alpha0: float,
    terms: np.ndarray,
    rank: np.ndarray,
    top_n: int,
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The ``top_n`` terms favouring each side, as :func:`.terms.score_pair` ranks them.

    Same Monroe log-odds as :func:`pipeline.keywords.log_odds_dirichlet`, on arrays: the
    pages score hundreds of pairs, and building a DataFrame per pair cost ~10 ms each.
    """
    _, z = _log_odds_arrays(y_a, y_b, prior, alpha0)
    order = np.lexsort((rank, -z))  # z descending, then term
    z_sorted = z[order]
    positive = order[np.flatnonzero(z_sorted > 0)[:top_n]]
    negative = order[np.flatnonzero(z_sorted < 0)[-top_n:]][::-1]

    def rows(picked: np.ndarray) -> list[dict[str, str]]:
        return [
            {
                "term": terms[k],
                "z": fmt_number(z[k], 2),
                "count_a": str(int(y_a[k])),
                "count_b": str(int(y_b[k])),
            }
            for k in picked
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
    term_rank = np.argsort(np.argsort(np.asarray(counts.vocab, dtype=object), kind="stable"))
    dense = {
        scope: counts.by_group(None if scope == "all" else scope).toarray().astype(float)
        for scope in ROLE_SCOPES
    }
    index = {f["name"]: groups.index(f["name"]) for f in facts}
    vocab = np.asarray(counts.vocab, dtype=object)
    sections = []
    for (i, fa), (j, fb) in combinations(enumerate(facts), 2):
        a, b = fa["name"], fb["name"]
        scopes = []
        for scope, matrix in dense.items():
            row_a, row_b = matrix[index[a]], matrix[index[b]]
            used = np.flatnonzero((row_a > 0) | (row_b > 0))
            if not len(used):
                continue
            favours_a, favours_b = _pair_terms(
                row_a[used], row_b[used], prior_w[used], alpha_total, vocab[used],
                term_rank[used], top_n,
            )  # fmt: skip
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
    tables: Mapping[str, pd.DataFrame], level: str, *, max_groups: int, top_n: int
) -> dict[str, Any]:
    """Template data of one level: facts of every group, the link matrix and the pairs.

    Pairs are formed among the ``max_groups`` groups with the most articles.

    Example::

        >>> data = level_data(tables, "unit_type", max_groups=30, top_n=10)   # 按单位类型
        >>> data["pairs"][0]["anchor"]
        'p-0-1'
    """
    counts = TermCounts.build(tables["sentences"], tables["documents"], by=level)
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
