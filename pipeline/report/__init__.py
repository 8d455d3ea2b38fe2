"""The report stage: a self-contained HTML keyword map and dashboard (ECharts inlined, offline).

Example::

    >>> from pipeline.report import render_map, render_dashboard, report
    >>> report(tables, out_dir="outputs/sample/report", title="机关党建调研报告")
"""

from pipeline.report.dashboard import render_dashboard
from pipeline.report.map import render_map
from pipeline.report.stage import report

__all__ = ["render_dashboard", "render_map", "report"]
