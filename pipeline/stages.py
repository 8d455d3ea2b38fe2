"""Glue between the runner and the stage functions: map config onto arguments, write tables.

Each ``run_<stage>(ctx)`` takes the tables it needs from ``ctx.tables``, calls the
stage's plain function with keyword arguments taken from the config, stores the new
tables and writes them under the run folder.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

import pandas as pd

from .cache import Cache, content_key
from .config import Config
from .manifest import sha256_file
from .parallel import Backend, LocalBackend
from .perdoc import cached_map
from .progress import bar
from .tables import LazyTables, read_parquet, write_csv, write_parquet, write_parquet_batches

METADATA_FILE = "metadata.csv"
# Bump a stage's version when its per-document output changes, so cached results go stale.
STAGE_VERSIONS = {"ingest": "1", "structure": "1", "segment": "1"}


@dataclass
class StageContext:
    """Everything a run shares between stages: paths, config, tables, counts, backend, cache.

    ``out`` is the folder the stages write into (the run's staging folder while it runs).
    """

    corpus: Path
    out: Path
    config: Config
    models_dir: Path
    tables: LazyTables = field(default_factory=LazyTables)
    counts: dict[str, int] = field(default_factory=dict)
    input_hashes: dict[str, str] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)
    segmenter: Any = None
    backend: Backend = field(default_factory=LocalBackend)
    cache: Cache | None = None
    reuse: dict[str, dict[str, Any]] = field(default_factory=dict)
    cache_keys: dict[str, list[str]] = field(default_factory=dict)
    progress: bool = False
    plan: Any = None
    stage_files: dict[str, list[str]] = field(default_factory=dict)
    token_index: Any = None  # TokenIndex of the sentences' tokens, once segment has run
    walked_texts: list | None = None  # (doc_id, sentence texts) from structure, for segment
    structure_job: Any = None  # the sentences table being assembled (see run_structure)
    _model_hashes: dict[str, str] | None = field(default=None, repr=False)

    @property
    def model_hashes(self) -> dict[str, str]:
        """SHA-256 of each lexicon and stop-word file in ``models_dir`` (hashed once per run)."""
        if self._model_hashes is None:
            files = sorted(p for p in self.models_dir.glob("*.txt") if p.is_file())
            self._model_hashes = {p.name: sha256_file(p) for p in files}
        return self._model_hashes

    def save(self, name: str, df: pd.DataFrame, *, fmt: str = "parquet") -> None:
        """Keep a table and write it as ``<name>.parquet`` or ``<name>.csv``."""
        self.tables[name] = df
        filename = f"{name}.{fmt}"
        if fmt == "parquet":
            write_parquet(df, self.out / filename)
        else:
            write_csv(df, self.out / filename)
        self.written.append(filename)

    def save_batches(self, name: str, frames: Any, *, list_columns: tuple = ()) -> int:
        """Write ``<name>.parquet`` from a stream of DataFrames; later stages read the file."""
        filename = f"{name}.parquet"
        self.tables.pop(name, None)
        rows = write_parquet_batches(frames, self.out / filename, list_columns=list_columns)
        self.tables.add_file(name, self.out / filename)
        self.written.append(filename)
        return rows

    def per_document(
        self, stage: str, fn: Any, items: list, keys: list, *, shared: Any, unit: str, **codec: Any
    ) -> list:
        """``fn(shared, item)`` for every item through the cache, with a progress bar."""
        with bar(stage, total=len(items), unit=unit, enabled=self.progress) as progress:
            results, reuse = cached_map(
                stage,
                fn,
                items,
                keys,
                shared=shared,
                backend=self.backend,
                cache=self.cache,
                done=progress.update,
                **codec,
            )
        self.reuse[stage] = {"mode": "computed", "items_reused": reuse["reused"],
                             "items_computed": reuse["computed"]}  # fmt: skip
        self.cache_keys[stage] = [k for k in keys if k]
        return results


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


def plan_ingest(ctx: StageContext) -> tuple[list, dict, list[str | None]]:
    """The corpus entries, ingest options and each entry's cache key (None: not cached).

    The key covers the file's bytes (SHA-256), its path, the title metadata gives it, the
    size limits and the stage version. Files over the size limit are not hashed.
    """
    from .ingest.stage import plan

    cfg = ctx.config
    entries, options = plan(
        ctx.corpus,
        metadata=read_metadata(ctx.corpus),
        max_file_mb=cfg.max_file_mb,
        max_docx_unzipped_mb=cfg.max_docx_unzipped_mb,
    )
    planned, keys = [], []
    for entry in entries:
        digest = _file_digest(entry, cfg.max_file_mb)
        if digest:
            ctx.input_hashes[entry.rel] = digest
            entry = dataclasses.replace(entry, sha256=digest)  # process_file won't hash again
        planned.append(entry)
        keys.append(
            content_key(
                "ingest",
                STAGE_VERSIONS["ingest"],
                _version(),
                entry.rel,
                entry.fmt,
                digest,
                options["titles"].get(entry.rel),
                cfg.max_file_mb,
                cfg.max_docx_unzipped_mb,
            )  # fmt: skip
            if digest
            else None
        )
    return planned, options, keys


def _file_digest(entry: Any, max_file_mb: float) -> str | None:
    if entry.skip_reason:
        return None
    try:
        if entry.path.stat().st_size > max_file_mb * 1024 * 1024:
            return None
        return sha256_file(entry.path)
    except OSError:
        return None


def run_ingest(ctx: StageContext) -> None:
    from .ingest.process import FileOutcome
    from .ingest.stage import assemble, ingest_file

    cfg = ctx.config
    entries, options, keys = ctx.plan or plan_ingest(ctx)
    outcomes = ctx.per_document(
        "ingest",
        ingest_file,
        entries,
        keys,
        shared=options,
        unit="file",
        encode=lambda o: {"report": o.report, "articles": o.articles},
        decode=lambda d: FileOutcome(d["report"], d["articles"]),
    )
    result = assemble(
        outcomes,
        metadata=read_metadata(ctx.corpus),
        near_dup_threshold=cfg.near_dup_threshold,
        shingle_size=cfg.shingle_size,
        minhash_perm=cfg.minhash_perm,
        seed=cfg.seed,
    )
    docs, report = result.documents, result.report
    ctx.save("documents", docs)
    ctx.save("ingest_report", report, fmt="csv")
    ctx.counts.update(ingest_counts(docs, report))


def ingest_counts(docs: pd.DataFrame, report: pd.DataFrame) -> dict[str, int]:
    """Files read and skipped, articles and duplicates."""
    return {
        "files": len(report),
        "files_ok": int((report["status"] == "ok").sum()),
        "files_skipped": int((report["status"] != "ok").sum()),
        "articles": len(docs),
        "duplicates": int(docs["dup_of"].notna().sum()),
    }


STRUCTURE_FILE = ".structure.parquet"  # the sentences without tokens, between two stages


def run_structure(ctx: StageContext) -> None:
    """Walk every document (per document, cached), then assemble the sentences table.

    The assembly (roles from headings and the role classifier) needs only the walked
    documents, and the segment stage needs only their sentence texts: with 2+ workers the
    assembly runs in a forked child while segment starts; :func:`structured_sentences` waits.
    """
    from .overlap import beside
    from .structure import walk_document

    docs = ctx.tables["documents"]
    items = [
        (str(title or ""), str(text or ""))
        for title, text in zip(docs["title"], docs["text"], strict=True)
    ]
    version = STAGE_VERSIONS["structure"]
    keys = [content_key("structure", version, _version(), *item) for item in items]
    walked = ctx.per_document("structure", walk_document, items, keys, shared=None, unit="doc")
    doc_ids = docs["doc_id"].astype(str).tolist()
    ctx.walked_texts = [
        (d, [row[0] for row in rows]) for d, rows in zip(doc_ids, walked, strict=True) if rows
    ]
    path = ctx.out / STRUCTURE_FILE
    ctx.structure_job = beside(
        lambda: _assemble(ctx, doc_ids, walked, path), enabled=ctx.config.workers > 1
    )


def _assemble(ctx: StageContext, doc_ids: list[str], walked: list, path: Path) -> int:
    from .structure import assemble_sentences

    sentences = assemble_sentences(
        doc_ids, walked, use_classifier=ctx.config.role_classifier, seed=ctx.config.seed
    )
    write_parquet(sentences, path)
    return len(sentences)


def structured_sentences(ctx: StageContext) -> pd.DataFrame:
    """The structure stage's sentences table (waiting for its assembly if it still runs)."""
    if ctx.structure_job is not None:
        job, ctx.structure_job = ctx.structure_job, None
        ctx.counts["sentences"] = job.result()
        path = ctx.out / STRUCTURE_FILE
        ctx.tables["sentences"] = read_parquet(path)
        path.unlink()
    return ctx.tables["sentences"]


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
    from .segment import analyse_chunk, cut_chunk, discover_terms_from_cuts
    from .segment.stage import cuts_index, spans

    cfg = ctx.config
    base = build_segmenter(ctx)
    doc_ids, items = _sentence_texts(ctx)
    texts = [t if isinstance(t, str) else "" for doc_texts in items for t in doc_texts]
    fingerprint = segmenter_fingerprint(base)
    keys = [content_key("segment", fingerprint, doc_texts) for doc_texts in items]
    cut_docs = ctx.per_document("segment", cut_chunk, items, keys, shared=base, unit="doc")
    cuts = [cut for doc_cuts in cut_docs for cut in doc_cuts]
    del cut_docs  # the cuts are in ``cuts`` now; keep one copy in memory

    duplicates = set(ctx.tables["documents"].dropna(subset=["dup_of"])["doc_id"])
    originals = [
        doc_id not in duplicates
        for doc_id, doc_texts in zip(doc_ids, items, strict=True)
        for _ in doc_texts
    ]
    del items
    terms = discover_terms_from_cuts(
        cuts_index([cut for cut, keep in zip(cuts, originals, strict=True) if keep]),
        segmenter=base,
        min_count=cfg.term_min_count,
        min_pmi=cfg.term_min_pmi,
        min_entropy=cfg.term_min_entropy,
        max_len=cfg.term_max_len,
        accept_score=cfg.term_accept_score,
    )
    ctx.save("terms", terms, fmt="csv")
    accepted = terms.loc[terms["accepted"], "term"].tolist()
    segmenter = base.with_terms(accepted)
    ctx.segmenter = segmenter
    lists = ctx.backend.map(
        analyse_chunk,
        spans(len(texts), ANALYSE_CHUNK, workers=ctx.backend.workers),
        shared=(segmenter, frozenset(accepted), texts, cuts),
    )
    del texts, cuts
    sentences = structured_sentences(ctx)
    ctx.save_batches(
        "sentences", _with_tokens(sentences, lists), list_columns=("heading_path", "tokens")
    )
    ctx.counts["terms_accepted"] = len(accepted)


def _sentence_texts(ctx: StageContext) -> tuple[list[str], list[list[str]]]:
    """Documents that have sentences, and the texts of their sentences in table order."""
    if ctx.walked_texts is not None:
        pairs, ctx.walked_texts = ctx.walked_texts, None
        return [d for d, _ in pairs], [texts for _, texts in pairs]
    sentences = structured_sentences(ctx)
    texts = [t if isinstance(t, str) else "" for t in sentences["text"].tolist()]
    groups = sentences.groupby("doc_id", sort=False).indices
    return list(groups), [[texts[i] for i in rows] for rows in groups.values()]


def _with_tokens(sentences: pd.DataFrame, token_chunks: list[list]) -> Any:
    """Slices of the sentences table with their ``tokens``, one per chunk of token lists."""
    start = 0
    for chunk in token_chunks:
        part = sentences.iloc[start : start + len(chunk)].copy()
        part["tokens"] = chunk
        start += len(chunk)
        yield part
    if start == 0:
        yield sentences.assign(tokens=[[] for _ in range(len(sentences))])


def run_segmenter(ctx: StageContext) -> Any:
    """The run's segmenter with its accepted terms (rebuilt from terms.csv if reused)."""
    if ctx.segmenter is None:
        terms = ctx.tables["terms"]
        accepted = terms["accepted"].astype(str).str.lower() == "true"
        ctx.segmenter = build_segmenter(ctx).with_terms(terms.loc[accepted, "term"].astype(str))
    return ctx.segmenter


ANALYSE_CHUNK = 2000  # sentences per task when merging terms and filtering tokens


def segmenter_fingerprint(segmenter: Any) -> str:
    """What a base cut depends on: backend and its version, HMM, lexicon entries, stage version."""
    package = {"rjieba": "rjieba", "jieba": "jieba"}.get(segmenter.backend, segmenter.backend)
    return content_key(
        STAGE_VERSIONS["segment"],
        _version(),
        segmenter.backend,
        _package_version(package),
        segmenter.hmm,
        [(e.word, e.freq, e.tag) for e in segmenter.lexicon.entries],
    )


def _version() -> str:
    from . import __version__

    return __version__


def _package_version(name: str) -> str:
    try:
        return importlib_metadata.version(name)
    except importlib_metadata.PackageNotFoundError:
        return "not installed"


def sentence_index(ctx: StageContext) -> Any:
    """The TokenIndex of ``sentences.tokens``, built once and shared by keywords and graph."""
    from .tokens import TokenIndex

    if ctx.token_index is None:
        ctx.token_index = TokenIndex.build(ctx.tables["sentences"]["tokens"])
    return ctx.token_index


def run_keywords(ctx: StageContext) -> None:
    from .keywords import keywords

    table = keywords(
        ctx.tables["sentences"],
        ctx.tables["documents"],
        top_n=ctx.config.keywords_top_n,
        index=sentence_index(ctx),
    )
    ctx.save("keywords", table)


def run_topics(ctx: StageContext) -> None:
    from .topics import topics

    cfg = ctx.config
    result = topics(  # streamed from the files: no token lists in memory
        ctx.out / "sentences.parquet",
        ctx.out / "documents.parquet",
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
        priority_terms=run_segmenter(ctx).lexicon.words,
        index=sentence_index(ctx),
    )
    ctx.save("graph_nodes", nodes)
    ctx.save("graph_edges", edges)
    links = problem_countermeasure_links(
        sentences, nodes, documents=docs, index=sentence_index(ctx)
    )
    ctx.save("problem_links", links)
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
    from .overlap import beside
    from .report import report
    from .units.pages import render_unit_pages

    workbook = ctx.out / "tables.xlsx"
    excel = beside(
        lambda: str(export_excel(ctx.tables, workbook, max_rows=ctx.config.excel_max_rows)),
        enabled=ctx.config.workers > 1,
    )
    try:
        pages = report(ctx.tables, out_dir=ctx.out, seed=ctx.config.seed)
        written = [Path(p) for p in pages["path"]]
        written += [Path(p) for p in render_unit_pages(ctx.tables, out_dir=ctx.out)]
    except BaseException:
        excel.cancel()
        raise
    written.append(Path(excel.result()))
    ctx.written += [str(p.relative_to(ctx.out)) if p.is_absolute() else p.name for p in written]
    ctx.counts["html_pages"] = sum(p.suffix == ".html" for p in written)
