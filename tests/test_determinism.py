"""Same corpus, config and seed give byte-identical outputs, with one worker or two."""

from __future__ import annotations

import pytest

from pipeline import Config, run


@pytest.mark.slow
def test_two_runs_are_byte_identical(sample_dir, sample_run, tmp_path) -> None:
    again = run(sample_dir, tmp_path / "again", config=Config(workers=2))
    first = {p.relative_to(sample_run.out): p for p in sample_run.out.rglob("*") if p.is_file()}
    second = {p.relative_to(again.out): p for p in again.out.rglob("*") if p.is_file()}
    assert sorted(first) == sorted(second)
    compared = [name for name in first if name.name != "manifest.json"]
    assert any(str(n).endswith(".html") for n in compared)
    assert any(str(n).endswith(".gexf") for n in compared)
    different = [str(n) for n in compared if first[n].read_bytes() != second[n].read_bytes()]
    assert not different, f"outputs differ between runs: {different}"
    assert sample_run.manifest["counts"] == again.manifest["counts"]
