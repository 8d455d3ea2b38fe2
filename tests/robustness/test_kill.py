"""SIGKILL a run at any point: the run folder is never left half old, half new.

A complete run A of corpus/sample is made with the CLI; then runs with another seed (so every
corpus-level stage recomputes) are killed at set points and after random delays. After each
kill the folder either still holds run A intact, or holds a cut commit (journal, no
manifest.json) that :func:`pipeline.commit.recover` completes into the new run; the cache is a
sound SQLite file. Finally a run to completion gives the same bytes as an uninterrupted run.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline import commit
from pipeline.cache import CACHE_FILE, Cache

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "corpus" / "sample"
SEEDS = (42, 7)  # run A uses the first; a killed run uses whichever is not committed
POLL = 0.01  # seconds between checks of the kill condition
RUN_ITEMS = {"cache", commit.STAGING, commit.JOURNAL, commit.MANIFEST}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def output_hashes(out: Path) -> dict[str, str]:
    """SHA-256 of every output file (not manifest.json, the cache, staging or the journal)."""
    hashes = {}
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out)
        if path.is_file() and rel.parts[0] not in RUN_ITEMS:
            hashes[rel.as_posix()] = sha256(path)
    return hashes


def cli(corpus: Path, out: Path, seed: int) -> list[str]:
    return [
        sys.executable,
        str(ROOT / "run_pipeline.py"),
        str(corpus),
        "--out",
        str(out),
        "--seed",
        str(seed),
        "--workers",
        "1",
        "--quiet",
    ]


def run_cli(corpus: Path, out: Path, seed: int) -> float:
    started = time.perf_counter()
    proc = subprocess.run(
        cli(corpus, out, seed), cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stderr
    return time.perf_counter() - started


def kill_when(
    corpus: Path, out: Path, seed: int, condition: Callable[[int], bool], log: Path
) -> bool:
    """Start a CLI run and SIGKILL it once ``condition(start_ns)`` holds; False if it finished.

    ``start_ns`` lets a condition ignore what an earlier killed run left behind.
    """
    start_ns = time.time_ns()
    with open(log, "wb") as stderr:
        proc = subprocess.Popen(
            cli(corpus, out, seed), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=stderr
        )
        try:
            deadline = time.monotonic() + 600
            while proc.poll() is None and time.monotonic() < deadline:
                if condition(start_ns):
                    os.kill(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=60)
                    return True
                time.sleep(POLL)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=60)
    assert proc.returncode == 0, log.read_text(encoding="utf-8", errors="replace")
    return False


def made_since(path: Path) -> Callable[[int], bool]:
    """True once ``path`` exists and was created after the run started (not a leftover)."""

    def check(start_ns: int) -> bool:
        try:
            return path.stat().st_ctime_ns >= start_ns
        except FileNotFoundError:
            return False

    return check


def after(seconds: float) -> Callable[[int], bool]:
    def check(start_ns: int) -> bool:
        return time.time_ns() - start_ns >= seconds * 1e9

    return check


def assert_manifest_matches(out: Path) -> dict:
    manifest = json.loads((out / commit.MANIFEST).read_text(encoding="utf-8"))
    wrong = [rel for rel, digest in manifest["files"].items() if sha256(out / rel) != digest]
    assert not wrong, f"manifest.json lists files whose bytes differ: {wrong}"
    return manifest


def check_after_kill(out: Path, committed_seed: int, new_seed: int) -> tuple[str, int]:
    """The invariants of a killed run's folder; returns (state, seed committed after recovery)."""
    has_manifest = (out / commit.MANIFEST).is_file()
    has_journal = (out / commit.JOURNAL).is_file()
    if has_manifest:
        # the previous complete run (or, killed after the last move, the new one) is intact
        before = assert_manifest_matches(out)
        state = "intact" if not has_journal else "journal written"
    else:
        assert has_journal, "manifest.json is gone but no commit journal: the run folder is lost"
        before = None
        state = "cut commit"
    db = sqlite3.connect(out / "cache" / CACHE_FILE)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT COUNT(*) FROM entries").fetchone()[0] > 0
    finally:
        db.close()
    Cache(out / "cache").close()  # the pipeline's own opening works too

    assert commit.recover(out) == has_journal
    after_recovery = assert_manifest_matches(out)
    assert not (out / commit.JOURNAL).exists()
    # a staging folder left by a run killed before its commit is harmless (the next run
    # deletes it); after a finished commit there is none
    assert not (has_journal and (out / commit.STAGING).exists())
    on_disk = set(output_hashes(out))
    assert on_disk == set(after_recovery["files"]) - {commit.MANIFEST}, (
        "files on disk besides the manifest's: "
        f"{sorted(on_disk ^ (set(after_recovery['files']) - {commit.MANIFEST}))}"
    )
    if has_journal:
        assert after_recovery["seed"] == new_seed
    elif before is not None:
        assert after_recovery == before
        assert before["seed"] in (committed_seed, new_seed)
    return state, after_recovery["seed"]


@pytest.fixture(scope="module")
def run_a(tmp_path_factory: pytest.TempPathFactory) -> dict:
    base = tmp_path_factory.mktemp("kill")
    corpus = base / "corpus"
    shutil.copytree(SAMPLE, corpus)
    out = base / "out"
    seconds = run_cli(corpus, out, SEEDS[0])
    assert_manifest_matches(out)
    return {"base": base, "corpus": corpus, "out": out, "seconds": seconds,
            "hashes": output_hashes(out)}  # fmt: skip


@pytest.mark.slow
def test_sigkill_never_corrupts_the_run_folder(run_a: dict) -> None:
    out, corpus = run_a["out"], run_a["corpus"]
    staging = out / commit.STAGING
    rng = random.Random(20240607)
    # three random delays between 0.5 s and run A's duration, one in each third of it
    third = (run_a["seconds"] - 0.5) / 3
    delays = [round(rng.uniform(0.5 + i * third, 0.5 + (i + 1) * third), 2) for i in range(3)]
    points: list[tuple[str, Callable[[int], bool]]] = [
        ("staging folder made", made_since(staging)),
        ("documents.parquet staged", made_since(staging / "documents.parquet")),
        ("sentences.parquet staged", made_since(staging / "sentences.parquet")),
        ("topics.parquet staged", made_since(staging / "topics.parquet")),
        ("commit journal written", made_since(out / commit.JOURNAL)),
        *((f"after {d} s", after(d)) for d in delays),
    ]
    committed = SEEDS[0]
    outcomes = []
    seed = committed
    for number, (point, condition) in enumerate(points):
        seed = SEEDS[1] if committed == SEEDS[0] else SEEDS[0]
        killed = kill_when(corpus, out, seed, condition, run_a["base"] / f"kill{number}.log")
        state, committed = check_after_kill(out, committed, seed)
        outcomes.append((point, seed, "killed" if killed else "finished first", state))
    # the set points before the commit must really have cut the run short
    assert all(o[2] == "killed" and o[3] == "intact" for o in outcomes[:4]), outcomes

    # a run to completion with the last killed run's args gives the uninterrupted bytes
    run_cli(corpus, out, seed)
    assert_manifest_matches(out)
    assert not (out / commit.STAGING).exists() and not (out / commit.JOURNAL).exists()
    if seed == SEEDS[0]:
        reference = run_a["hashes"]
    else:
        fresh = run_a["base"] / "fresh"
        run_cli(corpus, fresh, seed)
        reference = output_hashes(fresh)
    got = output_hashes(out)
    assert sorted(got) == sorted(reference)
    assert not [rel for rel in reference if got[rel] != reference[rel]]


# -- commit recovery, without a subprocess ---------------------------------------------------

OLD = {"documents.parquet": b"old documents", "stale.csv": b"only in the old run"}
NEW = {
    "documents.parquet": b"new documents",
    "sentences.parquet": b"new sentences",
    "models/topics/params.json": b'{"k": 3}',
    "index.html": "<html>党建地图</html>".encode(),
}


def old_run(out: Path) -> None:
    """A complete 'previous run' folder with a manifest listing its files."""
    out.mkdir(parents=True)
    for rel, data in OLD.items():
        (out / rel).write_bytes(data)
    files = {rel: hashlib.sha256(data).hexdigest() for rel, data in OLD.items()}
    (out / commit.MANIFEST).write_text(json.dumps({"seed": 1, "files": files}), encoding="utf-8")


def stage_new_run(out: Path) -> dict[str, bytes]:
    staging = commit.staging_dir(out)
    for rel, data in NEW.items():
        (staging / rel).parent.mkdir(parents=True, exist_ok=True)
        (staging / rel).write_bytes(data)
    files = {rel: hashlib.sha256(data).hexdigest() for rel, data in NEW.items()}
    manifest = json.dumps({"seed": 2, "files": files}).encode()
    (staging / commit.MANIFEST).write_bytes(manifest)
    return {**NEW, commit.MANIFEST: manifest}


def assert_new_run(out: Path, expected: dict[str, bytes]) -> None:
    for rel, data in expected.items():
        assert (out / rel).read_bytes() == data, rel
    assert not (out / "stale.csv").exists()
    assert not (out / commit.STAGING).exists() and not (out / commit.JOURNAL).exists()
    manifest = json.loads((out / commit.MANIFEST).read_text(encoding="utf-8"))
    assert manifest["seed"] == 2


def test_recover_finishes_a_commit_cut_mid_move(tmp_path: Path) -> None:
    out = tmp_path / "run"
    old_run(out)
    expected = stage_new_run(out)
    # what commit() does up to the kill: the journal, the old manifest gone, half the moves
    moves = sorted(set(expected) - {commit.MANIFEST}) + [commit.MANIFEST]
    journal = {"move": moves, "remove": ["stale.csv"]}
    (out / commit.JOURNAL).write_text(json.dumps(journal), encoding="utf-8")
    (out / commit.MANIFEST).unlink()
    for rel in moves[:2]:
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        os.replace(out / commit.STAGING / rel, out / rel)
    assert not (out / commit.MANIFEST).exists()  # the folder does not look complete

    assert commit.recover(out) is True
    assert_new_run(out, expected)
    assert commit.recover(out) is False  # nothing left to do


def test_commit_interrupted_by_a_crash_then_recovered(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "run"
    old_run(out)
    expected = stage_new_run(out)
    moved: list[str] = []
    real_replace = os.replace

    class Killed(BaseException):
        pass

    def replace(source, target):  # noqa: ANN001 - os.replace's signature
        if commit.STAGING not in Path(source).parts:
            return real_replace(source, target)  # the journal's own atomic write
        if len(moved) == 2:
            raise Killed
        real_replace(source, target)
        moved.append(Path(target).relative_to(out).as_posix())

    monkeypatch.setattr(commit.os, "replace", replace)
    with pytest.raises(Killed):
        commit.commit(out, list(expected), previous=list(OLD))
    monkeypatch.setattr(commit.os, "replace", real_replace)
    assert len(moved) == 2 and commit.MANIFEST not in moved
    assert not (out / commit.MANIFEST).exists() and (out / commit.JOURNAL).is_file()

    order: list[str] = []

    def record(source, target):  # noqa: ANN001 - os.replace's signature
        order.append(Path(target).relative_to(out).as_posix())
        real_replace(source, target)

    monkeypatch.setattr(commit.os, "replace", record)
    assert commit.recover(out) is True
    assert order[-1] == commit.MANIFEST  # manifest.json is moved in last
    assert sorted(moved + order) == sorted(expected)
    assert_new_run(out, expected)


def test_killed_before_the_journal_leaves_the_old_run(tmp_path: Path) -> None:
    out = tmp_path / "run"
    old_run(out)
    stage_new_run(out)  # staged, but killed before commit() wrote its journal
    assert commit.recover(out) is False
    for rel, data in OLD.items():
        assert (out / rel).read_bytes() == data
    fresh = commit.staging_dir(out)  # the next run starts from an empty staging folder
    assert fresh.is_dir() and not any(fresh.iterdir())
    assert (out / commit.MANIFEST).is_file()
