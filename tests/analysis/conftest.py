"""Fixture for the analysis tests (keywords, topics, graph): real tables of corpus/sample.

The analysis stages consume documents, sentences (with tokens) and the discovered terms, so the
fixture runs the real pipeline on corpus/sample up to the segment stage (ingest -> structure ->
segment, default config) once per session. It does not use the root ``sample_run``, which runs
every stage up to the report: the analysis tests call their own stages themselves and must not
depend on later ones.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline import Config, run
from pipeline.segment import Lexicon

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def segmented_sample(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    """{'documents', 'sentences', 'terms', ...} of a real run on corpus/sample up to segment."""
    out = tmp_path_factory.mktemp("analysis_run") / "sample"
    return run(ROOT / "corpus" / "sample", out, config=Config(), stages=["segment"]).tables


@pytest.fixture(scope="session")
def priority_terms(segmented_sample) -> list[str]:
    """What the run passes to build_graph: lexicon words plus accepted discovered terms."""
    terms = segmented_sample["terms"]
    accepted = terms.loc[terms["accepted"].astype(bool), "term"].astype(str)
    return sorted({*Lexicon.load(ROOT / "models" / "lexicon.txt").words, *accepted})
