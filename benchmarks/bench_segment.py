"""Benchmark the segment stage against plain ``jieba.lcut``.

Builds ``--mb`` MB (UTF-8) of text by repeating the five sample reports (OpenCC t2s), then
times, in the same run:

- baseline: module-level ``jieba.lcut`` over the paragraphs (after a warm-up, so loading
  the dictionary is not counted);
- the whole ``segment`` stage (lexicon, POS filter, stop words, formulaic phrases, a
  sentences table in, ``tokens`` out) with 1 worker and with 2 workers.

Prints MB/s and the ratios against their targets: stage (1 worker) vs jieba.lcut >= 3.0,
2 workers vs 1 worker >= 1.6. With ``--repeat N`` the variants run N times interleaved and
the best wall time counts; the range of the ratios over the N rounds is printed too. The
load average and each run's CPU time (parent plus pool workers) are printed as well: the
cores are shared, and when 2 workers' CPU time is well below twice their wall time they did
not get 2 cores.

Usage::

    .venv/bin/python benchmarks/bench_segment.py            # 20 MB
    .venv/bin/python benchmarks/bench_segment.py --mb 2     # quick check
    .venv/bin/python benchmarks/bench_segment.py --repeat 3 # best of 3 (shared machine)
"""

from __future__ import annotations

import argparse
import math
import os
import re
import resource
import sys
import time
from pathlib import Path

import jieba
import opencc
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.segment import Segmenter, segment  # noqa: E402

SAMPLE = ROOT / "corpus" / "sample"
SENTENCE_END = re.compile(r"(?<=[。！？；!?;])")


def build_paragraphs(megabytes: float) -> list[str]:
    """Non-empty paragraphs of the t2s sample, repeated until they reach ``megabytes`` MB."""
    converter = opencc.OpenCC("t2s")
    paragraphs = [
        line.strip()
        for file in sorted(SAMPLE.glob("*.txt"))
        for line in converter.convert(file.read_text(encoding="utf-8")).split("\n")
        if line.strip()
    ]
    size = sum(len(p.encode("utf-8")) + 1 for p in paragraphs)
    repeats = max(1, math.ceil(megabytes * 1_000_000 / size))
    return paragraphs * repeats


def sentences_table(paragraphs: list[str]) -> pd.DataFrame:
    """One row per sentence, as the structure stage would hand them to ``segment``."""
    texts = [s for p in paragraphs for s in SENTENCE_END.split(p) if s]
    return pd.DataFrame({"sent_id": [f"s{i:07d}" for i in range(len(texts))], "text": texts})


def cpu_seconds() -> float:
    """CPU time used so far by this process and its finished children (pool workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(func) -> tuple[float, float]:
    """Wall and CPU seconds of one call of ``func``."""
    cpu = cpu_seconds()
    start = time.perf_counter()
    func()
    return time.perf_counter() - start, cpu_seconds() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20.0, help="text size in MB (default 20)")
    parser.add_argument("--backend", default="rjieba", choices=("rjieba", "jieba"))
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs (default 1)")
    args = parser.parse_args()

    paragraphs = build_paragraphs(args.mb)
    megabytes = sum(len(p.encode("utf-8")) + 1 for p in paragraphs) / 1_000_000
    table = sentences_table(paragraphs)
    print(
        f"text: {megabytes:.1f} MB, {len(paragraphs)} paragraphs, {len(table)} sentences; "
        f"cpus: {os.cpu_count()}, load average: {os.getloadavg()[0]:.2f}"
    )
    jieba.lcut(paragraphs[0])  # warm-up: load the dictionary before timing
    segmenter = Segmenter(backend=args.backend)
    runs = {
        "jieba.lcut (baseline)": lambda: [jieba.lcut(p) for p in paragraphs],
        "segment, 1 worker": lambda: segment(table, segmenter=segmenter, workers=1),
        "segment, 2 workers": lambda: segment(table, segmenter=segmenter, workers=2),
    }
    rounds = []
    for _ in range(args.repeat):  # interleaved, so a busy spell hits every variant alike
        rounds.append({label: timed(func) for label, func in runs.items()})
    best = {label: min(r[label] for r in rounds) for label in runs}
    for label, (wall, cpu) in best.items():
        print(f"{label:<24} {wall:7.2f} s wall {megabytes / wall:7.2f} MB/s {cpu:7.2f} s CPU")
    baseline, one, two = (wall for wall, _ in best.values())
    walls = [[wall for wall, _ in r.values()] for r in rounds]
    vs_lcut = [b / o for b, o, _ in walls]
    vs_one = [o / t for _, o, t in walls]
    print(f"stage (1 worker) vs jieba.lcut: {baseline / one:5.2f}x  (target >= 3.0)  "
          f"rounds {min(vs_lcut):.2f}-{max(vs_lcut):.2f}")  # fmt: skip
    print(f"2 workers vs 1 worker:          {one / two:5.2f}x  (target >= 1.6)  "
          f"rounds {min(vs_one):.2f}-{max(vs_one):.2f}")  # fmt: skip
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
