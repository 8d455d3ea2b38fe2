"""The keyword map: a pyecharts force-directed Graph of graph_nodes / graph_edges in map.html."""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

import pandas as pd
from pyecharts import options as opts
from pyecharts.charts import Graph
from pyecharts.commons.utils import JsCode

from pipeline.report.escape import stable_id
from pipeline.report.graph_data import community_buckets, prune_graph
from pipeline.report.map_items import category_names, link_items, node_items
from pipeline.report.pages import ChartBlock, chart_block, render_page, write_page
from pipeline.report.style import COMMUNITY_COLORS, ROLES

MAP_TITLE = "党建报告关键词关系图"
ROLE_BOX_ID = "role-toggles"


class MapStats(NamedTuple):
    """What the map shows compared with the full graph."""

    n_nodes_total: int
    n_nodes: int
    n_edges_total: int
    n_edges: int
    categories: tuple[str, ...]
    role_counts: tuple[tuple[str, int], ...]


def _categories(names: list[str]) -> list[dict]:
    palette = COMMUNITY_COLORS[:-1]
    return [
        {
            "name": name,
            "itemStyle": {
                "color": COMMUNITY_COLORS[-1] if name == "其他社区" else palette[i % len(palette)]
            },
        }
        for i, name in enumerate(names)
    ]


def graph_chart(chart_id: str, nodes: list[dict], links: list[dict], names: list[str]) -> Graph:
    """The pyecharts Graph with force layout, community legend and escaped-HTML tooltips.

    Example::

        >>> chart = graph_chart("c_map", [{"name": "党建", "category": 0}], [], ["社区1 党建"])
        >>> chart.options["series"][0]["layout"], chart.options["legend"][0]["data"]
        ('force', ['社区1 党建'])
    """
    tooltip = opts.TooltipOpts(
        formatter=JsCode("djmine.dataTip"),
        is_confine=True,
        is_enterable=True,
        extra_css_text="max-width:460px;white-space:normal;",
        textstyle_opts=opts.TextStyleOpts(font_size=12),
    )
    chart = Graph(
        init_opts=opts.InitOpts(
            chart_id=chart_id, width="100%", height="100%", bg_color="#ffffff", page_title=MAP_TITLE
        )
    )
    chart.add(
        "关键词",
        nodes,
        links,
        _categories(names),
        layout="force",
        is_roam=True,
        is_draggable=True,
        repulsion=90,
        edge_length=70,
        gravity=0.2,
        friction=0.6,
        label_opts=opts.LabelOpts(is_show=False, position="right", font_size=11),
        linestyle_opts=opts.LineStyleOpts(color="source", opacity=0.35, curve=0.05),
        tooltip_opts=tooltip,
        emphasis_opts=opts.EmphasisOpts(
            focus="adjacency",
            label_opts=opts.LabelOpts(is_show=True),
            linestyle_opts=opts.LineStyleOpts(width=3),
        ),
    )
    chart.set_global_opts(
        legend_opts=opts.LegendOpts(type_="scroll", orient="vertical", pos_left="8", pos_top="8"),
        tooltip_opts=tooltip,
    )
    return chart


def build_map_chart(
    nodes: pd.DataFrame,
    edges: pd.DataFrame,
    sentences: pd.DataFrame,
    documents: pd.DataFrame,
    *,
    chart_id: str,
    max_nodes: int = 500,
    max_edges: int | None = None,
    max_communities: int = 11,
    n_examples: int = 3,
    n_labels: int = 40,
    seed: int = 42,
) -> tuple[Graph, MapStats]:
    """Build the pyecharts Graph (layout='force') and say what it shows.

    Colour = community (legend categories), symbol and ring colour = dominant role, size =
    sqrt(freq); each node and edge carries its escaped tooltip HTML in the field ``tip``.

    Example::

        >>> chart, stats = build_map_chart(nodes, edges, sentences, documents, chart_id="c_map")  # doctest: +SKIP
        >>> chart.options["series"][0]["layout"], stats.n_nodes <= 500  # doctest: +SKIP
        ('force', True)
    """
    pruned = prune_graph(nodes, edges, max_nodes=max_nodes, max_edges=max_edges)
    buckets = community_buckets(pruned.nodes, max_communities=max_communities)
    names = category_names(pruned.nodes, buckets)
    nodes_out = node_items(
        pruned.nodes,
        pruned.edges,
        sentences,
        documents,
        buckets=buckets,
        category_names=names,
        n_examples=n_examples,
        n_labels=n_labels,
        seed=seed,
    )
    id_to_name = dict(zip(pruned.nodes["node_id"].astype(int), pruned.nodes["term"], strict=True))
    links_out = link_items(pruned.edges, id_to_name)
    chart = graph_chart(chart_id, nodes_out, links_out, names)
    stats = MapStats(
        pruned.n_nodes_total,
        len(nodes_out),
        pruned.n_edges_total,
        len(links_out),
        tuple(names),
        tuple((role, sum(item["role"] == role for item in nodes_out)) for role in ROLES),
    )
    return chart, stats


def map_block(
    nodes: pd.DataFrame,
    edges: pd.DataFrame,
    sentences: pd.DataFrame,
    documents: pd.DataFrame,
    **options: object,
) -> tuple[ChartBlock, MapStats]:
    """The map chart as a page block, with the role toggles wired to it.

    Example::

        >>> block, stats = map_block(nodes, edges, sentences, documents, seed=42)  # doctest: +SKIP
        >>> "bindRoleToggles" in block.script  # doctest: +SKIP
        True
    """
    chart_id = stable_id("map.html", "keyword-map")
    chart, stats = build_map_chart(nodes, edges, sentences, documents, chart_id=chart_id, **options)
    extra = f"djmine.bindRoleToggles({json.dumps(chart_id)}, {json.dumps(ROLE_BOX_ID)});"
    return chart_block(chart, height="calc(100vh - 190px)", extra_js=extra), stats


def render_map(
    nodes: pd.DataFrame,
    edges: pd.DataFrame,
    sentences: pd.DataFrame,
    documents: pd.DataFrame,
    *,
    path: str | Path,
    title: str = MAP_TITLE,
    max_nodes: int = 500,
    max_edges: int | None = None,
    max_communities: int = 11,
    n_examples: int = 3,
    seed: int = 42,
) -> Path:
    """Write the self-contained keyword map page (ECharts inlined, no network) to ``path``.

    Graphs over ``max_nodes`` terms are pruned to the most frequent ones, and a seeded networkx
    spring layout gives the force layout its start, so big corpora stay responsive.

    Example::

        >>> render_map(nodes, edges, sentences, documents, path="outputs/sample/report/map.html",  # doctest: +SKIP
        ...            title="机关党建关键词关系图")
        PosixPath('outputs/sample/report/map.html')
    """
    block, stats = map_block(
        nodes,
        edges,
        sentences,
        documents,
        max_nodes=max_nodes,
        max_edges=max_edges,
        max_communities=max_communities,
        n_examples=n_examples,
        seed=seed,
    )
    page = render_page(
        "map.html",
        title=title,
        page="map",
        charts=[block],
        map_chart=block,
        stats=stats,
        roles=ROLES,
        role_box_id=ROLE_BOX_ID,
    )
    return write_page(path, page)
