"""Charts of the unit pages (pyecharts): unit × topic heat map and unit × role stacked bars.

Chart text goes into the option JSON, which the report package serialises safely
(:func:`pipeline.report.escape.script_json`); tooltips are HTML escaped here with
:func:`pipeline.report.escape.esc` and shown by ``djmine.dataTip``.
"""

from __future__ import annotations

import html

import pandas as pd
from pyecharts import options as opts
from pyecharts.charts import Bar, HeatMap
from pyecharts.commons.utils import JsCode

from ..report.charts import role_profile_chart
from ..report.escape import clean_text, esc, stable_id
from ..report.sections import role_shares
from ..report.tooltip import fmt_number


def level_rows(units: pd.DataFrame, level: str) -> pd.DataFrame:
    """The units-table rows of one level (``unit``, ``unit_type`` …), in table order.

    Example::

        >>> level_rows(result.units, "unit_type")["name"].tolist()[:2]   # 各类单位
        ['中央机关', '区直机关']
    """
    rows = units[units["level"] == level]
    if rows.empty:
        levels = sorted(units["level"].unique())
        raise ValueError(f"units table has no rows of level {level!r}; levels: {levels}")
    return rows.reset_index(drop=True)


def topic_names(topic_labels: pd.DataFrame | None, columns: list[str]) -> list[str]:
    """Axis names of the ``topic_<n>`` columns: ``n+1. label`` when labels are known.

    Example::

        >>> topic_names(None, ["topic_0", "topic_1"])
        ['主题1', '主题2']
    """
    labels = {}
    if topic_labels is not None and {"topic", "label"} <= set(topic_labels.columns):
        labels = {int(t): clean_text(label) for t, label in topic_labels[["topic", "label"]].values}
    names = []
    for column in columns:
        topic = int(column.removeprefix("topic_"))
        names.append(f"{topic + 1}. {labels[topic]}" if topic in labels else f"主题{topic + 1}")
    return names


def topic_heatmap(
    units: pd.DataFrame,
    topic_labels: pd.DataFrame | None = None,
    *,
    level: str = "unit",
    chart_id: str | None = None,
) -> HeatMap:
    """Heat map of topic prevalence (percent of the group's articles' topic share).

    Rows = groups of ``level``, columns = topics; needs the ``topic_<n>`` columns that the
    units stage adds when given ``doc_topics``.

    Example::

        >>> chart = topic_heatmap(result.units, topic_labels, level="unit_type")  # 单位×主题
        >>> chart.options["series"][0]["type"]
        'heatmap'
    """
    rows = level_rows(units, level)
    columns = sorted(
        (c for c in rows.columns if c.startswith("topic_") and rows[c].notna().any()),
        key=lambda c: int(c.removeprefix("topic_")),
    )
    if not columns:
        raise ValueError("units table has no topic_<n> columns; run units(..., doc_topics=...)")
    x_names, y_names = topic_names(topic_labels, columns), [clean_text(n) for n in rows["name"]]
    data = []
    for y, row in rows.iterrows():
        for x, column in enumerate(columns):
            value = round(100 * float(row[column]), 1) if pd.notna(row[column]) else None
            tip = f"<b>{esc(y_names[y])}</b><br>{esc(x_names[x])}：{fmt_number(value, 1)}%"
            data.append({"value": [x, y, value], "tip": tip})
    height = f"{max(280, 180 + 30 * len(y_names))}px"
    chart = HeatMap(
        init_opts=opts.InitOpts(
            chart_id=chart_id or stable_id("units", "topic-heatmap", level),
            width="100%",
            height=height,
        )
    )
    chart.add_xaxis(x_names)
    chart.add_yaxis("主题占比", y_names, data, label_opts=opts.LabelOpts(is_show=True))
    chart.set_global_opts(
        tooltip_opts=opts.TooltipOpts(formatter=JsCode("djmine.dataTip")),
        visualmap_opts=opts.VisualMapOpts(
            min_=0,
            max_=100,
            orient="horizontal",
            pos_left="center",
            range_color=["#f7f7f7", "#b71c1c"],
        ),
        legend_opts=opts.LegendOpts(is_show=False),
        xaxis_opts=opts.AxisOpts(
            axislabel_opts=opts.LabelOpts(
                rotate=30, interval=0, overflow="truncate", text_width=120
            )
        ),
        yaxis_opts=opts.AxisOpts(
            is_inverse=True, axislabel_opts=opts.LabelOpts(overflow="truncate", text_width=200)
        ),
    )
    chart.options.update(grid=opts.GridOpts(pos_left=210, pos_right=20, pos_top=60, pos_bottom=110))
    return chart


def role_chart(units: pd.DataFrame, *, level: str = "unit", chart_id: str | None = None) -> Bar:
    """Stacked bars: how each group's body sentences split over the roles (percent).

    Example::

        >>> bar = role_chart(result.units, level="unit")          # 单位×角色
        >>> bar.options["series"][1]["name"]
        '存在问题'
    """
    rows = level_rows(units, level)
    return role_profile_chart(
        [clean_text(name) for name in rows["name"]],
        [role_shares(row) for row in rows.to_dict("records")],
        chart_id=chart_id or stable_id("units", "role-chart", level),
    )


class InlineChart:
    """A chart shown in a notebook as a sandboxed iframe whose page carries ECharts inline.

    Works offline (no CDN); the page is the same self-contained HTML as the dashboard's.

    Example::

        >>> from pipeline.units.charts import InlineChart, role_chart
        >>> InlineChart(role_chart(result.units, level="unit_type"))   # 在 Notebook 中显示
    """

    def __init__(self, chart: HeatMap | Bar, *, title: str = "图表") -> None:
        self.chart = chart
        self.title = title

    def page(self) -> str:
        """The chart's standalone HTML page.

        Example::

            >>> InlineChart(role_chart(result.units)).page().startswith("<!DOCTYPE html>")
            True
        """
        from .pages import chart_page

        return chart_page(self.chart, title=self.title)

    def _repr_html_(self) -> str:
        height = int(str(self.chart.height).removesuffix("px")) + 40
        return (
            f'<iframe sandbox="allow-scripts" style="width:100%;height:{height}px;border:0" '
            f'srcdoc="{html.escape(self.page(), quote=True)}"></iframe>'
        )
