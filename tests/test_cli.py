"""The command line: help, exit codes and messages for bad invocations."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "run_pipeline.py"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_help_documents_every_option() -> None:
    proc = _cli("--help")
    assert proc.returncode == 0
    for option in (
        "--out",
        "--config",
        "--stages",
        "--workers",
        "--seed",
        "--segmenter",
        "--force",
    ):
        assert option in proc.stdout


def test_missing_corpus_folder(tmp_path: Path) -> None:
    proc = _cli(str(tmp_path / "nowhere"), "--out", str(tmp_path / "o"))
    assert proc.returncode == 2
    assert "corpus folder not found" in proc.stderr and "nowhere" in proc.stderr


def test_bad_config_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "bad.cfg"
    bad.write_text("[pipeline]\nworkers = 0\n", encoding="utf-8")
    proc = _cli("corpus/sample", "--out", str(tmp_path / "o"), "--config", str(bad))
    assert proc.returncode == 2
    assert "bad config" in proc.stderr and "bad.cfg" in proc.stderr and "workers" in proc.stderr


def test_refuses_to_overwrite_a_foreign_folder(tmp_path: Path) -> None:
    out = tmp_path / "o"
    out.mkdir()
    (out / "notes.txt").write_text("我的笔记", encoding="utf-8")
    proc = _cli("corpus/sample", "--out", str(out))
    assert proc.returncode == 2
    assert "--force" in proc.stderr
    assert (out / "notes.txt").read_text(encoding="utf-8") == "我的笔记"
