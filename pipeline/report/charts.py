"""Small dashboard charts: word clouds per role and topic role profiles (pyecharts)."""

from __future__ import annotations

from collections.abc import Sequence

from pyecharts import options as opts
from pyecharts.charts import Bar, WordCloud
from pyecharts.commons.utils import JsCode

from pipeline.report.escape import clean_text
from pipeline.report.style import ROLES, role_style

_WORD_SHADES = ("#333333", "#666666", "#8a8a8a")


def wordcloud_chart(role: str, words: Sequence[tuple[str, float]], *, chart_id: str) -> WordCloud:
    """A word cloud of one role's keywords; word size = score, colours fixed (deterministic).

    Example::

        >>> wc = wordcloud_chart("problem", [("两张皮", 5.2), ("形式主义", 3.1)], chart_id="c_wc")
        >>> wc.options["series"][0]["data"][0]["name"]
        '两张皮'
    """
    style = role_style(role)
    chart = WordCloud(init_opts=opts.InitOpts(chart_id=chart_id, width="100%", height="320px"))
    pairs = [(clean_text(term), round(float(score), 3)) for term, score in words]
    chart.add(
        style.label,
        pairs,
        word_size_range=(12, 44),
        shape="circle",
        rotate_step=90,
        tooltip_opts=opts.TooltipOpts(formatter=JsCode("djmine.nameValueTip")),
    )
    # pyecharts gives every word a random colour: replace it with a fixed one.
    for rank, item in enumerate(chart.options["series"][0]["data"]):
        color = style.color if rank < 8 else _WORD_SHADES[rank % len(_WORD_SHADES)]
        item["textStyle"] = {"color": color}
    chart.set_global_opts(
        tooltip_opts=opts.TooltipOpts(formatter=JsCode("djmine.nameValueTip")),
        legend_opts=opts.LegendOpts(is_show=False),
    )
    return chart


def role_profile_chart(
    labels: Sequence[str], shares: Sequence[dict[str, float]], *, chart_id: str
) -> Bar:
    """Stacked horizontal bars: how each topic's sentences split over the roles (percent).

    Example::

        >>> bar = role_profile_chart(["主题1 两张皮"], [{"problem": 0.6, "cause": 0.4}], chart_id="c_rp")
        >>> [s["name"] for s in bar.options["series"]][:2]
        ['成效做法', '存在问题']
    """
    height = f"{max(220, 60 + 34 * len(labels))}px"
    chart = Bar(init_opts=opts.InitOpts(chart_id=chart_id, width="100%", height=height))
    chart.add_xaxis([clean_text(label) for label in labels])
    for role, style in ROLES.items():
        values = [round(100 * float(s.get(role, 0.0)), 1) for s in shares]
        chart.add_yaxis(
            style.label,
            values,
            stack="roles",
            color=style.color,
            label_opts=opts.LabelOpts(is_show=False),
        )
    chart.reversal_axis()
    chart.set_global_opts(
        tooltip_opts=opts.TooltipOpts(trigger="axis", formatter=JsCode("djmine.axisTip")),
        legend_opts=opts.LegendOpts(pos_top="0"),
        xaxis_opts=opts.AxisOpts(max_=100, axislabel_opts=opts.LabelOpts(formatter="{value}%")),
        yaxis_opts=opts.AxisOpts(
            is_inverse=True, axislabel_opts=opts.LabelOpts(formatter=JsCode("djmine.shortLabel"))
        ),
    )
    # Long topic labels: let the grid make room for them instead of cutting them off.
    chart.options["grid"] = {"left": 24, "right": 28, "top": 36, "bottom": 20, "containLabel": True}
    return chart
