"""ECharts data items of the keyword map: node and link dicts, legend names, lookups."""

from __future__ import annotations

import math
from collections.abc import Mapping
from itertools import islice
from typing import NamedTuple

import pandas as pd

from pipeline.report.escape import clean_text
from pipeline.report.graph_data import (
    DEGREE_COLUMNS,
    PAGERANK_COLUMNS,
    first_column,
    initial_layout,
)
from pipeline.report.style import ROLES, role_style
from pipeline.report.tooltip import (
    SentenceInfo,
    edge_tip,
    fmt_number,
    node_tip,
    pick_examples,
)

MAX_SENT_IDS = 200  # sentences per term looked at when choosing tooltip examples


def as_list(value: object, limit: int | None = None) -> list[str]:
    """A list cell (list or numpy array from Parquet) as a list of str, at most ``limit``
    items; missing -> [].

    Example::

        >>> as_list(None), as_list(["d:0001", "d:0002"], limit=1)
        ([], ['d:0001'])
    """
    if value is None or isinstance(value, float):
        return []
    return [str(v) for v in islice(value, limit)]  # type: ignore[call-overload]


def sentence_lookup(sentences: pd.DataFrame, sent_ids: set[str]) -> dict[str, SentenceInfo]:
    """The sentences the tooltips quote, keyed by sent_id.

    Example::

        >>> s = pd.DataFrame({"sent_id": ["d:0001"], "doc_id": ["d"], "role": ["problem"],
        ...                   "text": ["两张皮问题突出。"], "is_heading": [False]})
        >>> sentence_lookup(s, {"d:0001"})["d:0001"].role
        'problem'
    """
    ids = sentences["sent_id"].astype(str).to_numpy(dtype=object)
    rows = sentences[pd.Index(ids).isin(list(sent_ids))]  # hashed: Arrow's isin is ~5 µs a value
    heading = rows["is_heading"] if "is_heading" in rows else pd.Series(False, index=rows.index)
    columns = [rows[c].tolist() for c in ("sent_id", "doc_id", "role", "text")]
    return {
        str(sid): SentenceInfo(clean_text(text), str(doc), str(role), bool(head))
        for sid, doc, role, text, head in zip(*columns, heading.tolist(), strict=True)
    }


def document_lookup(documents: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """doc_id -> (title, unit) for the tooltips' source lines.

    Example::

        >>> d = pd.DataFrame({"doc_id": ["d"], "title": ["调研报告"], "unit": ["石家庄市直机关工委"]})
        >>> document_lookup(d)
        {'d': ('调研报告', '石家庄市直机关工委')}
    """
    units = documents["unit"] if "unit" in documents else [""] * len(documents)
    return {
        str(doc): (clean_text(title), clean_text(unit))
        for doc, title, unit in zip(documents["doc_id"], documents["title"], units, strict=True)
    }


def symbol_sizes(freq: pd.Series, *, smallest: float = 8.0, largest: float = 46.0) -> list[float]:
    """Node sizes growing with the square root of frequency.

    Example::

        >>> symbol_sizes(pd.Series([1, 4, 9]), smallest=10, largest=30)
        [10.0, 20.0, 30.0]
    """
    roots = [math.sqrt(max(float(f), 0.0)) for f in freq]
    if not roots:
        return []
    lo, hi = min(roots), max(roots)
    span = hi - lo or 1.0
    return [round(smallest + (largest - smallest) * (r - lo) / span, 1) for r in roots]


def node_stats(
    row: Mapping[str, object], *, degree: str | None, pagerank: str | None
) -> list[tuple[str, str]]:
    """The numbers a node's tooltip lists, formatted; integer ``degree`` vs ``degree_centrality``.

    Example::

        >>> node_stats({"freq": 1234, "n_docs": 5, "degree": 7}, degree="degree", pagerank=None)
        [('词频', '1,234'), ('文档数', '5'), ('度', '7')]
    """
    stats = [("词频", fmt_number(row.get("freq"))), ("文档数", fmt_number(row.get("n_docs")))]
    if degree == "degree":
        stats.append(("度", fmt_number(row.get(degree))))
    elif degree:
        stats.append(("度中心性", fmt_number(row.get(degree), 3)))
    if pagerank:
        stats.append(("PageRank", fmt_number(row.get(pagerank), 4)))
    return stats


def category_names(nodes: pd.DataFrame, buckets: Mapping[int, int]) -> list[str]:
    """Legend names of the community buckets: number and two most frequent terms.

    Example::

        >>> n = pd.DataFrame({"term": ["党建", "业务"], "freq": [9, 5], "community": [0, 0]})
        >>> category_names(n, {0: 0})
        ['社区1 党建·业务']
    """
    n_buckets = max(buckets.values(), default=-1) + 1
    names = []
    for bucket in range(n_buckets):
        members = nodes[nodes["community"].map(buckets) == bucket]
        if bucket == max(buckets.values()) and members["community"].nunique() > 1:
            names.append("其他社区")
            continue
        top = "·".join(members.sort_values("freq", ascending=False, kind="mergesort")["term"][:2])
        names.append(f"社区{bucket + 1} {top}")
    return names


def _shares(row: Mapping[str, object]) -> dict[str, float]:
    out = {}
    for role in ROLES:
        try:
            value = float(row.get(f"share_{role}", 0.0))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            value = 0.0
        out[role] = value if math.isfinite(value) else 0.0
    return out


class NodeContext(NamedTuple):
    """What every node item needs besides its own row."""

    sentences: dict[str, SentenceInfo]
    documents: dict[str, tuple[str, str]]
    layout: dict[int, tuple[float, float]]
    buckets: Mapping[int, int]
    category_names: list[str]
    degree: str | None
    pagerank: str | None
    n_examples: int


def _node_item(row: dict, size: float, ctx: NodeContext) -> dict:
    role = str(row.get("dominant_role", "other"))
    style = role_style(role)
    bucket = ctx.buckets[int(row["community"])]
    examples = pick_examples(
        as_list(row.get("sent_ids"), MAX_SENT_IDS),
        role=role,
        sentences=ctx.sentences,
        documents=ctx.documents,
        n=ctx.n_examples,
    )
    x, y = ctx.layout.get(int(row["node_id"]), (0.0, 0.0))
    return {
        "name": row["term"],
        "value": int(row["freq"]),
        "category": bucket,
        "role": role if role in ROLES else "other",
        "symbol": style.symbol,
        "symbolSize": size,
        "x": x,
        "y": y,
        "itemStyle": {"borderColor": style.color, "borderWidth": 2.5},
        "tip": node_tip(
            row["term"],
            stats=node_stats(row, degree=ctx.degree, pagerank=ctx.pagerank),
            community=ctx.category_names[bucket],
            role=role,
            shares=_shares(row),
            examples=examples,
        ),
    }


def node_items(
    nodes: pd.DataFrame,
    edges: pd.DataFrame,
    sentences: pd.DataFrame,
    documents: pd.DataFrame,
    *,
    buckets: Mapping[int, int],
    category_names: list[str],
    n_examples: int = 3,
    n_labels: int = 40,
    seed: int = 42,
) -> list[dict]:
    """ECharts data items for the drawn nodes: encodings, start positions, tooltip HTML.

    Example::

        >>> items = node_items(nodes, edges, sentences, documents, buckets={0: 0},
        ...                    category_names=["社区1 党建·业务"])  # doctest: +SKIP
        >>> items[0]["symbol"], items[0]["label"]  # doctest: +SKIP
        ('triangle', {'show': True})
    """
    wanted = {s for ids in nodes.get("sent_ids", []) for s in as_list(ids, MAX_SENT_IDS)}
    # Force layouts settle at a size growing like sqrt(n); starting there keeps the view fitted.
    width = max(400.0, 800.0 + 20.0 * math.sqrt(len(nodes)))
    ctx = NodeContext(
        sentences=sentence_lookup(sentences, wanted),
        documents=document_lookup(documents),
        layout=initial_layout(nodes, edges, seed=seed, width=width),
        buckets=buckets,
        category_names=category_names,
        degree=first_column(nodes, DEGREE_COLUMNS),
        pagerank=first_column(nodes, PAGERANK_COLUMNS),
        n_examples=n_examples,
    )
    sizes = symbol_sizes(nodes["freq"])
    items = [_node_item(row, sizes[i], ctx) for i, row in enumerate(nodes.to_dict("records"))]
    for item in items[:n_labels]:
        item["label"] = {"show": True}
    return items


def link_items(edges: pd.DataFrame, names: Mapping[int, str]) -> list[dict]:
    """ECharts links (by node name) with width growing with weight and tooltip HTML.

    Example::

        >>> e = pd.DataFrame({"source": [0], "target": [1], "count": [4], "weight": [0.3]})
        >>> link_items(e, {0: "党建", 1: "业务"})[0]["source"]
        '党建'
    """
    weight_col = "weight" if "weight" in edges else None
    weights = edges[weight_col].astype(float) if weight_col else pd.Series(1.0, index=edges.index)
    lo, hi = (weights.min(), weights.max()) if len(weights) else (0.0, 1.0)
    span = (hi - lo) or 1.0
    items = []
    for row, w in zip(edges.to_dict("records"), weights, strict=True):
        source, target = names[int(row["source"])], names[int(row["target"])]
        items.append(
            {
                "source": source,
                "target": target,
                "value": round(float(w), 4),
                "lineStyle": {"width": round(0.6 + 3.4 * (float(w) - lo) / span, 2)},
                "tip": edge_tip(source, target, stats=row),
            }
        )
    return items
