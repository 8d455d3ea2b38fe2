"""A full disk or an unwritable output folder: a clear error, never a run that looks complete.

The CLI runs in a subprocess. "Disk full" is simulated with RLIMIT_FSIZE in the child (and
SIGXFSZ ignored, so a write past the limit fails with EFBIG like a write to a full disk);
it works for root too. A read-only folder cannot stop root, so that variant is skipped
under root; an output path below a regular file (NotADirectoryError) fails for everyone.
Each failure must give: exit code != 0, one error line on stderr naming the output path
and the reason, no Python traceback, and no ``manifest.json`` of a new run.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import resource
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

from ._build import PYTHON, ROOT, SAMPLE

pytestmark = pytest.mark.slow

FSIZE_LIMIT = 300_000  # bytes per file: the tables fit, the cache and the HTML pages do not


def _cli(out: Path, *extra: str, fsize: int | None = None) -> subprocess.CompletedProcess:
    def limit() -> None:
        if fsize is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    return subprocess.run(
        [str(PYTHON), "run_pipeline.py", str(SAMPLE), "--out", str(out), *extra],
        cwd=ROOT,
        preexec_fn=limit,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )


def _assert_clean_failure(proc: subprocess.CompletedProcess, out: Path, reason: str) -> None:
    assert proc.returncode != 0, proc.stdout
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert errors, proc.stderr[-3000:]
    assert str(out) in errors[-1], errors[-1]
    assert re.search(reason, errors[-1], re.IGNORECASE), errors[-1]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_full_disk_gives_a_clear_error_and_no_manifest(tmp_path: Path) -> None:
    out = tmp_path / "run"
    proc = _cli(out, fsize=FSIZE_LIMIT)
    _assert_clean_failure(proc, out, r"file too large|no space|disk")
    assert not (out / "manifest.json").exists()


def test_full_disk_on_a_rerun_keeps_the_previous_run_whole(tmp_path: Path, sample_run) -> None:
    """The previous complete run stays as it was: same manifest, every file it lists intact."""
    out = tmp_path / "run"
    shutil.copytree(sample_run.out, out, symlinks=True)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    before = {p.relative_to(out).as_posix(): _sha(p) for p in out.rglob("*") if p.is_file()}
    proc = _cli(out, "--force", "--seed", "7", fsize=FSIZE_LIMIT)
    _assert_clean_failure(proc, out, r"file too large|no space|disk")
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8")) == manifest
    listed = [name for name in before if not name.startswith(("cache/", "."))]
    changed = [
        name for name in listed if not (out / name).is_file() or _sha(out / name) != before[name]
    ]
    assert not changed, changed  # no table of the old run was overwritten by a half-written one


def test_output_below_a_regular_file_gives_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("这是一个文件，不是文件夹", encoding="utf-8")
    out = blocker / "run"
    proc = _cli(out)
    _assert_clean_failure(proc, out, r"not a directory")
    assert blocker.read_text(encoding="utf-8") == "这是一个文件，不是文件夹"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a chmod 0o555 folder anyway")
def test_read_only_output_folder_gives_a_clear_error(tmp_path: Path) -> None:
    parent = tmp_path / "readonly"
    parent.mkdir()
    parent.chmod(0o555)
    out = parent / "run"
    try:
        proc = _cli(out)
    finally:
        parent.chmod(0o755)
    _assert_clean_failure(proc, out, r"permission denied|read-only")
    assert not (out / "manifest.json").exists()
