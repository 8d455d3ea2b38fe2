"""The dashboard: index.html (overview), topics.html and map.html, linked by a nav bar."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from pipeline.report.charts import role_profile_chart, wordcloud_chart
from pipeline.report.escape import stable_id
from pipeline.report.map import MAP_TITLE, ROLE_BOX_ID, render_map
from pipeline.report.pages import ChartBlock, chart_block, render_page, write_page
from pipeline.report.sections import (
    DOCUMENT_COLUMNS,
    INGEST_COLUMNS,
    cloud_words,
    keyword_tables,
    plain_rows,
    present,
    summary,
    topic_rows,
)
from pipeline.report.style import ROLES

DASHBOARD_TITLE = "党建报告文本挖掘"
MAP_TABLES = ("graph_nodes", "graph_edges", "sentences", "documents")


def _profile_block(rows: list[dict], page: str) -> ChartBlock | None:
    if not rows:
        return None
    chart = role_profile_chart(
        [f"{r['topic'] + 1}. {r['label']}" for r in rows],
        [r["shares"] for r in rows],
        chart_id=stable_id(page, "role-profile"),
    )
    return chart_block(chart, height=chart.height)


def _wordcloud_blocks(
    tables: Mapping[str, pd.DataFrame], keyword_rows: dict[str, list[dict]]
) -> list[tuple[str, ChartBlock]]:
    nodes = tables.get("graph_nodes")
    blocks = []
    for role in ROLES:
        words = cloud_words(keyword_rows.get(role, []), nodes, role)
        if words:
            chart = wordcloud_chart(
                role, words, chart_id=stable_id("index.html", "wordcloud", role)
            )
            blocks.append((role, chart_block(chart, height="320px")))
    return blocks


def _write_map(
    tables: Mapping[str, pd.DataFrame], out_dir: Path, title: str, **options: object
) -> Path:
    path = out_dir / "map.html"
    if all(present(tables, name) for name in MAP_TABLES):
        return render_map(*(tables[name] for name in MAP_TABLES), path=path, title=title, **options)
    missing = [name for name in MAP_TABLES if not present(tables, name)]
    page = render_page(
        "map.html",
        title=title,
        page="map",
        map_chart=None,
        stats=None,
        roles=ROLES,
        role_box_id=ROLE_BOX_ID,
        missing=missing,
    )
    return write_page(path, page)


def _write_index(tables: Mapping[str, pd.DataFrame], out_dir: Path, title: str, **kw: str) -> Path:
    topics = topic_rows(tables) if present(tables, "topics") else []
    method, keyword_rows = (
        keyword_tables(tables["keywords"], scope=kw["keyword_scope"], method=kw["keyword_method"])
        if present(tables, "keywords")
        else (kw["keyword_method"], {})
    )
    profile = _profile_block(topics, "index.html")
    clouds = _wordcloud_blocks(tables, keyword_rows)
    ingest = (
        plain_rows(tables["ingest_report"], INGEST_COLUMNS)
        if present(tables, "ingest_report")
        else None
    )
    documents = (
        plain_rows(tables["documents"], DOCUMENT_COLUMNS) if present(tables, "documents") else None
    )
    page = render_page(
        "index.html",
        title=title,
        page="index",
        charts=[b for b in [profile] if b] + [b for _, b in clouds],
        summary=summary(tables),
        topics=topics,
        profile_chart=profile,
        keyword_method=method,
        keyword_rows=keyword_rows,
        clouds=clouds,
        ingest=ingest,
        documents=documents,
        roles=ROLES,
    )
    return write_page(out_dir / "index.html", page)


def _write_topics(tables: Mapping[str, pd.DataFrame], out_dir: Path, title: str) -> Path:
    topics = topic_rows(tables, n_terms=20, n_docs=8) if present(tables, "topics") else []
    profile = _profile_block(topics, "topics.html")
    page = render_page(
        "topics.html",
        title=title,
        page="topics",
        charts=[profile] if profile else [],
        topics=topics,
        chart=profile,
        roles=ROLES,
    )
    return write_page(out_dir / "topics.html", page)


def render_dashboard(
    tables: Mapping[str, pd.DataFrame],
    *,
    out_dir: str | Path,
    title: str = DASHBOARD_TITLE,
    map_title: str = MAP_TITLE,
    max_nodes: int = 500,
    seed: int = 42,
    keyword_scope: str = "role",
    keyword_method: str = "log_odds",
) -> list[Path]:
    """Write map.html, index.html and topics.html into ``out_dir``; return their paths.

    ``tables`` maps table names (graph_nodes, graph_edges, sentences, documents, topics,
    topic_labels, doc_topics, keywords, ingest_report) to DataFrames; a missing table leaves
    its section with a note. Every page opens offline (scripts inlined).

    Example::

        >>> render_dashboard(tables, out_dir="outputs/sample/report", title="机关党建调研报告")  # doctest: +SKIP
        [PosixPath('outputs/sample/report/map.html'), PosixPath('outputs/sample/report/index.html'), PosixPath('outputs/sample/report/topics.html')]
    """
    out = Path(out_dir)
    return [
        _write_map(tables, out, map_title, max_nodes=max_nodes, seed=seed),
        _write_index(
            tables, out, title, keyword_scope=keyword_scope, keyword_method=keyword_method
        ),
        _write_topics(tables, out, title),
    ]
