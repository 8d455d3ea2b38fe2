"""One corpus file -> its report row and article rows (read, decode, normalise, clean, split)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

import opencc

from . import byline, chrome, references, split
from .errors import IngestError
from .files import CorpusEntry
from .normalize import Mojibake, normalize_fragment, normalize_text
from .readers import RawDocument, read_document

_YEAR = re.compile(r"(?:19|20)\d{2}")


@dataclass
class FileOutcome:
    """What one file gives: its ingest-report row and its article rows (none when skipped).

    Example::

        >>> FileOutcome({"source_file": "空白.txt", "status": "skipped"}).articles
        []
    """

    report: dict[str, Any]
    articles: list[dict[str, Any]] = field(default_factory=list)


def doc_id(source_file: str, article_index: int) -> str:
    """Stable id of an article: 'd' + 15 hex digits of sha1("<source_file>#<index>").

    Example::

        >>> doc_id("调研/报告.txt", 0)[:1], len(doc_id("调研/报告.txt", 0))
        ('d', 16)
    """
    return "d" + hashlib.sha1(f"{source_file}#{article_index}".encode()).hexdigest()[:15]


def process_file(
    entry: CorpusEntry,
    *,
    converter: opencc.OpenCC,
    file_title: str | None = None,
    max_file_mb: float = 50,
    max_docx_unzipped_mb: float = 200,
) -> FileOutcome:
    """Read and clean one file; any failure becomes a 'skipped' report row with the reason.

    Example::

        >>> from pipeline.ingest.files import discover
        >>> from pipeline.ingest.normalize import make_converter
        >>> entry = discover("corpus/sample")[3]
        >>> process_file(entry, converter=make_converter()).report["articles"]   # 文章数
        1
    """
    report = {
        "source_file": entry.rel,
        "status": "skipped",
        "reason": entry.skip_reason,
        "encoding": "",
        "format": entry.fmt,
        "n_bytes": _size(entry),
        "articles": 0,
    }
    if entry.skip_reason:
        return FileOutcome(report)
    try:
        raw = read_document(
            entry.path,
            name=entry.rel,
            fmt=entry.fmt,
            max_file_mb=max_file_mb,
            max_docx_unzipped_mb=max_docx_unzipped_mb,
        )
        report.update(encoding=raw.encoding, n_bytes=raw.n_bytes)
        articles = _articles(entry.rel, raw, converter=converter, file_title=file_title)
    except IngestError as exc:
        report["reason"] = exc.reason
        return FileOutcome(report)
    except Exception as exc:  # one bad file must not stop the run; the report names the error
        report["reason"] = f"unexpected error {type(exc).__name__}: {exc}"
        return FileOutcome(report)
    report.update(status="ok", articles=len(articles))
    return FileOutcome(report, articles)


def _size(entry: CorpusEntry) -> int:
    try:
        return entry.path.stat().st_size
    except OSError:
        return 0


def _articles(
    rel: str, raw: RawDocument, *, converter: opencc.OpenCC, file_title: str | None
) -> list[dict[str, Any]]:
    normalized = normalize_text(raw.text, converter=converter)
    if not normalized.text:
        raise IngestError(rel, "no text left after cleaning (only spaces or invisible characters)")
    kept, removed = chrome.strip_chrome(normalized.text)
    if raw.title and not file_title:
        file_title = normalize_fragment(raw.title, script=normalized.script, converter=converter)
    pieces = split.split_articles(kept, file_title=file_title)
    if not pieces:
        raise IngestError(rel, "no article text left after removing page chrome (menus, ads)")
    rows, haystacks = [], []
    for index, (title, text) in enumerate(pieces):
        body, refs = references.split_references(text)
        found = byline.find_byline(title, body)
        haystacks.append("\n".join((title, body, refs)))
        body = byline.strip_byline(body)
        rows.append(
            {
                "doc_id": doc_id(rel, index),
                "source_file": rel,
                "article_index": index,
                "title": title,
                "unit": found.get("unit"),
                "unit_type": None,
                "region": None,
                "year": _year(found.get("date")),
                "date": found.get("date"),
                "source": found.get("source"),
                "script": normalized.script,
                "n_chars": len(body),
                "text": body,
                "references": refs,
                "dup_of": None,
                "encoding": raw.encoding,
                "format": raw.format,
                "file_sha256": raw.sha256,
                "n_mojibake": 0,
                "mojibake": [],
                "removed_lines": len(removed),
            }
        )
    _place_mojibake(rows, haystacks, normalized.mojibake)
    return rows


def _year(date: str | None) -> int | None:
    found = _YEAR.match(date or "")
    return int(found.group()) if found else None


def _place_mojibake(
    rows: list[dict[str, Any]], haystacks: list[str], spots: tuple[Mojibake, ...]
) -> None:
    """Give each garbled spot to the article whose text contains its anchor.

    Spots in lines removed as page chrome belong to no article and are dropped.
    """
    for spot in spots:
        for row, haystack in zip(rows, haystacks, strict=True):
            if spot.anchor and spot.anchor in haystack:
                row["mojibake"].append(spot.snippet)
                break
    for row in rows:
        row["n_mojibake"] = len(row["mojibake"])
