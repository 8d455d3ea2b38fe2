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
    parser.add_argument("--workers", type=int, default=None, help="worker processes per stage")
    parser.add_argument("--seed", type=int, default=None, help="random seed for every model")
    parser.add_argument(
        "--segmenter",
        choices=("rjieba", "jieba"),
        default=None,
        help="segmentation backend: rjieba (fast, jieba-compatible) or jieba (reference)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="overwrite an output folder that holds a different run",
    )
    return parser


def _summary(result: RunResult) -> str:
    counts = result.manifest.get("counts", {})
    lines = [f"run written to {result.out}"]
    lines += [f"  {key}: {value}" for key, value in sorted(counts.items())]
    report = result.tables.get("ingest_report")
    if report is not None:
        for row in report[report["status"] != "ok"].itertuples():
            lines.append(f"  skipped {row.source_file}: {row.reason}")
    if (result.out / "map.html").exists():
        lines.append(f"  map: {result.out / 'map.html'}")
    return "\n".join(lines)


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
            progress=lambda name: print(f"[{name}]", file=sys.stderr, flush=True),
        )
    except ConfigError as exc:
        print(f"error: bad config: {exc}", file=sys.stderr)
        return 2
    except RunError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(_summary(result))
    return 0
