"""The ``report`` stage: run tables in, HTML pages out, a table of the pages written returned."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from pipeline.report.dashboard import DASHBOARD_TITLE, render_dashboard
from pipeline.report.map import MAP_TITLE


def report(
    tables: Mapping[str, pd.DataFrame],
    *,
    out_dir: str | Path,
    title: str = DASHBOARD_TITLE,
    map_title: str = MAP_TITLE,
    max_nodes: int = 500,
    seed: int = 42,
    keyword_scope: str = "role",
    keyword_method: str = "log_odds",
) -> pd.DataFrame:
    """Write the self-contained dashboard and map; return one row per page written.

    Columns of the result: page (file name), path (str), n_bytes (int), sha256 (str).

    Example::

        >>> pages = report({"graph_nodes": nodes, "graph_edges": edges, "sentences": sentences,
        ...                 "documents": documents, "topics": topics}, out_dir="outputs/sample/report",
        ...                title="机关党建调研报告")
        >>> pages["page"].tolist()
        ['map.html', 'index.html', 'topics.html']
    """
    paths = render_dashboard(
        tables,
        out_dir=out_dir,
        title=title,
        map_title=map_title,
        max_nodes=max_nodes,
        seed=seed,
        keyword_scope=keyword_scope,
        keyword_method=keyword_method,
    )
    rows = []
    for path in paths:
        data = path.read_bytes()
        rows.append(
            {
                "page": path.name,
                "path": str(path),
                "n_bytes": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
        )
    return pd.DataFrame(rows, columns=["page", "path", "n_bytes", "sha256"])
