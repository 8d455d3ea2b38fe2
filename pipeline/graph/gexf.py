"""GEXF export of the term graph, byte-identical across runs."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pandas as pd
from networkx.readwrite.gexf import GEXFWriter

from ..tables import atomic_write

NODE_ATTRS = (
    "freq",
    "n_docs",
    "community",
    "degree",
    "strength",
    "pagerank",
    "betweenness",
    "share_achievement",
    "share_problem",
    "share_cause",
    "share_countermeasure",
    "share_other",
    "dominant_role",
    "sent_share_achievement",
    "sent_share_problem",
    "sent_share_cause",
    "sent_share_countermeasure",
    "sent_share_other",
)
EDGE_ATTRS = ("count", "pmi", "npmi")


def _plain(value: object) -> object:
    return value.item() if hasattr(value, "item") else value


def gexf_graph(nodes: pd.DataFrame, edges: pd.DataFrame) -> nx.Graph:
    """networkx graph with sorted nodes (label = term) and edges, attributes as plain Python.

    ``sent_ids`` lists are not exported (GEXF has no list type); they stay in graph_nodes.

    Example::

        >>> gexf_graph(nodes, edges).nodes[0]["label"] == nodes.loc[0, "term"]   # 节点标签为词
        True
    """
    graph = nx.Graph()
    for row in nodes.sort_values("node_id").itertuples(index=False):
        attrs = {name: _plain(getattr(row, name)) for name in NODE_ATTRS if name in nodes.columns}
        graph.add_node(int(row.node_id), label=str(row.term), **attrs)
    for row in edges.sort_values(["source", "target"]).itertuples(index=False):
        attrs = {name: _plain(getattr(row, name)) for name in EDGE_ATTRS}
        graph.add_edge(int(row.source), int(row.target), weight=float(row.weight), **attrs)
    return graph


def to_gexf(nodes: pd.DataFrame, edges: pd.DataFrame, path: str | Path) -> Path:
    """Write ``graph.gexf`` (GEXF 1.2) deterministically, atomically.

    networkx's writer stamps ``<meta lastmodifieddate="today">``; the attribute is removed so
    two runs on the same tables give identical bytes (the creator line names the networkx
    version).

    Example::

        >>> to_gexf(nodes, edges, "outputs/sample/graph.gexf")   # 导出 Gephi 文件
        PosixPath('outputs/sample/graph.gexf')
    """
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    meta = writer.xml.find("meta")
    if meta is not None:
        meta.attrib.pop("lastmodifieddate", None)
    writer.add_graph(gexf_graph(nodes, edges))
    return atomic_write(path, lambda tmp: writer.write(tmp))
