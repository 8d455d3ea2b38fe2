"""The Dask backend: same tables as local processes, results in item order, clear errors."""

from __future__ import annotations

import hashlib
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline import RunError, load_config, run
from pipeline.parallel import DaskBackend, LocalBackend, make_backend
from pipeline.structure import walk_document

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpus" / "sample"

pytestmark = pytest.mark.slow


def output_hashes(out: Path) -> dict[str, str]:
    """SHA-256 of every output file of a run folder (not manifest.json, not the cache)."""
    hashes = {}
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out)
        if path.is_file() and rel.parts[0] != "cache" and rel.name != "manifest.json":
            hashes[rel.as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


def sample_items() -> list[tuple[str, str]]:
    """(title, text) items cut from the sample reports, of very different lengths."""
    items = []
    for path in sorted(SAMPLE.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for size in (200, 3000, len(text)):
            items.append((path.stem, text[:size]))
    return items


def test_dask_run_equals_local_run(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE, corpus)
    local = run(corpus, tmp_path / "local", config=load_config(None, workers=1))
    dask = run(corpus, tmp_path / "dask", config=load_config(None, workers=2), scheduler="local")
    assert dask.manifest["scheduler"] == "local"
    assert local.manifest["scheduler"].startswith("local (1 worker")
    expected, got = output_hashes(local.out), output_hashes(dask.out)
    assert sorted(got) == sorted(expected)
    assert any(rel.endswith(".html") for rel in got)
    different = [rel for rel in expected if got[rel] != expected[rel]]
    assert not different, f"Dask and local runs differ: {different}"
    assert dask.manifest["counts"] == local.manifest["counts"]
    # the stage keys ignore `workers` and the backend: either run's outputs serve the other
    assert dask.manifest["stage_keys"] == local.manifest["stage_keys"]
    for stage in ("ingest", "structure", "segment"):
        assert dask.manifest["reuse"][stage]["items_computed"] > 0


@pytest.fixture(scope="module")
def dask_backend() -> Iterator[DaskBackend]:
    """A LocalCluster of 2 worker processes, shared by the tests below."""
    backend = DaskBackend("local", workers=2)
    yield backend
    backend.close()


def test_backends_return_results_in_item_order(dask_backend: DaskBackend) -> None:
    items = sample_items()
    expected = [walk_document(None, item) for item in items]
    local = LocalBackend(2).map(walk_document, items)
    assert local == expected
    assert dask_backend.workers == 2
    done: list[int] = []
    assert dask_backend.map(walk_document, items, done=done.append) == expected
    assert sum(done) == len(items)
    assert dask_backend.map(walk_document, []) == []
    # the shared argument reaches every task
    lengths = dask_backend.map(_length_plus, ["党建", "考核机制", "两张皮"], shared=10)
    assert lengths == [12, 14, 13]


def _length_plus(shared: int, item: str) -> int:
    return shared + len(item)


def test_local_cluster_opens_no_dashboard(dask_backend: DaskBackend) -> None:
    scheduler = dask_backend._cluster.scheduler
    # no Bokeh dashboard routes, and the HTTP server Dask always starts is on a free
    # port of 127.0.0.1 (never the fixed 8787, never all interfaces)
    assert not any("status" in str(rule.matcher) for rule in _rules(scheduler))
    ports = [s.getsockname() for s in scheduler.http_server._sockets.values()]
    assert ports, "no HTTP server socket found"
    for host, port in ports:
        assert host == "127.0.0.1" and port != 8787, (host, port)


def _rules(scheduler) -> list:  # noqa: ANN001 - a distributed Scheduler
    rules = []
    for router in [scheduler.http_application.default_router]:
        for rule in router.rules:
            rules.append(rule)
            target = getattr(rule, "target", None)
            rules.extend(getattr(target, "rules", []))
    return rules


def test_unreachable_scheduler_fails_fast_and_clearly(tmp_path: Path) -> None:
    started = time.perf_counter()
    with pytest.raises(RunError) as error:
        run(SAMPLE, tmp_path / "out", scheduler="tcp://127.0.0.1:1")
    seconds = time.perf_counter() - started
    message = str(error.value)
    assert "tcp://127.0.0.1:1" in message and "--scheduler local" in message
    assert seconds < 10, f"an unreachable scheduler took {seconds:.1f} s to report"
    assert not (tmp_path / "out" / "manifest.json").exists()


def test_scheduler_address_must_be_local_or_a_url() -> None:
    with pytest.raises(ValueError, match="neither 'local' nor an address"):
        make_backend("127.0.0.1:8786", workers=1)
    assert isinstance(make_backend(None, workers=2), LocalBackend)
    assert isinstance(make_backend("", workers=1), LocalBackend)


def test_running_scheduler_is_reached_by_address() -> None:
    from distributed import LocalCluster

    cluster = LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},
        silence_logs=40,
    )
    try:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        backend = make_backend(cluster.scheduler_address, workers=4)
        try:
            assert isinstance(backend, DaskBackend)
            assert backend.workers == 1  # the cluster's size, not the workers option
            items = sample_items()[:4]
            assert backend.map(walk_document, items) == [walk_document(None, i) for i in items]
        finally:
            backend.close()
    finally:
        cluster.close()
