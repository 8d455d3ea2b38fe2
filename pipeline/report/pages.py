"""Page assembly: Jinja2 templates (autoescaped), inline scripts, CSP, atomic writes."""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from pyecharts.charts.base import Base

from pipeline.report.assets import (
    ECHARTS_VERSION,
    WORDCLOUD_VERSION,
    csp_hash,
    dependency_scripts,
    inline_js,
    read_asset,
)
from pipeline.report.escape import script_json
from pipeline.tables import atomic_write

# (href, label, key) of the navigation bar shown on every page.
NAV: tuple[tuple[str, str, str], ...] = (
    ("index.html", "总览", "index"),
    ("map.html", "关键词关系图", "map"),
    ("topics.html", "主题", "topics"),
    ("units.html", "单位比较", "units"),
    ("index.html#keywords", "关键词", "keywords"),
    ("index.html#wordclouds", "词云", "wordclouds"),
    ("index.html#documents", "文档", "documents"),
    ("index.html#ingest", "导入报告", "ingest"),
)


class ChartBlock(NamedTuple):
    """A chart placed on a page: its div id, height, init script and JS dependencies."""

    chart_id: str
    height: str
    script: Markup
    dependencies: tuple[str, ...]


def chart_block(chart: Base, *, height: str = "420px", extra_js: str = "") -> ChartBlock:
    """Turn a pyecharts chart into a page block whose option JSON is safe inside ``<script>``.

    ``extra_js`` is trusted code written in this package (never report text).

    Example::

        >>> from pyecharts import options as opts
        >>> from pyecharts.charts import WordCloud
        >>> block = chart_block(WordCloud(init_opts=opts.InitOpts(chart_id="c_wc")).add("词", [("党建", 3)]))
        >>> block.dependencies
        ('echarts', 'echarts-wordcloud')
    """
    if not chart.chart_id.startswith("c_"):
        raise ValueError(
            f"chart id {chart.chart_id!r} is random; build the chart with "
            "opts.InitOpts(chart_id=stable_id(...)) so pages are byte-identical across runs"
        )
    option = script_json(chart.get_options())
    script = f"djmine.init({json.dumps(chart.chart_id)}, {option});{extra_js}"
    return ChartBlock(chart.chart_id, height, Markup(script), tuple(chart.js_dependencies.items))


@functools.cache
def _environment() -> Environment:
    """The Jinja environment, made once per process so each template compiles once."""
    return Environment(
        loader=PackageLoader("pipeline.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def content_security_policy(scripts: Sequence[str]) -> str:
    """CSP allowing exactly these inline scripts and nothing from the network.

    Example::

        >>> "default-src 'none'" in content_security_policy(["var a = 1;"])
        True
    """
    hashes = " ".join(sorted({csp_hash(s) for s in scripts}))
    return (
        f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; "
        "img-src data: blob:; font-src data:; frame-src 'self' file:; "
        "base-uri 'none'; form-action 'none'"
    )


def render_page(
    template: str, *, title: str, page: str, charts: Sequence[ChartBlock] = (), **context: Any
) -> str:
    """Render one self-contained page: ECharts, helpers and CSS inline, report text escaped.

    ``charts`` lists every chart block the template places (their scripts are allowed by the
    page's CSP); further keyword arguments go to the template.

    Example::

        >>> html = render_page("topics.html", title="党建报告", page="topics", topics=[], chart=None)
        >>> html.startswith("<!DOCTYPE html>")
        True
    """
    deps: list[str] = ["echarts"]
    for block in charts:
        deps += [d for d in block.dependencies if d not in deps]
    head = [*dependency_scripts(deps), inline_js("report.js")]
    csp = content_security_policy(head + [str(block.script) for block in charts])
    return (
        _environment()
        .get_template(template)
        .render(
            title=title,
            page=page,
            nav=NAV,
            csp=csp,
            css=Markup(read_asset("report.css")),
            head_scripts=[Markup(s) for s in head],
            versions={"echarts": ECHARTS_VERSION, "wordcloud": WORDCLOUD_VERSION},
            **context,
        )
    )


def write_page(path: str | Path, html: str) -> Path:
    """Write a page atomically as UTF-8 with ``\\n`` line ends.

    Example::

        >>> write_page("outputs/sample/report/index.html", "<!DOCTYPE html>…")  # doctest: +SKIP
        PosixPath('outputs/sample/report/index.html')
    """
    return atomic_write(path, lambda tmp: tmp.write_text(html, encoding="utf-8", newline="\n"))
