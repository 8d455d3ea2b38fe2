"""Scale benchmark of the whole pipeline on synthetic corpora of 1, 10 (and 100) MB.

For each size the synthetic corpus (``benchmarks/synth.py``; cached under
``benchmarks/.data/``) is timed three ways, each in a fresh Python process so that peak
memory belongs to one measurement:

- baseline: read every ``.txt``, a plain loop of ``jieba.lcut`` over each file's text, then
  gensim ``Dictionary`` + ``doc2bow`` + ``LdaModel(num_topics=10, random_state=0)`` (gensim
  defaults otherwise, so one pass). Loading jieba's dictionary counts, as it does in a run;
- pipeline: ``pipeline.run(corpus, out, config=load_config(None, workers=W), force=True)``
  into an empty output folder, all stages; per-stage seconds (and per-stage peak RSS, when
  the manifest has ``stage_peak_rss_mb``) come from ``manifest.json``;
- rerun: the same call again into the same output folder, corpus unchanged.

Peak memory is the larger of the measuring process's own ``ru_maxrss`` and the peak of the
summed PSS of that process and all its descendants (pool workers), sampled every 0.1 s with
psutil. PSS splits the pages a forked worker shares with its parent, so they are not
counted twice. ``ru_maxrss`` of the largest finished child is printed too but not added:
a forked worker's RSS includes its parent's pages.

Printed per size: stage, seconds, MB/s, peak RSS; then the figures against the targets of
issue 6 (pipeline / baseline <= 1.0 at 10 MB, rerun / first <= 0.2, peak < 4096 MB at
100 MB) as PASS/MISS, and the growth exponents between sizes,
log(t2 / t1) / log(size2 / size1) (1.0 = linear), for time and memory. The exit code is 0
unless a measurement crashed; targets are reported, not asserted.

Usage::

    .venv/bin/python benchmarks/bench_pipeline.py                  # 1 and 10 MB, 2 workers
    .venv/bin/python benchmarks/bench_pipeline.py --sizes 1 10 100 --json results.json
    .venv/bin/python benchmarks/bench_pipeline.py --sizes 1 --skip rerun
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
for _path in (str(ROOT), str(HERE)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

CACHE = HERE / ".data"
MEASUREMENTS = ("baseline", "pipeline", "rerun")
TARGET_RATIO = 1.0  # pipeline / baseline at 10 MB
TARGET_RERUN = 0.2  # rerun / first run
TARGET_PEAK_MB = 4096.0  # at 100 MB
RESULT_PREFIX = "BENCH_RESULT "
REPORT_EVERY = 60.0  # seconds between progress lines of a measurement (on stderr)


# -- measurement in a child process ------------------------------------------------------


class TreePeak:
    """Peak memory (MB) of this process and its descendants together, sampled in a thread.

    Each process counts its PSS (proportional set size: pages shared between a forked pool
    worker and its parent are split between them, not counted twice), or its RSS where PSS
    cannot be read.

    Example::

        >>> with TreePeak() as peak:                 # 采样整个进程树的内存峰值
        ...     data = list(range(10**6))
        >>> peak.mb > 0
        True
    """

    def __init__(self, interval: float = 0.1, *, label: str = "", report_every: float = 0) -> None:
        self.interval, self.mb, self.label, self.report_every = interval, 0.0, label, report_every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        try:
            import psutil
        except ImportError:  # no sampling; ru_maxrss still gives a figure
            return
        me = psutil.Process()
        start = last_report = time.perf_counter()
        while not self._stop.is_set():
            total = 0
            for proc in [me, *me.children(recursive=True)]:
                with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
                    try:
                        total += proc.memory_full_info().pss
                    except (AttributeError, psutil.AccessDenied):
                        total += proc.memory_info().rss
            self.mb = max(self.mb, total / 2**20)
            now = time.perf_counter()
            if self.report_every and now - last_report >= self.report_every:
                last_report = now
                print(
                    f"    {self.label}: {now - start:6.0f} s, memory now {total / 2**20:6.0f} MB,"
                    f" peak {self.mb:6.0f} MB",
                    file=sys.stderr,
                    flush=True,
                )
            self._stop.wait(self.interval)

    def __enter__(self) -> TreePeak:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def rusage_mb() -> dict[str, float]:
    """Peak RSS (MB) of this process and of its largest finished child (Linux: KB units).

    Example::

        >>> rusage_mb()["self_mb"] > 0            # 本进程的内存峰值
        True
    """
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"self_mb": round(own, 1), "children_mb": round(children, 1)}


def child_baseline(corpus: Path) -> dict:
    """Plain jieba.lcut loop + gensim LdaModel on every .txt of the corpus.

    Example::

        >>> child_baseline(Path("benchmarks/.data/synth_1mb_seed0"))["documents"]  # 基线
        162
    """
    import logging

    import jieba
    from gensim.corpora import Dictionary
    from gensim.models import LdaModel

    jieba.setLogLevel(logging.WARNING)
    logging.getLogger("gensim").setLevel(logging.WARNING)
    with TreePeak(label="baseline", report_every=REPORT_EVERY) as peak:
        start = time.perf_counter()
        docs = [
            jieba.lcut(path.read_text(encoding="utf-8")) for path in sorted(corpus.rglob("*.txt"))
        ]
        segmented = time.perf_counter()
        dictionary = Dictionary(docs)
        bows = [dictionary.doc2bow(doc) for doc in docs]
        LdaModel(corpus=bows, id2word=dictionary, num_topics=10, random_state=0)
        end = time.perf_counter()
    return {
        "stage_seconds": {
            "read + jieba.lcut": round(segmented - start, 3),
            "Dictionary + doc2bow + LdaModel": round(end - segmented, 3),
        },
        "total_seconds": round(end - start, 3),
        "tree_peak_mb": round(peak.mb, 1),
        "documents": len(docs),
    }


def child_pipeline(corpus: Path, out: Path, *, workers: int, force: bool) -> dict:
    """One pipeline.run of every stage; stage figures from the manifest it writes.

    Example::

        >>> child_pipeline(Path("corpus/sample"), Path("/tmp/o"), workers=2, force=True)
        {'stage_seconds': {...}, ...}                # 完整运行一次流水线
    """
    import warnings

    from pipeline import load_config, run

    warnings.simplefilter("ignore")
    label = "pipeline" if force else "rerun"
    with TreePeak(label=label, report_every=REPORT_EVERY) as peak:
        start = time.perf_counter()
        run(corpus, out, config=load_config(None, workers=workers), force=force)
        end = time.perf_counter()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {
        "stage_seconds": manifest.get("stage_seconds", {}),
        "stage_peak_rss_mb": manifest.get("stage_peak_rss_mb", {}),
        "reuse": manifest.get("reuse"),
        "counts": manifest.get("counts", {}),
        "total_seconds": round(end - start, 3),
        "tree_peak_mb": round(peak.mb, 1),
    }


def child_main(args: argparse.Namespace) -> None:
    if args.child == "baseline":
        result = child_baseline(args.corpus)
    else:
        result = child_pipeline(
            args.corpus, args.out, workers=args.workers, force=args.child == "pipeline"
        )
    result.update(rusage_mb())
    result["peak_mb"] = max(result["tree_peak_mb"], result["self_mb"])
    print(RESULT_PREFIX + json.dumps(result, ensure_ascii=False), flush=True)


# -- the parent: corpora, children, tables --------------------------------------------------


def measure(kind: str, corpus: Path, out: Path, *, workers: int) -> dict:
    """Run one measurement in a fresh interpreter; its JSON result (or the error).

    Example::

        >>> measure("baseline", Path("benchmarks/.data/synth_1mb_seed0"), Path("/tmp/o"),
        ...         workers=2)["total_seconds"]    # 在新进程中计时
        2.08
    """
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        kind,
        "--corpus",
        str(corpus),
        "--out",
        str(out),
        "--workers",
        str(workers),
    ]
    started = time.perf_counter()
    # stderr is passed through: progress lines, and a crash's traceback, show as they come.
    proc = subprocess.run(command, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    wall = time.perf_counter() - started
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(RESULT_PREFIX):
            result = json.loads(line.removeprefix(RESULT_PREFIX))
            result["process_seconds"] = round(wall, 3)
            return result
    tail = "\n".join(proc.stdout.strip().splitlines()[-10:])
    return {
        "error": f"{kind} exited with code {proc.returncode} after {wall:.0f} s (its traceback "
        f"is printed above, on stderr){': ' + tail if tail else ''}"
    }


def ordered(stage_seconds: dict[str, float]) -> list[tuple[str, float]]:
    """Stages in pipeline order (the manifest sorts them by name); other names keep theirs."""
    from pipeline import STAGES

    rank = {name: i for i, name in enumerate(STAGES)}
    return sorted(stage_seconds.items(), key=lambda item: rank.get(item[0], len(rank)))


def fmt(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def print_size(size: dict) -> None:
    mb = size["corpus_mb"]
    print(f"\n== {size['label']}: {mb:.2f} MB, {size['files']} reports ==")
    print(f"{'measurement / stage':<40} {'seconds':>9} {'MB/s':>8} {'peak RSS MB':>12}")
    for kind in MEASUREMENTS:
        result = size.get(kind)
        if result is None:
            continue
        if "error" in result:
            print(f"{kind:<40} CRASHED\n{result['error']}")
            continue
        per_stage_rss = result.get("stage_peak_rss_mb") or {}
        for stage, seconds in ordered(result["stage_seconds"]):
            rate = mb / seconds if seconds > 0 else None
            print(
                f"  {kind} {stage:<{37 - len(kind)}} {seconds:9.2f} {fmt(rate, '8.2f')} "
                f"{fmt(per_stage_rss.get(stage), '12.0f')}"
            )
        total = result["total_seconds"]
        print(
            f"{kind + ' total':<40} {total:9.2f} {mb / total:8.2f} {result['peak_mb']:12.0f}"
            f"   (own {result['self_mb']:.0f}, largest child {result['children_mb']:.0f}, "
            f"tree PSS {result['tree_peak_mb']:.0f})"
        )
        if result.get("reuse"):
            print(f"  reuse: {json.dumps(result['reuse'], ensure_ascii=False)}")


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "MISS")


def ratios(sizes: list[dict]) -> dict:
    """The figures the targets are about, per size, and the growth exponents between sizes.

    Example::

        >>> ratios(sizes)["per_size"]["10 MB"]["pipeline_over_baseline"]   # 流水线/基线
        11.04
    """
    out: dict = {"per_size": {}, "growth": []}
    for size in sizes:
        base, first, rerun = (size.get(k) or {} for k in MEASUREMENTS)
        entry = {}
        if "total_seconds" in base and "total_seconds" in first:
            entry["pipeline_over_baseline"] = first["total_seconds"] / base["total_seconds"]
        if "total_seconds" in first and "total_seconds" in rerun:
            entry["rerun_over_first"] = rerun["total_seconds"] / first["total_seconds"]
        if "peak_mb" in first:
            entry["pipeline_peak_mb"] = max(first["peak_mb"], rerun.get("peak_mb", 0.0))
        out["per_size"][size["label"]] = entry
    ok = [s for s in sizes if "total_seconds" in (s.get("pipeline") or {})]
    for small, big in zip(ok, ok[1:], strict=False):
        scale = math.log(big["corpus_mb"] / small["corpus_mb"])
        growth = {"from": small["label"], "to": big["label"], "time": {}, "memory": {}}
        for kind in MEASUREMENTS:
            a, b = small.get(kind) or {}, big.get(kind) or {}
            if "total_seconds" not in a or "total_seconds" not in b:
                continue
            growth["time"][kind] = math.log(b["total_seconds"] / a["total_seconds"]) / scale
            growth["memory"][kind] = math.log(b["peak_mb"] / a["peak_mb"]) / scale
            for stage, t2 in ordered(b["stage_seconds"]):
                t1 = a["stage_seconds"].get(stage)
                if t1 and t2 and kind != "rerun":
                    growth["time"][f"{kind}: {stage}"] = math.log(t2 / t1) / scale
        out["growth"].append(growth)
    return out


def print_ratios(sizes: list[dict], figures: dict) -> None:
    print("\n== targets (issue 6) ==")
    for size in sizes:
        entry = figures["per_size"][size["label"]]
        r = entry.get("pipeline_over_baseline")
        target_size = abs(size["megabytes"] - 10) < 1e-9
        print(
            f"{size['label']:>7}: pipeline / baseline = {fmt(r, '.2f')}"
            + (
                f"  (target <= {TARGET_RATIO} at 10 MB: "
                f"{verdict(None if r is None else r <= TARGET_RATIO)})"
                if target_size
                else ""
            )
        )
        rr = entry.get("rerun_over_first")
        print(
            f"{'':>7}  rerun / first run   = {fmt(rr, '.3f')}  (target <= {TARGET_RERUN}: "
            f"{verdict(None if rr is None else rr <= TARGET_RERUN)})"
        )
        peak = entry.get("pipeline_peak_mb")
        at_100 = abs(size["megabytes"] - 100) < 1e-9
        print(
            f"{'':>7}  pipeline peak RSS   = {fmt(peak, '.0f')} MB"
            + (
                f"  (target < {TARGET_PEAK_MB:.0f} MB at 100 MB: "
                f"{verdict(None if peak is None else peak < TARGET_PEAK_MB)})"
                if at_100
                else ""
            )
        )
    if not any(abs(s["megabytes"] - 100) < 1e-9 for s in sizes):
        print("100 MB not measured (add --sizes ... 100): the peak-memory target is not checked")
    for growth in figures["growth"]:
        print(f"\ngrowth {growth['from']} -> {growth['to']} (exponent; 1.0 = linear):")
        for key, value in growth["time"].items():
            mem = growth["memory"].get(key)
            print(f"  {key:<46} time {value:5.2f}" + (f"   memory {mem:5.2f}" if mem else ""))


def machine() -> dict:
    """CPU model, cores, memory and versions, for the README table.

    Example::

        >>> machine()["cores"]                    # 机器信息
        2
    """
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    from pipeline.manifest import package_versions

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(mem_gb, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": package_versions(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1.0, 10.0], help="MB")
    parser.add_argument("--workers", type=int, default=2, help="pipeline workers (default 2)")
    parser.add_argument("--seed", type=int, default=0, help="synthetic corpus seed")
    parser.add_argument("--cache", type=Path, default=CACHE, help="where corpora are kept")
    parser.add_argument(
        "--skip", nargs="*", choices=MEASUREMENTS, default=[], help="measurements to leave out"
    )
    parser.add_argument("--keep-output", action="store_true", help="keep the run folders")
    parser.add_argument("--json", type=Path, help="write every figure to this JSON file")
    # Internal: one measurement in a fresh process.
    parser.add_argument("--child", choices=MEASUREMENTS, help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child_main(args)
        return 0

    from synth import cached_corpus, corpus_bytes

    info = machine()
    print(
        f"machine: {info['cpu']}, {info['cores']} cores, {info['memory_gb']} GB; "
        f"python {info['python']}; workers {args.workers}; "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    sizes, crashed = [], False
    args.cache.mkdir(parents=True, exist_ok=True)
    for megabytes in sorted(args.sizes):
        started = time.perf_counter()
        corpus = cached_corpus(args.cache, megabytes=megabytes, seed=args.seed)
        size = {
            "label": f"{megabytes:g} MB",
            "megabytes": megabytes,
            "corpus": str(corpus),
            "corpus_mb": corpus_bytes(corpus) / 1e6,
            "files": sum(1 for _ in corpus.rglob("*.txt")),
            "corpus_build_seconds": round(time.perf_counter() - started, 2),
        }
        runs = Path(tempfile.mkdtemp(prefix="runs_", dir=args.cache))
        out = runs / "out"
        try:
            for kind in MEASUREMENTS:
                if kind in args.skip or (kind == "rerun" and "pipeline" in args.skip):
                    continue
                print(f"[{size['label']}] {kind} ...", flush=True)
                size[kind] = measure(kind, corpus, out, workers=args.workers)
                crashed |= "error" in size[kind]
                if kind == "pipeline" and "error" in size[kind]:
                    break  # no rerun of a run that crashed
        finally:
            if not args.keep_output:
                shutil.rmtree(runs, ignore_errors=True)
        sizes.append(size)
        print_size(size)

    figures = ratios(sizes)
    print_ratios(sizes, figures)
    if args.json:
        args.json.write_text(
            json.dumps(
                {"machine": info, "workers": args.workers, "sizes": sizes, **figures},
                ensure_ascii=False,
                indent=2,
            ),
            encoding="utf-8",
        )
        print(f"\nfigures written to {args.json}")
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
