"""The Chinese examples in the report modules' docstrings run and give what they show."""

from __future__ import annotations

import doctest
import importlib

import pytest

SELF_CONTAINED = [
    "escape",
    "style",
    "tooltip",
    "graph_data",
    "sections",
    "assets",
    "pages",
    "charts",
    "map",
    "map_items",
]


@pytest.mark.parametrize("name", SELF_CONTAINED)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(f"pipeline.report.{name}")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
