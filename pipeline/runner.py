"""Run the whole pipeline (or some stages) on a corpus folder into ``outputs/<run>/``.

The runner is the only place that reads the corpus metadata file, the models folder
and the config; it passes everything down to the stages as arguments and writes
each stage's tables, then ``manifest.json``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import stages as stage_impl
from .config import Config
from .manifest import package_versions, sha256_file, write_manifest

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
        if any(out.iterdir()):
            raise RunError(
                f"{out}: folder is not empty and holds no pipeline run; "
                "choose another --out or pass --force to write into it"
            )
        return
    import json

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
    progress: Callable[[str], None] | None = None,
) -> RunResult:
    """Run the pipeline on a corpus folder and write every table under ``out``.

    ``stages`` names the last stages wanted (earlier ones always run); ``force``
    allows overwriting an output folder that holds another corpus's run.

    Example::

        >>> from pipeline import run, load_config
        >>> result = run("corpus/sample", "outputs/sample", config=load_config())  # 样例语料
        >>> sorted(result.tables)[:2]
        ['documents', 'ingest_report']
    """
    corpus_path = Path(corpus)
    out_path = Path(out)
    cfg = config or Config()
    if not corpus_path.is_dir():
        raise RunError(f"{corpus_path}: corpus folder not found; pass a folder of reports")
    _check_out_dir(out_path, corpus_path, force=force)
    out_path.mkdir(parents=True, exist_ok=True)

    ctx = stage_impl.StageContext(
        corpus=corpus_path, out=out_path, config=cfg, models_dir=Path(models_dir)
    )
    timings: dict[str, float] = {}
    for name in _resolve_stages(stages):
        if progress:
            progress(name)
        started = time.perf_counter()
        getattr(stage_impl, f"run_{name}")(ctx)
        timings[name] = round(time.perf_counter() - started, 3)

    manifest = {
        "corpus": str(corpus_path),
        "config": cfg.to_dict(),
        "seed": cfg.seed,
        "stages": list(timings),
        "stage_seconds": timings,
        "versions": package_versions(),
        "inputs": ctx.input_hashes,
        "models": {
            p.name: sha256_file(p) for p in sorted(Path(models_dir).glob("*.txt")) if p.is_file()
        },
        "counts": ctx.counts,
        "files": sorted(ctx.written),
        "finished_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    write_manifest(out_path / "manifest.json", manifest)
    return RunResult(out=out_path, tables=ctx.tables, manifest=manifest)
