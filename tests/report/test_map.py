"""The keyword map: chart structure, encodings, tooltips, pruning, determinism, offline HTML."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from pyecharts.charts import Graph

from pipeline.report import render_map
from pipeline.report.graph_data import community_buckets, prune_graph
from pipeline.report.map import build_map_chart
from pipeline.report.style import ROLES

MAP_TABLES = ("graph_nodes", "graph_edges", "sentences", "documents")


def _chart(tables: dict[str, pd.DataFrame], **kw: object) -> tuple[Graph, object]:
    return build_map_chart(*(tables[n] for n in MAP_TABLES), chart_id="c_test", **kw)


def test_map_is_a_force_graph_coloured_by_community(sample_tables: dict[str, pd.DataFrame]) -> None:
    chart, stats = _chart(sample_tables)
    assert isinstance(chart, Graph)
    series = chart.options["series"][0]
    assert series["type"] == "graph" and series["layout"] == "force"
    nodes = sample_tables["graph_nodes"]
    assert len(series["categories"]) == nodes["community"].nunique() == len(stats.categories)
    legend = chart.options["legend"][0]["data"]
    assert legend == [c["name"] for c in series["categories"]]
    by_term = nodes.set_index("term")
    buckets = community_buckets(nodes)
    for item in series["data"]:
        assert item["category"] == buckets[int(by_term.loc[item["name"], "community"])]
    colours = {c["itemStyle"]["color"] for c in series["categories"]}
    assert len(colours) == len(series["categories"])


def test_symbol_and_ring_follow_role_and_size_follows_sqrt_freq(
    sample_tables: dict[str, pd.DataFrame],
) -> None:
    chart, _ = _chart(sample_tables)
    data = chart.options["series"][0]["data"]
    roles = sample_tables["graph_nodes"].set_index("term")["dominant_role"]
    for item in data:
        style = ROLES[roles[item["name"]]]
        assert item["symbol"] == style.symbol and item["itemStyle"]["borderColor"] == style.color
    assert len({item["symbol"] for item in data}) >= 4
    by_freq = sorted(data, key=lambda d: d["value"])
    sizes = [d["symbolSize"] for d in by_freq]
    assert sizes == sorted(sizes) and sizes[0] < sizes[-1]
    # sqrt scaling: the size gap is proportional to the gap in sqrt(freq)
    lo, hi = by_freq[0], by_freq[-1]
    mid = by_freq[len(by_freq) // 2]
    expected = (math.sqrt(mid["value"]) - math.sqrt(lo["value"])) / (
        math.sqrt(hi["value"]) - math.sqrt(lo["value"])
    )
    actual = (mid["symbolSize"] - lo["symbolSize"]) / (hi["symbolSize"] - lo["symbolSize"])
    assert actual == pytest.approx(expected, abs=0.01)


def test_tooltip_has_counts_role_shares_and_sourced_examples(
    sample_tables: dict[str, pd.DataFrame],
) -> None:
    chart, _ = _chart(sample_tables)
    nodes = sample_tables["graph_nodes"]
    top = nodes.loc[nodes["freq"].idxmax()]
    item = next(d for d in chart.options["series"][0]["data"] if d["name"] == top["term"])
    tip = BeautifulSoup(item["tip"], "html.parser")
    text = tip.get_text()
    assert f"词频 {top['freq']:,}" in text and f"文档数 {top['n_docs']}" in text
    assert f"度 {top['degree']}" in text and "PageRank 0." in text
    assert ROLES[top["dominant_role"]].label in text and "%" in text
    examples = tip.find_all("li")
    assert 2 <= len(examples) <= 3
    docs = sample_tables["documents"].set_index("doc_id")
    sents = sample_tables["sentences"].set_index("sent_id")
    doc_ids = {sents.loc[s, "doc_id"] for s in top["sent_ids"]}
    titles = {docs.loc[d, "title"] for d in doc_ids}
    for li in examples:
        assert li.find("mark").get_text() == top["term"]
        source = li.find("span", class_="src").get_text()
        assert any(t in source for t in titles)
    edge = chart.options["series"][0]["links"][0]
    assert "共现" in edge["tip"] and "NPMI" in edge["tip"]


def test_large_graph_is_pruned_to_top_terms_with_positions(
    large_graph: dict[str, pd.DataFrame],
) -> None:
    nodes = large_graph["graph_nodes"]
    assert len(nodes) > 500
    chart, stats = _chart(large_graph, max_nodes=500)
    series = chart.options["series"][0]
    assert stats.n_nodes == len(series["data"]) == 500 and stats.n_nodes_total == len(nodes)
    shown = {d["name"] for d in series["data"]}
    cutoff = nodes.sort_values("freq", ascending=False)["freq"].iloc[499]
    assert set(nodes.loc[nodes["freq"] > cutoff, "term"]) <= shown
    assert len(series["links"]) <= 5 * 500
    assert all(link["source"] in shown and link["target"] in shown for link in series["links"])
    assert all(isinstance(d["x"], float) and isinstance(d["y"], float) for d in series["data"])
    assert len(series["categories"]) == 12 and series["categories"][-1]["name"] == "其他社区"


def test_prune_keeps_strongest_edges() -> None:
    nodes = pd.DataFrame(
        {"node_id": [0, 1, 2], "term": ["党建", "业务", "融合"], "freq": [9, 5, 4]}
    )
    edges = pd.DataFrame({"source": [0, 0, 1], "target": [1, 2, 2], "weight": [0.1, 0.9, 0.5]})
    pruned = prune_graph(nodes, edges, max_nodes=3, max_edges=2)
    assert pruned.edges["weight"].tolist() == [0.9, 0.5]
    with pytest.raises(KeyError, match="graph_nodes"):
        prune_graph(nodes.drop(columns="freq"), edges)


def test_render_map_is_deterministic_and_offline(
    sample_tables: dict[str, pd.DataFrame], tmp_path
) -> None:
    args = [sample_tables[n] for n in MAP_TABLES]
    a = render_map(*args, path=tmp_path / "a" / "map.html", seed=42)
    b = render_map(*args, path=tmp_path / "b" / "map.html", seed=42)
    html = a.read_text(encoding="utf-8")
    assert a.read_bytes() == b.read_bytes()
    assert "assets.pyecharts.org" not in html and not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"(src|href)=\"https?:", html)
    assert "echarts" in html and "5.6.0" in html
    csp = BeautifulSoup(html, "html.parser").find(
        "meta", attrs={"http-equiv": "Content-Security-Policy"}
    )
    assert (
        "default-src 'none'" in csp["content"]
        and "'unsafe-inline'" not in csp["content"].split(";")[1]
    )
    c = render_map(*args, path=tmp_path / "c.html", seed=7)
    assert c.read_bytes() != a.read_bytes()  # the seed reaches the initial layout
