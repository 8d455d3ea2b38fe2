"""Run every benchmark one after the other and print everything (``make bench``).

1. ``bench_segment.py --mb 2``: the segment stage vs plain ``jieba.lcut`` (1 and 2 workers);
2. ``bench_analysis.py --mb 2``: keywords / topics / graph vs a bare gensim LDA fit, and the
   coherence comparison;
3. ``bench_pipeline.py``: the whole pipeline vs jieba.lcut + gensim LdaModel on the synthetic
   corpora of 1 and 10 MB (add ``--sizes 1 10 100`` for the 100 MB target), with the rerun.

Each runs in its own process, in turn (never two at once: they would share the cores).
``--quick`` makes everything small: 1 MB each, no coherence comparison, pipeline at 1 MB
only. The exit code is 1 when a benchmark crashed; missed targets are only printed.

Usage::

    .venv/bin/python benchmarks/run_all.py                 # ~ a quarter of an hour on 2 cores
    .venv/bin/python benchmarks/run_all.py --quick         # a few minutes
    .venv/bin/python benchmarks/run_all.py --sizes 1 10 100 --json results.json
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def commands(args: argparse.Namespace) -> list[tuple[str, list[str]]]:
    """(name, argv) of each benchmark to run, in order."""
    mb = "1" if args.quick else "2"
    analysis = ["--mb", mb] + (["--skip-coherence"] if args.quick else [])
    sizes = ["1"] if args.quick and args.sizes is None else (args.sizes or ["1", "10"])
    pipeline = ["--sizes", *sizes, "--workers", str(args.workers)]
    if args.json:
        pipeline += ["--json", str(args.json)]
    return [
        ("bench_segment", ["--mb", mb]),
        ("bench_analysis", analysis),
        ("bench_pipeline", pipeline),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 MB everywhere, a few minutes")
    parser.add_argument("--sizes", nargs="+", help="bench_pipeline sizes in MB (default 1 10)")
    parser.add_argument("--workers", type=int, default=2, help="pipeline workers (default 2)")
    parser.add_argument("--json", type=Path, help="bench_pipeline figures to this JSON file")
    parser.add_argument(
        "--only",
        nargs="+",
        choices=("bench_segment", "bench_analysis", "bench_pipeline"),
        help="run only these benchmarks",
    )
    args = parser.parse_args(argv)

    failed = []
    for name, extra in commands(args):
        if args.only and name not in args.only:
            continue
        command = [sys.executable, str(HERE / f"{name}.py"), *extra]
        print(f"\n######## {name} {' '.join(extra)}", flush=True)
        started = time.perf_counter()
        code = subprocess.run(command, cwd=ROOT).returncode
        print(f"######## {name}: exit {code}, {time.perf_counter() - started:.0f} s", flush=True)
        if code != 0:
            failed.append(name)
    if failed:
        print(f"\ncrashed: {', '.join(failed)} (see the output above)")
        return 1
    print("\nall benchmarks finished (targets are reported above as PASS/MISS or ratios)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
