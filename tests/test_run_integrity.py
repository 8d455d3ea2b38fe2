"""Saved models and tables are loaded only after their SHA-256 matches the run's manifest."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline import Config, run
from pipeline.api import Run

SAMPLE = Path(__file__).resolve().parent.parent / "corpus" / "sample"


@pytest.fixture
def run_copy(sample_run, tmp_path: Path) -> Path:
    """A copy of the session's sample run, free to tamper with."""
    target = tmp_path / "run"
    shutil.copytree(sample_run.out, target, ignore=shutil.ignore_patterns("cache"))
    return target


def test_manifest_lists_every_output_with_its_hash(sample_run) -> None:
    files = sample_run.manifest["files"]
    on_disk = {
        p.relative_to(sample_run.out).as_posix()
        for p in sample_run.out.rglob("*")
        if p.is_file() and "cache" not in p.relative_to(sample_run.out).parts
    }
    assert set(files) | {"manifest.json"} == on_disk
    assert all(len(digest) == 64 for digest in files.values())


def test_intact_run_loads_tables_and_topic_model(run_copy: Path) -> None:
    loaded = Run.load(run_copy)
    assert loaded.documents.shape[0] == 15
    assert loaded.topic_model().k_ == loaded.manifest["counts"]["topics"]


def test_changed_table_is_refused_with_its_name(run_copy: Path) -> None:
    with open(run_copy / "keywords.parquet", "ab") as handle:
        handle.write(b"\0")
    with pytest.raises(ValueError, match=r"keywords\.parquet: changed"):
        Run.load(run_copy)["keywords"]


def test_changed_model_file_is_refused_before_unpickling(run_copy: Path) -> None:
    model = run_copy / "models" / "topics" / "model.pkl"
    model.write_bytes(b"cos\nsystem\n(S'echo pwned'\ntR.")  # a hostile pickle
    with pytest.raises(ValueError, match=r"model\.pkl: changed"):
        Run.load(run_copy).topic_model()


def test_rerun_recomputes_a_stage_whose_files_were_changed(run_copy: Path) -> None:
    (run_copy / "models" / "topics" / "params.json").write_text("{}", encoding="utf-8")
    result = run(SAMPLE, run_copy, config=Config())
    reuse = result.manifest["reuse"]
    assert reuse["keywords"]["mode"] == "reused outputs"
    assert reuse["topics"]["mode"] == "computed"
    assert Run.load(run_copy).topic_model().k_ == result.manifest["counts"]["topics"]
