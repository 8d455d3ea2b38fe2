"""Graph stage: term co-occurrence backbone, Louvain communities, roles, GEXF export."""

from __future__ import annotations

from .build import EDGE_COLUMNS, NODE_COLUMNS, build_graph
from .gexf import to_gexf
from .views import problem_countermeasure_links

__all__ = ["EDGE_COLUMNS", "NODE_COLUMNS", "build_graph", "problem_countermeasure_links", "to_gexf"]
