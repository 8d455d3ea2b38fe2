"""The ingest stage: a corpus folder in, the documents and ingest-report tables out.

Besides the contract columns, the documents table carries per-article diagnostics:
``encoding``, ``format`` and ``file_sha256`` of the source file; ``mojibake`` (the garbled
spots found in the article, as they were in the file) and ``n_mojibake``; and
``removed_lines``, the number of lines and inline fragments removed from the *file* as
page chrome (menus, site metadata, ads, junk). Chrome belongs to the page, not to one
article, so ``removed_lines`` is repeated on every article of a file: to total it, take
one value per file (``documents.groupby("source_file")["removed_lines"].first().sum()``),
never the sum over all rows.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

from ..parallel import Backend, LocalBackend
from . import dedup
from .files import CorpusEntry, discover
from .metadata import Metadata
from .normalize import make_converter
from .process import FileOutcome, process_file

DOCUMENT_COLUMNS = [
    "doc_id", "source_file", "article_index", "title", "unit", "unit_type", "region", "year",
    "date", "source", "script", "n_chars", "text", "references", "dup_of",
    "encoding", "format", "file_sha256", "n_mojibake", "mojibake", "removed_lines",
]  # fmt: skip
REPORT_COLUMNS = ["source_file", "status", "reason", "encoding", "format", "n_bytes", "articles"]
_INT_COLUMNS = ("article_index", "n_chars", "n_mojibake", "removed_lines")


class IngestResult(NamedTuple):
    """The two tables of the ingest stage.

    Example::

        >>> result = ingest("corpus/sample")
        >>> result.documents.shape[0], result.report.shape[0]
        (15, 5)
    """

    documents: pd.DataFrame
    report: pd.DataFrame


def ingest(
    corpus: str | Path,
    *,
    metadata: pd.DataFrame | None = None,
    max_file_mb: float = 50,
    max_docx_unzipped_mb: float = 200,
    near_dup_threshold: float = 0.6,
    shingle_size: int = 5,
    minhash_perm: int = 128,
    seed: int = 42,
    workers: int = 1,
    backend: Backend | None = None,
) -> IngestResult:
    """Read every report under ``corpus`` into one row per article, with a per-file report.

    Files that cannot be read are listed in the report as 'skipped' with the reason; the
    run goes on. ``metadata`` (columns file, article_index, title, unit, unit_type, region,
    year, source) wins over what the bylines say. Duplicates (same text, or MinHash
    similarity >= ``near_dup_threshold``) get ``dup_of`` = the doc_id of the kept copy.

    Example::

        >>> result = ingest("corpus/sample", workers=2)   # 读入语料
        >>> result.documents[["title", "unit", "script"]].head(2)
    """
    if max_file_mb <= 0 or max_docx_unzipped_mb <= 0:
        raise ValueError("max_file_mb and max_docx_unzipped_mb must be positive")
    if workers < 1:
        raise ValueError(f"workers = {workers} must be at least 1")
    entries, options = plan(
        corpus,
        metadata=metadata,
        max_file_mb=max_file_mb,
        max_docx_unzipped_mb=max_docx_unzipped_mb,
    )
    outcomes = (backend or LocalBackend(workers)).map(ingest_file, entries, shared=options)
    return assemble(
        outcomes,
        metadata=metadata,
        near_dup_threshold=near_dup_threshold,
        shingle_size=shingle_size,
        minhash_perm=minhash_perm,
        seed=seed,
    )


def plan(
    corpus: str | Path,
    *,
    metadata: pd.DataFrame | None = None,
    max_file_mb: float = 50,
    max_docx_unzipped_mb: float = 200,
) -> tuple[list[CorpusEntry], dict[str, Any]]:
    """The corpus entries and the options :func:`ingest_file` needs for each (picklable).

    Example::

        >>> entries, options = plan("corpus/sample")   # 待读文件
        >>> len(entries)
        5
    """
    meta = Metadata.from_frame(metadata)
    entries = discover(corpus)
    options = {
        "titles": {e.rel: meta.file_title(e.rel) for e in entries},
        "max_file_mb": max_file_mb,
        "max_docx_unzipped_mb": max_docx_unzipped_mb,
    }
    return entries, options


def ingest_file(options: dict[str, Any], entry: CorpusEntry) -> FileOutcome:
    """Read one corpus entry (the per-document work of the stage; any failure is a skip).

    Example::

        >>> entries, options = plan("corpus/sample")
        >>> ingest_file(options, entries[0]).report["status"]   # 读入一个文件
        'ok'
    """
    return process_file(
        entry,
        converter=_converter(),
        file_title=options["titles"].get(entry.rel),
        max_file_mb=options["max_file_mb"],
        max_docx_unzipped_mb=options["max_docx_unzipped_mb"],
    )


@cache
def _converter() -> Any:
    """One OpenCC converter per process (building one takes ~30 ms; it holds no run state)."""
    return make_converter()


def assemble(
    outcomes: list[FileOutcome],
    *,
    metadata: pd.DataFrame | None = None,
    near_dup_threshold: float = 0.6,
    shingle_size: int = 5,
    minhash_perm: int = 128,
    seed: int = 42,
) -> IngestResult:
    """The corpus-level part: documents with metadata applied and duplicates marked.

    Example::

        >>> entries, options = plan("corpus/sample")
        >>> assemble([ingest_file(options, e) for e in entries]).documents.shape[0]   # 15 篇
        15
    """
    meta = Metadata.from_frame(metadata)
    documents = meta.apply(_documents_frame([row for o in outcomes for row in o.articles]))
    documents["dup_of"] = mark_duplicates(
        documents["doc_id"].tolist(),
        documents["text"].tolist(),
        threshold=near_dup_threshold,
        shingle_size=shingle_size,
        num_perm=minhash_perm,
        seed=seed,
    )
    report = pd.DataFrame([o.report for o in outcomes], columns=REPORT_COLUMNS)
    report = report.astype({"n_bytes": "int64", "articles": "int64"})
    return IngestResult(documents, report)


def _documents_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=DOCUMENT_COLUMNS)
    frame = frame.astype({column: "int64" for column in _INT_COLUMNS})
    frame["year"] = frame["year"].astype("Int64")
    return frame


def mark_duplicates(
    doc_ids: list[str],
    texts: list[str],
    *,
    threshold: float,
    shingle_size: int,
    num_perm: int,
    seed: int,
) -> list[str | None]:
    """``dup_of`` for each text: the doc_id of the earlier copy it duplicates, else None.

    Exact duplicates (same letters and digits) and near duplicates (shingle Jaccard >=
    ``threshold``) are both found by :func:`.dedup.find_duplicates`. Empty texts are never
    duplicates.

    Example::

        >>> mark_duplicates(["d1", "d2"], ["机关党建工作。", "机关党建工作。"], threshold=0.6,
        ...                 shingle_size=5, num_perm=128, seed=42)
        [None, 'd1']
    """
    kept = dedup.find_duplicates(
        texts, threshold=threshold, shingle_size=shingle_size, num_perm=num_perm, seed=seed
    )
    return [None if index is None else doc_ids[index] for index in kept]
