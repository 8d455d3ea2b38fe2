"""Turning run tables into rows for the dashboard templates (which escape every value)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from pipeline.report.escape import clean_text
from pipeline.report.style import ROLES
from pipeline.report.tooltip import fmt_number

# (column, header, kind) of the plain tables; kind is 'text', 'int' or 'year'.
INGEST_COLUMNS = (
    ("source_file", "文件", "text"),
    ("status", "状态", "text"),
    ("reason", "原因", "text"),
    ("encoding", "编码", "text"),
    ("format", "格式", "text"),
    ("n_bytes", "字节数", "int"),
    ("articles", "篇数", "int"),
)
DOCUMENT_COLUMNS = (
    ("doc_id", "编号", "text"),
    ("title", "标题", "text"),
    ("unit", "单位", "text"),
    ("unit_type", "单位类型", "text"),
    ("region", "地区", "text"),
    ("year", "年份", "year"),
    ("n_chars", "字数", "int"),
    ("dup_of", "重复于", "text"),
    ("source_file", "来源文件", "text"),
)


def present(tables: Mapping[str, pd.DataFrame], name: str) -> bool:
    """Whether a run table exists and has rows.

    Example::

        >>> present({"topics": pd.DataFrame({"topic": [0]})}, "topics")
        True
    """
    table = tables.get(name)
    return table is not None and len(table) > 0


def role_shares(row: dict[str, Any]) -> dict[str, float]:
    """The ``share_<role>`` fields of a row as floats (missing -> 0).

    Example::

        >>> role_shares({"share_problem": 0.5})["problem"]
        0.5
    """
    out = {}
    for role in ROLES:
        value = pd.to_numeric(row.get(f"share_{role}", 0.0), errors="coerce")
        out[role] = 0.0 if pd.isna(value) else float(value)
    return out


def topic_rows(
    tables: Mapping[str, pd.DataFrame], *, n_terms: int = 12, n_docs: int = 5
) -> list[dict]:
    """One row per topic: label, top terms with weights, role profile, most typical documents.

    Example::

        >>> rows = topic_rows({"topics": pd.DataFrame({"topic": [0], "rank": [0], "term": ["党建"], "weight": [0.2]})})
        >>> rows[0]["label"], rows[0]["terms"][0]["term"]
        ('主题 1', '党建')
    """
    topics = tables["topics"].sort_values(["topic", "rank"], kind="mergesort")
    labels = tables.get("topic_labels", pd.DataFrame(columns=["topic", "label"]))
    label_rows = {int(r["topic"]): r for r in labels.to_dict("records")}
    titles = {}
    if present(tables, "documents"):
        docs = tables["documents"]
        units = docs["unit"] if "unit" in docs else [""] * len(docs)
        titles = dict(zip(docs["doc_id"], zip(docs["title"], units, strict=True), strict=True))
    doc_topics = tables.get("doc_topics", pd.DataFrame(columns=["doc_id", "topic", "share"]))
    rows = []
    for topic, group in topics.groupby("topic", sort=True):
        meta = label_rows.get(int(topic), {})
        label = clean_text(meta.get("label")) or f"主题 {int(topic) + 1}"
        weights = group["weight"].astype(float).head(n_terms)
        top = weights.max() if len(weights) else 1.0
        terms = [
            {
                "term": clean_text(t),
                "weight": fmt_number(w, 3),
                "pct": f"{100 * w / (top or 1):.0f}",
            }
            for t, w in zip(group["term"].head(n_terms), weights, strict=True)
        ]
        mine = doc_topics[doc_topics["topic"] == topic].sort_values(
            ["share", "doc_id"], ascending=[False, True], kind="mergesort"
        )
        docs = [
            {
                "title": clean_text(titles.get(d, (d, ""))[0]),
                "unit": clean_text(titles.get(d, ("", ""))[1]),
                "share": f"{100 * float(s):.0f}%",
            }
            for d, s in zip(mine["doc_id"].head(n_docs), mine["share"].head(n_docs), strict=True)
        ]
        rows.append(
            {
                "topic": int(topic),
                "label": label,
                "terms": terms,
                "shares": role_shares(meta),
                "docs": docs,
                "anchor": f"topic-{int(topic)}",
            }
        )
    return rows


def keyword_tables(
    keywords: pd.DataFrame, *, scope: str = "role", method: str = "log_odds", top_n: int = 15
) -> tuple[str, dict[str, list[dict]]]:
    """Per-role keyword rows (rank as given, 1 = best; term, z, count) and the method shown.

    If ``method`` is absent for ``scope`` the first method present (alphabetically) is used.

    Example::

        >>> kw = pd.DataFrame({"scope": ["role"], "key": ["problem"], "method": ["log_odds"],
        ...                    "rank": [1], "term": ["两张皮"], "score": [4.2], "z": [4.2], "count": [7]})
        >>> keyword_tables(kw)[1]["problem"][0]["term"]
        '两张皮'
    """
    rows = keywords[keywords["scope"].astype(str) == scope]
    methods = sorted(rows["method"].astype(str).unique())
    if not methods:
        return method, {}
    used = method if method in methods else methods[0]
    rows = rows[rows["method"].astype(str) == used]
    out: dict[str, list[dict]] = {}
    for role in ROLES:
        mine = rows[rows["key"].astype(str) == role].sort_values(["rank", "term"], kind="mergesort")
        out[role] = [
            {
                "rank": int(r["rank"]),
                "term": clean_text(r["term"]),
                "z": fmt_number(r.get("z"), 2),
                "score": float(pd.to_numeric(r.get("z", r.get("score")), errors="coerce")),
                "count": fmt_number(r.get("count")),
            }
            for r in mine.head(top_n).to_dict("records")
        ]
    return used, out


def cloud_words(
    keyword_rows: list[dict], nodes: pd.DataFrame | None, role: str, *, top_n: int = 60
) -> list[tuple[str, float]]:
    """Words and sizes for one role's word cloud: positive log-odds z, else freq x role share.

    Example::

        >>> cloud_words([{"term": "两张皮", "score": 3.5}], None, "problem")
        [('两张皮', 3.5)]
    """
    words = [
        (r["term"], r["score"]) for r in keyword_rows if r["score"] == r["score"] and r["score"] > 0
    ]
    if words or nodes is None or f"share_{role}" not in nodes:
        return words[:top_n]
    weight = nodes["freq"].astype(float) * nodes[f"share_{role}"].astype(float)
    ranked = nodes.assign(_w=weight).sort_values(
        ["_w", "term"], ascending=[False, True], kind="mergesort"
    )
    ranked = ranked[ranked["_w"] > 0].head(top_n)
    return [
        (clean_text(t), round(float(w), 2))
        for t, w in zip(ranked["term"], ranked["_w"], strict=True)
    ]


def _cell(value: object, kind: str) -> str:
    if kind == "text":
        return clean_text(value)
    # pd.to_numeric costs ~20 µs a scalar; plain numbers need no conversion.
    number = value if type(value) in (int, float) else pd.to_numeric(value, errors="coerce")
    if pd.isna(number):
        return clean_text(value) if kind == "text" else ""
    return str(int(number)) if kind == "year" else fmt_number(number)


def plain_rows(
    table: pd.DataFrame, columns: tuple[tuple[str, str, str], ...]
) -> tuple[list[tuple[str, bool]], list[list[str]]]:
    """Headers ``(label, is_number)`` and display cells of the ``columns`` present in ``table``.

    ``columns`` holds (column, Chinese header, kind) with kind 'text', 'int' or 'year'.

    Example::

        >>> plain_rows(pd.DataFrame({"status": ["ok"], "year": [2019.0]}), DOCUMENT_COLUMNS[:1] + (("year", "年份", "year"),))
        ([('年份', True)], [['2019']])
    """
    cols = [(c, label, kind) for c, label, kind in columns if c in table.columns]
    headers = [(label, kind != "text") for _, label, kind in cols]
    cells = [
        [_cell(record[c], kind) for c, _, kind in cols]
        for record in table[[c for c, _, _ in cols]].to_dict("records")
    ]
    return headers, cells


def summary(tables: Mapping[str, pd.DataFrame]) -> list[tuple[str, str]]:
    """Headline numbers of the run for the dashboard's top row.

    Example::

        >>> summary({"documents": pd.DataFrame({"doc_id": ["a", "b"]})})
        [('篇文档', '2')]
    """
    items = []
    if present(tables, "documents"):
        docs = tables["documents"]
        items.append(("篇文档", fmt_number(len(docs))))
        if "dup_of" in docs:
            items.append(("篇近似重复", fmt_number(int(docs["dup_of"].notna().sum()))))
    if present(tables, "sentences"):
        items.append(("个句子", fmt_number(len(tables["sentences"]))))
    for name, label in (("graph_nodes", "个关键词节点"), ("graph_edges", "条共现边")):
        if present(tables, name):
            items.append((label, fmt_number(len(tables[name]))))
    if present(tables, "topics"):
        items.append(("个主题", fmt_number(tables["topics"]["topic"].nunique())))
    return items
