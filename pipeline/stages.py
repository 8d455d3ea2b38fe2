"""Glue between the runner and the stage functions: map config onto arguments, write tables.

Each ``run_<stage>(ctx)`` takes the tables it needs from ``ctx.tables``, calls the
stage's plain function with keyword arguments taken from the config, stores the new
tables and writes them under the run folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .config import Config
from .manifest import sha256_file
from .tables import write_csv, write_parquet

METADATA_FILE = "metadata.csv"


@dataclass
class StageContext:
    """Everything a run shares between stages: paths, config, tables, counts."""

    corpus: Path
    out: Path
    config: Config
    models_dir: Path
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    input_hashes: dict[str, str] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)
    segmenter: Any = None

    def save(self, name: str, df: pd.DataFrame, *, fmt: str = "parquet") -> None:
        """Keep a table and write it as ``<name>.parquet`` or ``<name>.csv``."""
        self.tables[name] = df
        filename = f"{name}.{fmt}"
        if fmt == "parquet":
            write_parquet(df, self.out / filename)
        else:
            write_csv(df, self.out / filename)
        self.written.append(filename)


def read_metadata(corpus: Path) -> pd.DataFrame | None:
    """Read ``metadata.csv`` from the corpus root, or None when there is none.

    Example::

        >>> read_metadata(Path("corpus/sample")).columns[:3].tolist()  # 单位元数据
        ['file', 'article_index', 'unit']
    """
    path = corpus / METADATA_FILE
    if not path.is_file():
        return None
    try:
        meta = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise ValueError(f"{path}: cannot read metadata ({exc}); save it as UTF-8 CSV") from None
    missing = {"file", "article_index"} - set(meta.columns)
    if missing:
        raise ValueError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
    return meta


def run_ingest(ctx: StageContext) -> None:
    from .ingest import ingest

    cfg = ctx.config
    result = ingest(
        ctx.corpus,
        metadata=read_metadata(ctx.corpus),
        max_file_mb=cfg.max_file_mb,
        max_docx_unzipped_mb=cfg.max_docx_unzipped_mb,
        near_dup_threshold=cfg.near_dup_threshold,
        shingle_size=cfg.shingle_size,
        minhash_perm=cfg.minhash_perm,
        seed=cfg.seed,
        workers=cfg.workers,
    )
    docs, report = result.documents, result.report
    ctx.save("documents", docs)
    ctx.save("ingest_report", report, fmt="csv")
    for rel in report.loc[report["status"] == "ok", "source_file"]:
        ctx.input_hashes[rel] = sha256_file(ctx.corpus / rel)
    ctx.counts.update(
        files=len(report),
        files_ok=int((report["status"] == "ok").sum()),
        files_skipped=int((report["status"] != "ok").sum()),
        articles=len(docs),
        duplicates=int(docs["dup_of"].notna().sum()),
    )


def run_structure(ctx: StageContext) -> None:
    from .structure import structure

    docs = ctx.tables["documents"]
    sentences = structure(docs, use_classifier=ctx.config.role_classifier, seed=ctx.config.seed)
    ctx.tables["sentences"] = sentences
    ctx.counts["sentences"] = len(sentences)


def build_segmenter(ctx: StageContext):
    """The run's segmenter: backend from config, lexicon and stop words from ``models/``."""
    from .segment import Lexicon, Segmenter, StopWords

    cfg = ctx.config
    models = ctx.models_dir
    return Segmenter(
        backend=cfg.segmenter,
        lexicon=Lexicon.load(models / "lexicon.txt"),
        stopwords=StopWords.load(models / "stopwords_zh.txt", models / "stopwords_formulaic.txt"),
        pos_keep=cfg.pos_keep,
        min_token_chars=cfg.min_token_chars,
        hmm=cfg.hmm,
    )


def run_segment(ctx: StageContext) -> None:
    from .segment import discover_terms, segment

    cfg = ctx.config
    base = build_segmenter(ctx)
    terms = discover_terms(
        ctx.tables["documents"],
        segmenter=base,
        min_count=cfg.term_min_count,
        min_pmi=cfg.term_min_pmi,
        min_entropy=cfg.term_min_entropy,
        max_len=cfg.term_max_len,
        accept_score=cfg.term_accept_score,
    )
    ctx.save("terms", terms, fmt="csv")
    segmenter = base.with_terms(terms.loc[terms["accepted"], "term"])
    ctx.segmenter = segmenter
    sentences = segment(ctx.tables["sentences"], segmenter=segmenter, workers=cfg.workers)
    ctx.save("sentences", sentences)
    ctx.counts["terms_accepted"] = int(terms["accepted"].sum())


def run_keywords(ctx: StageContext) -> None:
    from .keywords import keywords

    table = keywords(
        ctx.tables["sentences"], ctx.tables["documents"], top_n=ctx.config.keywords_top_n
    )
    ctx.save("keywords", table)


def run_topics(ctx: StageContext) -> None:
    from .topics import topics

    cfg = ctx.config
    result = topics(
        ctx.tables["sentences"],
        ctx.tables["documents"],
        model=cfg.topic_model,
        unit=cfg.topic_unit,
        k_range=(cfg.k_min, cfg.k_max),
        n_seeds=cfg.k_seeds,
        seed=cfg.seed,
        passes=cfg.lda_passes,
    )
    ctx.save("topics", result.topics)
    ctx.save("doc_topics", result.doc_topics)
    ctx.save("sentence_topics", result.sentence_topics)
    ctx.save("topic_labels", result.topic_labels)
    ctx.save("model_selection", result.model_selection, fmt="csv")
    folder = result.model.save(ctx.out / "models" / "topics")
    ctx.written += sorted(
        str(p.relative_to(ctx.out)) for p in Path(folder).iterdir() if p.is_file()
    )
    ctx.counts["topics"] = int(result.model.k_)


def run_graph(ctx: StageContext) -> None:
    from .graph import build_graph, problem_countermeasure_links, to_gexf

    cfg = ctx.config
    docs, sentences = ctx.tables["documents"], ctx.tables["sentences"]
    nodes, edges = build_graph(
        sentences,
        unit=cfg.graph_unit,
        min_count=cfg.graph_min_count,
        top_edges=cfg.graph_top_edges,
        max_nodes=cfg.graph_max_nodes,
        seed=cfg.seed,
        documents=docs,
        priority_terms=ctx.segmenter.lexicon.words if ctx.segmenter is not None else (),
    )
    ctx.save("graph_nodes", nodes)
    ctx.save("graph_edges", edges)
    ctx.save("problem_links", problem_countermeasure_links(sentences, nodes, documents=docs))
    to_gexf(nodes, edges, ctx.out / "graph.gexf")
    ctx.written.append("graph.gexf")
    ctx.counts["graph_nodes"] = len(nodes)
    ctx.counts["graph_edges"] = len(edges)
    ctx.counts["communities"] = int(nodes.loc[nodes["community"] >= 0, "community"].nunique())


def run_units(ctx: StageContext) -> None:
    from .segment import StopWords
    from .units import units

    result = units(
        ctx.tables["documents"],
        ctx.tables["sentences"],
        ctx.tables.get("doc_topics"),
        stopwords=StopWords.load(None, ctx.models_dir / "stopwords_formulaic.txt"),
    )
    ctx.save("units", result.units)
    ctx.save("unit_terms", result.unit_terms)
    ctx.save("unit_similarity", result.unit_similarity, fmt="csv")
    ctx.save("doc_substance", result.doc_substance)
    ctx.counts["units"] = int((result.units["level"] == "unit").sum())


def run_report(ctx: StageContext) -> None:
    from .export import export_excel
    from .report import report
    from .units.pages import render_unit_pages

    pages = report(ctx.tables, out_dir=ctx.out, seed=ctx.config.seed)
    written = [Path(p) for p in pages["path"]]
    written += [Path(p) for p in render_unit_pages(ctx.tables, out_dir=ctx.out)]
    written.append(Path(export_excel(ctx.tables, ctx.out / "tables.xlsx")))
    ctx.written += [str(p.relative_to(ctx.out)) if p.is_absolute() else p.name for p in written]
    ctx.counts["html_pages"] = sum(p.suffix == ".html" for p in written)
