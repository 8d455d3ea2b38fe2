"""TEMPORARY fixture for the analysis tests (keywords, topics, graph).

``sample_tables`` builds provisional documents/sentences tables from corpus/sample with
:mod:`tests.analysis.provisional` (real OpenCC, real jieba). When tests/conftest.py provides the
real ``sample_tables`` (a run of the pipeline on corpus/sample), delete this fixture and the
root one is used unchanged.
"""

from __future__ import annotations

import pandas as pd
import pytest

from .provisional import build_tables


@pytest.fixture(scope="session")
def sample_tables() -> dict[str, pd.DataFrame]:
    """{'documents': ..., 'sentences': ...} for corpus/sample (provisional stand-in)."""
    return build_tables()
