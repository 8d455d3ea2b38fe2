"""The command line end to end: option help, exit codes, and the summary printed after a run.

tests/test_cli.py covers --help naming the basic options, a missing corpus folder, a config
with workers = 0 and a non-run output folder; this file covers the rest.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from pipeline.cli import build_parser, main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpus" / "sample"


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "run_pipeline.py"), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_every_option_has_a_description(capsys: pytest.CaptureFixture[str]) -> None:
    parser = build_parser()
    actions = [a for a in parser._actions if not isinstance(a, argparse._HelpAction)]
    assert {a.dest for a in actions} >= {
        "corpus", "out", "config", "stages", "workers", "seed", "segmenter", "scheduler",
        "quiet", "force",
    }  # fmt: skip
    with pytest.raises(SystemExit) as stop:
        main(["--help"])
    assert stop.value.code == 0
    text = " ".join(capsys.readouterr().out.split())  # argparse wraps lines
    for action in actions:
        assert action.help and action.help != argparse.SUPPRESS, action.dest
        assert len(action.help.split()) >= 3, f"{action.dest}: help too short: {action.help!r}"
        for option in action.option_strings:
            assert option in text, option
        first_words = " ".join(action.help.split()[:3])
        assert first_words in text, f"{action.dest}: help not shown"


@pytest.fixture(scope="module")
def sample_cli(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One CLI run of the sample (quiet), as the user types it."""
    base = tmp_path_factory.mktemp("cli_run")
    corpus = base / "corpus"
    shutil.copytree(SAMPLE, corpus)
    out = base / "out"
    proc = _cli(str(corpus), "--out", str(out), "--quiet")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {"base": base, "corpus": corpus, "out": out, "proc": proc, "manifest": manifest}


@pytest.mark.slow
def test_sample_run_exits_0_and_summarises(sample_cli: dict) -> None:
    proc, out = sample_cli["proc"], sample_cli["out"]
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    counts = manifest["counts"]
    text = proc.stdout
    assert f"run written to {out}" in text
    assert re.search(rf"files\s+{counts['files_ok']} read, 0 skipped", text), text
    assert re.search(
        rf"articles\s+{counts['articles']} \({counts['duplicates']} duplicates\), "
        rf"{counts['sentences']} sentences",
        text,
    ), text
    assert f"{counts['topics']} topics" in text
    assert f"{counts['communities']} keyword communities" in text
    assert f"{counts['units']} units" in text
    assert f"(map: {out / 'map.html'})" in text
    assert (out / "map.html").is_file() and (out / "index.html").is_file()
    assert "skipped " not in text.replace("0 skipped", "")
    assert re.search(r"time\s+[\d.]+ s, peak memory \d+ MB", text), text
    assert re.search(r"stages\s+ingest 0 cached/5 new, structure 0 cached/\d+ new", text), text


@pytest.mark.slow
def test_rerun_summary_says_what_was_reused(sample_cli: dict) -> None:
    proc = _cli(str(sample_cli["corpus"]), "--out", str(sample_cli["out"]), "--quiet")
    assert proc.returncode == 0, proc.stderr
    again = json.loads((sample_cli["out"] / "manifest.json").read_text(encoding="utf-8"))
    first = sample_cli["manifest"]
    changed = {k: (first[k], again[k]) for k in ("config", "models", "inputs", "versions")
               if first[k] != again[k]}  # fmt: skip
    assert again["stage_keys"] == first["stage_keys"], changed
    stages = next(line for line in proc.stdout.splitlines() if line.strip().startswith("stages"))
    for stage in ("ingest", "structure", "segment", "keywords", "topics", "graph", "report"):
        assert f"{stage} reused" in stages


@pytest.mark.slow
def test_folder_of_another_corpus_needs_force(sample_cli: dict) -> None:
    out = sample_cli["out"]
    manifest = (out / "manifest.json").read_bytes()
    other = sample_cli["base"] / "other_corpus"
    shutil.copytree(SAMPLE, other)
    proc = _cli(str(other), "--out", str(out), "--quiet")
    assert proc.returncode == 2
    assert "error:" in proc.stderr and "Traceback" not in proc.stderr
    assert "different corpus" in proc.stderr and str(out) in proc.stderr
    assert "--force" in proc.stderr
    assert (out / "manifest.json").read_bytes() == manifest  # the old run is untouched


def test_bad_config_value_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.cfg"
    bad.write_text("[pipeline]\nsegmenter = pkuseg\n", encoding="utf-8")
    proc = _cli(str(SAMPLE), "--out", str(tmp_path / "o"), "--config", str(bad), "--quiet")
    assert proc.returncode == 2
    assert "bad config" in proc.stderr and "segmenter" in proc.stderr
    assert "rjieba" in proc.stderr  # says what is allowed
    assert not (tmp_path / "o" / "manifest.json").exists()


def test_bad_workers_option_exits_2(tmp_path: Path) -> None:
    proc = _cli(str(SAMPLE), "--out", str(tmp_path / "o"), "--workers", "-1", "--quiet")
    assert proc.returncode == 2
    assert "workers = -1 must be at least 1" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_bad_scheduler_exits_2(tmp_path: Path) -> None:
    proc = _cli(str(SAMPLE), "--out", str(tmp_path / "o"), "--scheduler", "somehost", "--quiet")
    assert proc.returncode == 2
    assert "somehost" in proc.stderr and "tcp://host:8786" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_summary_lists_skipped_files(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy2(SAMPLE / "003_22f7e5d0ba2c37b3.txt", corpus / "003.txt")
    (corpus / "空白.txt").write_bytes(b"")
    (corpus / "坏文件.docx").write_bytes(bytes(range(256)) * 8)
    out = tmp_path / "out"
    proc = _cli(str(corpus), "--out", str(out), "--stages", "ingest", "--quiet")
    assert proc.returncode == 0, proc.stderr
    report = pd.read_csv(out / "ingest_report.csv", encoding="utf-8-sig")
    skipped = report[report["status"] != "ok"]
    assert sorted(skipped["source_file"]) == ["坏文件.docx", "空白.txt"]
    assert re.search(r"files\s+1 read, 2 skipped", proc.stdout), proc.stdout
    for row in skipped.itertuples():
        assert isinstance(row.reason, str) and row.reason
        assert f"skipped    {row.source_file}: {row.reason}" in proc.stdout, proc.stdout
