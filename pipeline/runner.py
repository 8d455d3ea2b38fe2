"""Run the whole pipeline (or some stages) on a corpus folder into ``outputs/<run>/``.

The runner is the only place that reads the corpus metadata file, the models folder
and the config; it passes everything down to the stages as arguments and writes
each stage's tables, then ``manifest.json``.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import resource
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from threadpoolctl import threadpool_limits

from . import commit
from . import stages as stage_impl
from .cache import CACHE_FILE, Cache, content_key
from .config import Config
from .manifest import package_versions, sha256_file, write_manifest
from .overlap import beside
from .parallel import make_backend
from .progress import bar

STAGES: tuple[str, ...] = (
    "ingest",
    "structure",
    "segment",
    "keywords",
    "topics",
    "graph",
    "units",
    "report",
)
MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
CACHE_DIR = "cache"
PER_DOCUMENT_STAGES = frozenset({"ingest", "structure", "segment"})
# What a run folder holds besides outputs: a folder with only these is an unfinished run.
RUN_FOLDER_ITEMS = frozenset({CACHE_DIR, commit.STAGING, commit.JOURNAL})
# Config keys that change how a run is carried out, never what it writes.
RUN_ONLY_KEYS = frozenset({"workers"})
# Corpus-level stages that need only the segmented sentences (units needs topics): with 2+
# workers the CHILD_GROUP runs in a forked process while the runner runs the others.
OVERLAPPED = frozenset({"keywords", "topics", "graph", "units"})
CHILD_GROUP = frozenset({"topics", "units"})
# The counts each stage adds to the manifest (copied over when a stage is reused).
STAGE_COUNTS = {
    "ingest": ("files", "files_ok", "files_skipped", "articles", "duplicates"),
    "structure": ("sentences",),
    "segment": ("terms_accepted",),
    "topics": ("topics",),
    "graph": ("graph_nodes", "graph_edges", "communities"),
    "units": ("units",),
    "report": ("html_pages",),
}


class RunError(RuntimeError):
    """The run cannot start or go on; the message says why and what to do."""


@dataclass
class RunResult:
    """What :func:`run` returns: the output folder, every table, and the manifest.

    Example::

        >>> result = run("corpus/sample", "outputs/sample")   # 运行全部阶段
        >>> result.tables["documents"].shape[0]
        15
    """

    out: Path
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    manifest: dict = field(default_factory=dict)


def _check_out_dir(out: Path, corpus: Path, *, force: bool) -> None:
    manifest = out / "manifest.json"
    if not out.exists() or force:
        return
    if not manifest.exists():
        if any(p.name not in RUN_FOLDER_ITEMS for p in out.iterdir()):
            raise RunError(
                f"{out}: folder is not empty and holds no pipeline run; "
                "choose another --out or pass --force to write into it"
            )
        return
    previous = json.loads(manifest.read_text(encoding="utf-8"))
    if Path(previous.get("corpus", "")).resolve() != corpus.resolve():
        raise RunError(
            f"{out}: holds a run of a different corpus ({previous.get('corpus')}); "
            "choose another --out or pass --force to overwrite it"
        )


def _resolve_stages(stages: Iterable[str] | None) -> tuple[str, ...]:
    if stages is None:
        return STAGES
    wanted = tuple(stages)
    unknown = [s for s in wanted if s not in STAGES]
    if unknown:
        raise RunError(f"unknown stage(s) {', '.join(unknown)}; choose from {', '.join(STAGES)}")
    # Stages always run in pipeline order, and every stage needs the ones before it.
    last = max(STAGES.index(s) for s in wanted)
    return STAGES[: last + 1]


def run(
    corpus: str | Path,
    out: str | Path,
    *,
    config: Config | None = None,
    stages: Iterable[str] | None = None,
    force: bool = False,
    models_dir: str | Path = MODELS_DIR,
    scheduler: str | None = None,
    progress: bool = False,
) -> RunResult:
    """Run the pipeline on a corpus folder and write every table under ``out``.

    ``stages`` names the last stages wanted (earlier ones always run); ``force`` allows
    overwriting an output folder that holds another corpus's run. ``scheduler`` runs the
    per-document work on Dask (``'local'`` or ``'tcp://host:8786'``); ``progress`` shows a
    bar per stage on stderr. Per-document results are cached in ``out/cache/`` and a stage
    whose inputs, config and version match the previous run's reuses its outputs; the
    manifest's ``reuse`` says what was reused. The new run replaces the old one only when
    it is complete (see :mod:`pipeline.commit`).

    Example::

        >>> from pipeline import run, load_config
        >>> result = run("corpus/sample", "outputs/sample", config=load_config())  # 样例语料
        >>> sorted(result.tables)[:2]
        ['doc_substance', 'doc_topics']
    """
    corpus_path = Path(corpus)
    out_path = Path(out)
    cfg = config or Config()
    if not corpus_path.is_dir():
        raise RunError(f"{corpus_path}: corpus folder not found; pass a folder of reports")
    try:
        return _run(
            corpus_path, out_path, cfg, stages, force, Path(models_dir), scheduler, progress
        )
    except (OSError, sqlite3.Error) as exc:
        where = getattr(exc, "filename", None) or out_path
        reason = getattr(exc, "strerror", None) or str(exc)
        kept = (
            f"the previous run in {out_path} is unchanged"
            if (out_path / commit.MANIFEST).is_file()
            else f"{out_path} holds no finished run"
        )
        raise RunError(
            f"{where}: cannot write the run ({reason}); {kept}. Free disk space or make the "
            "folder writable, or choose another --out"
        ) from None


def _run(
    corpus: Path,
    out: Path,
    cfg: Config,
    stages: Iterable[str] | None,
    force: bool,
    models_dir: Path,
    scheduler: str | None,
    progress: bool,
) -> RunResult:
    wanted = _resolve_stages(stages)
    out.mkdir(parents=True, exist_ok=True)
    commit.recover(out)
    _check_out_dir(out, corpus, force=force)
    previous = _previous_manifest(out)
    try:
        backend = make_backend(scheduler, workers=cfg.workers)
    except (ValueError, ConnectionError) as exc:
        raise RunError(str(exc)) from None
    staging = commit.staging_dir(out)
    cache = Cache(out / CACHE_DIR)
    ctx = stage_impl.StageContext(
        corpus=corpus,
        out=staging,
        config=cfg,
        models_dir=models_dir,
        backend=backend,
        cache=cache,
        progress=progress,
    )
    try:
        started = time.perf_counter()
        # one BLAS thread per process: the run's processes are the parallelism, and the same
        # thread count whatever --workers keeps floating-point sums (and outputs) the same
        with threadpool_limits(limits=1):
            timings, peaks, keys = _run_stages(ctx, wanted, previous, out)
        manifest = _manifest(ctx, corpus, cfg, scheduler, timings, peaks, keys)
        manifest["wall_seconds"] = round(time.perf_counter() - started, 3)
        write_manifest(staging / commit.MANIFEST, manifest)
        commit.commit(out, [*ctx.written, commit.MANIFEST], previous=previous.get("files", {}))
        for stage, stage_keys in ctx.cache_keys.items():
            cache.prune(stage, stage_keys)
    finally:
        backend.close()
        cache.close()
    ctx.tables.relocate(staging, out)
    return RunResult(out=out, tables=ctx.tables, manifest=manifest)


def _run_stages(
    ctx: stage_impl.StageContext, wanted: tuple[str, ...], previous: dict, out: Path
) -> tuple[dict[str, float], dict[str, float], dict[str, str]]:
    timings: dict[str, float] = {}
    peaks: dict[str, float] = {}
    started = time.perf_counter()
    ctx.plan = stage_impl.plan_ingest(ctx)
    keys = stage_keys(ctx, wanted)
    reusable = _reusable(wanted, keys, previous, out)
    timings["plan"] = round(time.perf_counter() - started, 3)
    for name in wanted:
        if name in timings:
            continue  # ran in an overlapped group
        if name in reusable:
            started = time.perf_counter()
            _reuse_stage(ctx, name, previous, out)
            timings[name] = round(time.perf_counter() - started, 3)
            peaks[name] = peak_rss_mb()
        elif name in OVERLAPPED:
            group = [n for n in wanted if n in OVERLAPPED and n not in reusable]
            _run_overlapped(ctx, group, timings, peaks)
        else:
            _run_group(ctx, [name], timings, peaks)
    if ctx.structure_job is not None:  # the run stopped at structure: collect its table
        stage_impl.structured_sentences(ctx)
    order = ["plan", *STAGES]
    timings = {n: timings[n] for n in order if n in timings}
    return timings, {n: peaks[n] for n in order if n in peaks}, keys


def _run_group(
    ctx: stage_impl.StageContext,
    names: list[str],
    timings: dict[str, float],
    peaks: dict[str, float],
) -> None:
    """Run stages one after the other, recording their seconds and the peak memory after each."""
    for name in names:
        started = time.perf_counter()
        before = len(ctx.written)
        if name in PER_DOCUMENT_STAGES:  # these show their own bar, item by item
            getattr(stage_impl, f"run_{name}")(ctx)
        else:
            with bar(name, total=1, unit="stage", enabled=ctx.progress) as progress:
                getattr(stage_impl, f"run_{name}")(ctx)
                progress.update(1)
        ctx.reuse.setdefault(name, {"mode": "computed"})
        ctx.stage_files[name] = ctx.written[before:]
        trim_heap()
        timings[name] = round(time.perf_counter() - started, 3)
        peaks[name] = peak_rss_mb()


def trim_heap() -> None:
    """Hand memory freed by a stage back to the system (glibc keeps it otherwise).

    A stage's temporary objects are gone when it returns, but the C allocator keeps their
    pages: without this the next stage (and a forked child) starts from the larger size.
    """
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _run_overlapped(
    ctx: stage_impl.StageContext,
    names: list[str],
    timings: dict[str, float],
    peaks: dict[str, float],
) -> None:
    """Run the independent corpus-level stages as two groups at once (with 2+ workers).

    The forked child runs its group into the same staging folder and sends back what the
    manifest needs; its tables are then read from their files when a later stage asks.
    """
    mine = [n for n in names if n not in CHILD_GROUP]
    theirs = [n for n in names if n in CHILD_GROUP]
    if mine and theirs and "sentences" in ctx.tables:
        ctx.tables["sentences"]  # read once here: the child shares the pages instead of re-reading
    job = beside(
        lambda: _group_summary(ctx, theirs),
        enabled=bool(mine and theirs) and ctx.config.workers > 1,
    )
    try:
        _run_group(ctx, mine, timings, peaks)
    except BaseException:
        job.cancel()
        raise
    summary = job.result()
    timings.update(summary["timings"])
    peaks.update(summary["peaks"])
    if not job.forked:
        return  # ran here, after my group: ctx already holds the rest
    ctx.counts.update(summary["counts"])
    ctx.reuse.update(summary["reuse"])
    ctx.stage_files.update(summary["stage_files"])
    ctx.written += summary["written"]
    for rel in summary["written"]:
        path = ctx.out / rel
        if "/" not in rel and path.suffix in (".parquet", ".csv"):
            ctx.tables.add_file(path.stem, path)


def _group_summary(ctx: stage_impl.StageContext, names: list[str]) -> dict:
    """Run ``names`` (in a forked child) and return what the parent must merge."""
    counts, written = dict(ctx.counts), len(ctx.written)
    timings: dict[str, float] = {}
    peaks: dict[str, float] = {}
    _run_group(ctx, names, timings, peaks)
    return {
        "timings": timings,
        "peaks": peaks,
        "counts": {k: v for k, v in ctx.counts.items() if counts.get(k) != v},
        "reuse": {n: ctx.reuse[n] for n in names},
        "stage_files": {n: ctx.stage_files[n] for n in names},
        "written": ctx.written[written:],
    }


def stage_keys(ctx: stage_impl.StageContext, wanted: tuple[str, ...]) -> dict[str, str]:
    """Each stage's key: its inputs (a chain from the input files), config, models, version."""
    entries, _, file_keys = ctx.plan
    config = {k: v for k, v in ctx.config.to_dict().items() if k not in RUN_ONLY_KEYS}
    models = ctx.model_hashes
    meta = ctx.corpus / stage_impl.METADATA_FILE
    key = content_key(
        "inputs",
        [(e.rel, e.skip_reason, k) for e, k in zip(entries, file_keys, strict=True)],
        sha256_file(meta) if meta.is_file() else None,
    )
    keys = {}
    for name in wanted:
        key = content_key(key, name, stage_impl._version(), config, models)
        keys[name] = key
    return keys


def _reusable(wanted: tuple[str, ...], keys: dict[str, str], previous: dict, out: Path) -> set[str]:
    """The leading stages whose key matches the previous run's and whose files are intact.

    A stage that writes no files of its own (structure) is reusable only with the next.
    """
    old_keys = previous.get("stage_keys", {})
    old_files = previous.get("stage_files", {})
    hashes = previous.get("files", {})
    reusable: list[str] = []
    for name in wanted:
        files = old_files.get(name)
        if old_keys.get(name) != keys[name] or files is None:
            break
        if not all(_intact(out / rel, hashes.get(rel)) for rel in files):
            break
        reusable.append(name)
    while reusable and not previous.get("stage_files", {}).get(reusable[-1]):
        reusable.pop()  # its tables live only in memory: run it again
    return set(reusable)


def _intact(path: Path, digest: str | None) -> bool:
    return digest is not None and path.is_file() and sha256_file(path) == digest


def _reuse_stage(ctx: stage_impl.StageContext, name: str, previous: dict, out: Path) -> None:
    files = previous["stage_files"][name]
    for rel in files:
        commit.link_or_copy(out / rel, ctx.out / rel)
        path = ctx.out / rel
        if "/" not in rel and path.suffix in (".parquet", ".csv"):
            ctx.tables.add_file(path.stem, path)
    ctx.written += files
    ctx.stage_files[name] = list(files)
    ctx.reuse[name] = {"mode": "reused outputs"}
    for key in STAGE_COUNTS.get(name, ()):
        if key in previous.get("counts", {}):
            ctx.counts[key] = previous["counts"][key]


def _previous_manifest(out: Path) -> dict:
    path = out / commit.MANIFEST
    if not path.is_file():
        return {}
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest.get("files"), dict) else {}


def peak_rss_mb() -> float:
    """Peak resident memory so far in MB: this process, or a finished child if larger."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, children) / 1024, 1)


def _manifest(
    ctx: stage_impl.StageContext,
    corpus: Path,
    cfg: Config,
    scheduler: str | None,
    timings: dict[str, float],
    peaks: dict[str, float],
    keys: dict[str, str],
) -> dict:
    return {
        "corpus": str(corpus),
        "config": cfg.to_dict(),
        "seed": cfg.seed,
        "scheduler": scheduler or f"local ({cfg.workers} worker(s))",
        "stages": [s for s in timings if s != "plan"],
        "stage_seconds": timings,
        "stage_peak_rss_mb": peaks,
        "reuse": ctx.reuse,
        "versions": package_versions(),
        "inputs": dict(sorted(ctx.input_hashes.items())),
        "models": ctx.model_hashes,
        "counts": ctx.counts,
        "stage_keys": keys,
        "stage_files": ctx.stage_files,
        "files": {rel: sha256_file(ctx.out / rel) for rel in sorted(set(ctx.written))},
        "cache": {
            "path": f"{CACHE_DIR}/{CACHE_FILE}",
            "rejected_entries": ctx.cache.rejected if ctx.cache else 0,
        },
        "finished_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
