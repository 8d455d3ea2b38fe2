"""Shared fixtures: the sample corpus and one real pipeline run over it per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import Config, run

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpus" / "sample"


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    """The committed sample corpus (read-only)."""
    return SAMPLE


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory: pytest.TempPathFactory):
    """One full pipeline run over corpus/sample with the default config."""
    out = tmp_path_factory.mktemp("sample_run") / "sample"
    return run(SAMPLE, out, config=Config())


@pytest.fixture(scope="session")
def sample_tables(sample_run) -> dict:
    """The tables of the sample run, by name (documents, sentences, ...)."""
    return sample_run.tables
