"""Dashboard pages of the unit comparison: ``units.html`` and two-group comparison pages.

* ``units.html``: per level (unit, unit type) the unit × topic heat map, the unit × role chart,
  an overview table (substance score, distinctive terms) and a matrix of links to every pair.
* ``compare_unit.html`` / ``compare_unit_type.html``: every pair side by side (facts, role
  composition, distinctive terms both ways, overall and within each role). Each pair is a
  section shown by its ``#p-i-j`` anchor (CSS ``:target``), so these pages need no script.

Templates extend the report package's ``base.html``; ECharts and the helpers are inlined by
the report package's asset functions; every text is escaped (Jinja autoescape, and
:func:`pipeline.report.escape.esc` for chart tooltips).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from pyecharts.charts.base import Base

from ..report.assets import (
    ECHARTS_VERSION,
    WORDCLOUD_VERSION,
    dependency_scripts,
    inline_js,
    read_asset,
)
from ..report.escape import stable_id
from ..report.pages import NAV, ChartBlock, chart_block, content_security_policy, write_page
from ..report.style import ROLES
from .charts import role_chart, topic_heatmap
from .counts import TermCounts
from .page_data import level_data

UNITS_ENTRY = ("units.html", "单位比较", "units")
# The report's nav bar plus the units page (unless the report package already lists it).
UNITS_NAV: tuple[tuple[str, str, str], ...] = (
    NAV if any(href == UNITS_ENTRY[0] for href, _, _ in NAV) else (*NAV, UNITS_ENTRY)
)
NO_SCRIPT_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


@functools.cache
def _environment() -> Environment:
    """The Jinja environment, made once per process so each template compiles once."""
    loader = ChoiceLoader(
        [
            PackageLoader("pipeline.units", "templates"),
            PackageLoader("pipeline.report", "templates"),
        ]
    )
    return Environment(
        loader=loader,
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(
    template: str, *, title: str, page: str, charts: Sequence[ChartBlock] = (), **context: Any
) -> str:
    """One self-contained page: scripts inline (only when it has charts), CSP, text escaped.

    Example::

        >>> render("chart.html", title="单位比较", page="chart", charts=[block], block=block)
    """
    head: list[str] = []
    if charts:
        deps: list[str] = ["echarts"]
        for block in charts:
            deps += [d for d in block.dependencies if d not in deps]
        head = [*dependency_scripts(deps), inline_js("report.js")]
    scripts = head + [str(block.script) for block in charts]
    return (
        _environment()
        .get_template(template)
        .render(
            title=title,
            page=page,
            nav=UNITS_NAV,
            csp=content_security_policy(scripts) if scripts else NO_SCRIPT_CSP,
            css=Markup(read_asset("report.css")),
            head_scripts=[Markup(s) for s in head],
            versions={"echarts": ECHARTS_VERSION, "wordcloud": WORDCLOUD_VERSION},
            roles=ROLES,
            **context,
        )
    )


def chart_page(chart: Base, *, title: str = "图表") -> str:
    """A standalone page holding one chart (used to show charts in notebooks).

    Example::

        >>> chart_page(role_chart(result.units), title="单位×角色")[:15]
        '<!DOCTYPE html>'
    """
    block = chart_block(chart, height=str(chart.height))
    return render("chart.html", title=title, page="chart", charts=[block], block=block)


def _chart_blocks(tables: Mapping[str, pd.DataFrame], level: str) -> dict[str, ChartBlock | None]:
    units = tables["units"]
    heat = None
    if any(c.startswith("topic_") for c in units.columns):
        chart = topic_heatmap(units, tables.get("topic_labels"), level=level,
                              chart_id=stable_id("units.html", "heatmap", level))  # fmt: skip
        heat = chart_block(chart, height=str(chart.height))
    bar = role_chart(units, level=level, chart_id=stable_id("units.html", "roles", level))
    return {"heatmap": heat, "roles": chart_block(bar, height=str(bar.height))}


def render_unit_pages(
    tables: Mapping[str, pd.DataFrame],
    *,
    out_dir: str | Path,
    title: str = "党建报告文本挖掘",
    levels: Sequence[str] = ("unit", "unit_type"),
    max_groups: int = 30,
    top_n: int = 10,
) -> list[Path]:
    """Write ``units.html`` and one ``compare_<level>.html`` per level into ``out_dir``.

    ``tables`` needs ``units``, ``documents`` and ``sentences`` (``unit_similarity`` and
    ``topic_labels`` are used when present). Comparison pages hold every pair of the
    ``max_groups`` groups with the most articles; ``top_n`` terms each way per role.

    Example::

        >>> from pipeline.units.pages import render_unit_pages
        >>> render_unit_pages(tables, out_dir="outputs/sample/report", title="机关党建调研报告")
        [PosixPath('outputs/sample/report/units.html'), PosixPath('outputs/sample/report/compare_unit.html'), PosixPath('outputs/sample/report/compare_unit_type.html')]
    """
    missing = [name for name in ("units", "documents", "sentences") if tables.get(name) is None]
    if missing:
        raise ValueError(
            f"unit pages need the tables {', '.join(missing)}; run the pipeline through the "
            "units stage (pipeline.units.units) first"
        )
    out = Path(out_dir)
    counts = (
        TermCounts.build(tables["sentences"], tables["documents"], by=levels[0]) if levels else None
    )
    sections = []
    for level in levels:
        data = level_data(tables, level, max_groups=max_groups, top_n=top_n, counts=counts)
        sections.append({**data, **_chart_blocks(tables, level)})
    blocks = [b for s in sections for b in (s["heatmap"], s["roles"]) if b is not None]
    paths = [
        write_page(
            out / "units.html",
            render("units.html", title=title, page="units", charts=blocks, sections=sections),
        )
    ]
    for section in sections:
        page = render("compare.html", title=title, page="units", section=section)
        paths.append(write_page(out / section["href"], page))
    return paths
