"""Benchmark of the analysis stages (keywords, topics, graph) on a ~20 MB repeat of the sample.

Each stage's time is printed as a ratio to a bare gensim LdaModel fit (same documents, k=10,
1 pass, corpus built beforehand) timed in the same run, so the figures travel between machines.
Also prints the coherence comparison: the configured topic model versus an LDA trained on plain
jieba.lcut tokens of the same texts with the same k, both scored against the run's own tokens.

    .venv/bin/python benchmarks/bench_analysis.py            # ~20 MB
    .venv/bin/python benchmarks/bench_analysis.py --mb 1     # quick
    .venv/bin/python benchmarks/bench_analysis.py --tables outputs/sample   # a real run's tables

By default the sample tables come from a real pipeline run on corpus/sample up to the segment
stage (ingest -> structure -> segment, default config, in a temporary folder); ``--tables`` reads
documents.parquet, sentences.parquet and terms.csv of a pipeline run folder instead. The graph
gets the priority terms a run would pass: the lexicon words plus the accepted discovered terms.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
import warnings
from pathlib import Path

import jieba
import numpy as np
import pandas as pd
from gensim.corpora import Dictionary
from gensim.models import LdaModel

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline import Config, run  # noqa: E402
from pipeline.graph import build_graph, problem_countermeasure_links, to_gexf  # noqa: E402
from pipeline.keywords import keywords  # noqa: E402
from pipeline.segment import Lexicon  # noqa: E402
from pipeline.tables import read_parquet, write_parquet  # noqa: E402
from pipeline.topics import topics  # noqa: E402
from pipeline.topics.baseline import compare_with_plain_lda  # noqa: E402
from pipeline.topics.units import analysed_sentences, analysis_units  # noqa: E402

SAMPLE = ROOT / "corpus" / "sample"
LEXICON = ROOT / "models" / "lexicon.txt"


def repeat_tables(
    tables: dict[str, pd.DataFrame], megabytes: float, chunk: int = 12
) -> dict[str, pd.DataFrame]:
    """Repeat the non-duplicate sample until its sentence text reaches ``megabytes``, cutting
    every article into short documents of about ``chunk`` sentences (boundaries shift per copy)."""
    s = analysed_sentences(tables["sentences"], tables["documents"])
    size = s["text"].str.encode("utf-8").str.len().sum()
    copies = max(1, round(megabytes * 1e6 / size))
    position = s.groupby("doc_id").cumcount().to_numpy()
    parts = []
    for rep in range(copies):
        block = (position + rep % chunk) // chunk
        doc_id = f"r{rep:04d}-" + s["doc_id"] + "-" + pd.Series(block).astype(str).str.zfill(3)
        n = doc_id.groupby(doc_id).cumcount().astype(str).str.zfill(4)
        parts.append(
            s.assign(
                doc_id=doc_id,
                sent_id=doc_id + ":" + n,
                section_id=doc_id + "|" + s["section_id"].astype(str),
            )
        )
    sentences = pd.concat(parts, ignore_index=True)
    documents = pd.DataFrame({"doc_id": sorted(sentences["doc_id"].unique()), "dup_of": None})
    return {"documents": documents, "sentences": sentences}


def load_tables(folder: Path) -> dict[str, pd.DataFrame]:
    """documents, sentences and (when present) terms of a pipeline run folder."""
    tables = {name: read_parquet(folder / f"{name}.parquet") for name in ("documents", "sentences")}
    if (folder / "terms.csv").is_file():
        tables["terms"] = pd.read_csv(folder / "terms.csv")
    return tables


def segmented_sample() -> dict[str, pd.DataFrame]:
    """documents, sentences and terms of a real run on corpus/sample up to the segment stage."""
    with tempfile.TemporaryDirectory() as tmp:
        tables = run(SAMPLE, Path(tmp) / "sample", config=Config(), stages=["segment"]).tables
        names = ("documents", "sentences", "terms")  # read now: the folder is deleted on return
        return {name: tables.get(name) for name in names if tables.get(name) is not None}


def priority_terms(tables: dict[str, pd.DataFrame]) -> list[str]:
    """What a run passes to build_graph: lexicon words plus accepted discovered terms."""
    terms = tables.get("terms", pd.DataFrame({"term": [], "accepted": []}))
    accepted = terms.loc[terms["accepted"].astype(bool), "term"].astype(str).tolist()
    return sorted({*Lexicon.load(LEXICON).words, *accepted})


def timed(label: str, func, *args, **kwargs):
    start = time.perf_counter()
    out = func(*args, **kwargs)
    return out, time.perf_counter() - start


def bare_lda_seconds(sentences: pd.DataFrame, *, seed: int) -> tuple[float, int]:
    """Fit time of gensim LdaModel(k=10, passes=1) on the document token lists."""
    docs = analysis_units(sentences, unit="document")["tokens"].tolist()
    dictionary = Dictionary(docs)
    corpus = [dictionary.doc2bow(d) for d in docs]
    _, seconds = timed(
        "lda",
        LdaModel,
        corpus=corpus,
        id2word=dictionary,
        num_topics=10,
        passes=1,
        random_state=seed,
        eval_every=None,
    )
    return seconds, len(docs)


def run_stages(
    tables: dict[str, pd.DataFrame], *, model: str, seed: int, priority: list[str]
) -> dict[str, float]:
    s, d = tables["sentences"], tables["documents"]
    times = {}
    _, times["keywords"] = timed("keywords", keywords, s, d, top_n=20)
    _, times[f"topics ({model}: k search + fit + shares)"] = timed(
        "topics", topics, s, d, model=model, seed=seed
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = write_parquet(s, Path(tmp) / "sentences.parquet")
        _, times[f"topics ({model}, streamed from sentences.parquet)"] = timed(
            "topics", topics, path, d, model=model, seed=seed
        )
    (nodes, edges), times["graph (build_graph)"] = timed(
        "graph", build_graph, s, documents=d, priority_terms=priority
    )
    _, times["graph (problem->countermeasure)"] = timed(
        "links", problem_countermeasure_links, s, nodes
    )
    with tempfile.TemporaryDirectory() as tmp:
        _, times["graph (gexf)"] = timed("gexf", to_gexf, nodes, edges, Path(tmp) / "g.gexf")
    return times


def coherence_comparison(tables: dict[str, pd.DataFrame], *, seed: int) -> pd.DataFrame:
    rows = []
    for model in ("nmf", "lda"):
        for unit in ("document", "claim"):
            result = topics(
                tables["sentences"], tables["documents"], model=model, unit=unit, seed=seed
            )
            units = analysis_units(
                analysed_sentences(tables["sentences"], tables["documents"]), unit=unit
            )
            table = compare_with_plain_lda(result.model, units, tokenizer=jieba.Tokenizer())
            rows.append(table.assign(unit=unit, configured=f"{model}/{unit}"))
    return pd.concat(rows, ignore_index=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20.0, help="size of the repeated corpus")
    parser.add_argument("--model", choices=("nmf", "lda"), default="nmf")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--skip-coherence", action="store_true")
    parser.add_argument(
        "--tables", type=Path, help="run folder with documents/sentences.parquet, terms.csv"
    )
    args = parser.parse_args()
    logging.getLogger("gensim").setLevel(logging.WARNING)
    logging.getLogger("jieba").setLevel(logging.WARNING)
    warnings.filterwarnings("ignore", category=FutureWarning)

    sample = segmented_sample() if args.tables is None else load_tables(args.tables)
    big = repeat_tables(sample, args.mb)
    s = big["sentences"]
    mb = s["text"].str.encode("utf-8").str.len().sum() / 1e6
    print(f"corpus: {mb:.1f} MB, {len(big['documents'])} docs, {len(s)} sentences")
    base, n_docs = bare_lda_seconds(s, seed=args.seed)
    print(f"reference: bare gensim LdaModel k=10, 1 pass, {n_docs} docs: {base:.2f} s")
    for stage, seconds in run_stages(
        big, model=args.model, seed=args.seed, priority=priority_terms(sample)
    ).items():
        print(f"  {stage:45s} {seconds:8.2f} s  = {seconds / base:6.2f} x LDA pass")

    if not args.skip_coherence:
        print("\ncoherence on corpus/sample (reference = the run's own tokens of the same units):")
        with pd.option_context("display.width", 160):
            print(coherence_comparison(sample, seed=args.seed).round(3).to_string(index=False))


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
