"""Command line: a thin layer over :func:`pipeline.run`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .config import ConfigError, load_config
from .runner import STAGES, RunError, RunResult, run


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``run_pipeline.py``."""
    parser = argparse.ArgumentParser(
        prog="run_pipeline.py",
        description="Turn a folder of party-building reports into tables, topics, a keyword "
        "graph and an HTML map under outputs/<run>/.",
    )
    parser.add_argument(
        "corpus",
        nargs="?",
        default="corpus/sample",
        help="folder of reports (.txt .md .html .docx .pdf), searched recursively "
        "(default: corpus/sample)",
    )
    parser.add_argument(
        "--out", default=None, help="output folder (default: outputs/<corpus name>)"
    )
    parser.add_argument(
        "--config",
        default=None,
        help="INI file with a [pipeline] section (default: setup.cfg when present)",
    )
    parser.add_argument(
        "--stages",
        nargs="+",
        choices=STAGES,
        default=None,
        help="run up to these stages (earlier stages always run); default: all",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="processes for per-document stages (default: config workers)",
    )
    parser.add_argument("--seed", type=int, default=None, help="random seed for every model")
    parser.add_argument(
        "--segmenter",
        choices=("rjieba", "jieba"),
        default=None,
        help="segmentation backend: rjieba (fast, jieba-compatible) or jieba (reference)",
    )
    parser.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="run per-document stages on Dask: 'local' starts a LocalCluster with --workers "
        "processes, tcp://host:8786 uses a running scheduler (default: local processes)",
    )
    parser.add_argument(
        "--quiet", action="store_true", help="no progress bars (the summary is still printed)"
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="overwrite an output folder that holds a different run",
    )
    return parser


MAX_SKIPPED_SHOWN = 10


def summary(result: RunResult) -> str:
    """The one-screen summary printed at the end of a run.

    Example::

        >>> print(summary(result))   # 运行摘要
        run written to outputs/sample
          files      5 read, 0 skipped
          ...
    """
    manifest = result.manifest
    counts = manifest.get("counts", {})
    lines = [f"run written to {result.out}"]
    lines.append(
        f"  files      {counts.get('files_ok', 0)} read, {counts.get('files_skipped', 0)} skipped"
    )
    lines.append(
        f"  articles   {counts.get('articles', 0)} ({counts.get('duplicates', 0)} duplicates), "
        f"{counts.get('sentences', '?')} sentences, {counts.get('terms_accepted', '?')} new terms"
    )
    if "topics" in counts:
        lines.append(
            f"  analysis   {counts['topics']} topics, {counts.get('communities', '?')} keyword "
            f"communities in a graph of {counts.get('graph_nodes', '?')} terms, "
            f"{counts.get('units', '?')} units"
        )
    lines += _skipped_lines(result)
    lines.append("  stages     " + _reuse_line(manifest))
    # stages may overlap (2+ workers), so their seconds can add up to more than the run took
    seconds = manifest.get("wall_seconds") or sum(manifest.get("stage_seconds", {}).values())
    lines.append(f"  time       {seconds:.1f} s, peak memory {_peak(manifest):.0f} MB")
    if (result.out / "index.html").exists():
        lines.append(f"  open       {result.out / 'index.html'}  (map: {result.out / 'map.html'})")
    return "\n".join(lines)


def _skipped_lines(result: RunResult) -> list[str]:
    report = result.tables.get("ingest_report")
    if report is None:
        return []
    skipped = report[report["status"] != "ok"]
    lines = [
        f"  skipped    {row.source_file}: {row.reason}"
        for row in skipped.head(MAX_SKIPPED_SHOWN).itertuples()
    ]
    if len(skipped) > MAX_SKIPPED_SHOWN:
        lines.append(
            f"  skipped    ... and {len(skipped) - MAX_SKIPPED_SHOWN} more: see "
            f"{result.out / 'ingest_report.csv'}"
        )
    return lines


def _reuse_line(manifest: dict) -> str:
    parts = []
    reuse = manifest.get("reuse", {})
    order = [*manifest.get("stages", []), *reuse]  # run order, even when stages overlapped
    for stage, info in ((name, reuse[name]) for name in dict.fromkeys(order) if name in reuse):
        if info.get("mode") == "reused outputs":
            parts.append(f"{stage} reused")
        elif "items_reused" in info:
            parts.append(f"{stage} {info['items_reused']} cached/{info['items_computed']} new")
        else:
            parts.append(f"{stage} computed")
    return ", ".join(parts)


def _peak(manifest: dict) -> float:
    return max(manifest.get("stage_peak_rss_mb", {}).values(), default=0.0)


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code (0 ok, 2 usage/config, 1 run error)."""
    args = build_parser().parse_args(argv)
    try:
        config = load_config(
            args.config, workers=args.workers, seed=args.seed, segmenter=args.segmenter
        )
        out = Path(args.out) if args.out else Path("outputs") / Path(args.corpus).resolve().name
        result = run(
            args.corpus,
            out,
            config=config,
            stages=args.stages,
            force=args.force,
            scheduler=args.scheduler,
            progress=not args.quiet,
        )
    except ConfigError as exc:
        print(f"error: bad config: {exc}", file=sys.stderr)
        return 2
    except RunError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(summary(result))
    return 0
