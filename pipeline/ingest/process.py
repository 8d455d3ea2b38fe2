"""One corpus file -> its report row and article rows (read, decode, normalise, clean, split)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

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
            sha256=entry.sha256 or None,
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
    if raw.title and not file_title:
        file_title = normalize_fragment(raw.title, script=normalized.script, converter=converter)
    page = byline.find_byline(file_title or "", normalized.text)  # before chrome removes it
    kept, removed = chrome.strip_chrome(normalized.text)
    pieces = split.split_articles(kept, file_title=file_title)
    if not pieces:
        raise IngestError(rel, "no article text left after removing page chrome (menus, ads)")
    articles = [_Article.read(title, text) for title, text in pieces]
    fallback = _page_fallback(page, [article.found for article in articles])
    rows = []
    for index, article in enumerate(articles):
        date = article.found["date"] or fallback["date"]
        rows.append(
            {
                "doc_id": doc_id(rel, index),
                "source_file": rel,
                "article_index": index,
                "title": article.title,
                "unit": article.found["unit"],
                "unit_type": None,
                "region": None,
                "year": _year(date),
                "date": date,
                "source": article.found["source"] or fallback["source"],
                "script": normalized.script,
                "n_chars": len(article.body),
                "text": article.body,
                "references": article.references,
                "dup_of": None,
                "encoding": raw.encoding,
                "format": raw.format,
                "file_sha256": raw.sha256,
                "n_mojibake": 0,
                "mojibake": [],
                "removed_lines": len(removed),
            }
        )
    _place_mojibake(rows, [article.haystack for article in articles], normalized.mojibake)
    return rows


class _Article(NamedTuple):
    """One article of a page: title, analysed body, references, byline, text before cleaning."""

    title: str
    body: str
    references: str
    found: dict[str, str | None]
    haystack: str  # title, body with its byline lines, references: where mojibake is sought

    @classmethod
    def read(cls, title: str, text: str) -> _Article:
        body, refs = references.split_references(text)
        found = byline.find_byline(title, body)
        haystack = "\n".join((title, body, refs))
        return cls(title, byline.strip_byline(body), refs, found, haystack)


def _page_fallback(
    page: dict[str, str | None], found: list[dict[str, str | None]]
) -> dict[str, str | None]:
    """The page's date and source, for articles that do not give their own.

    The page's unit is never passed on (a compilation's articles come from many units);
    nor is a value some article states itself: that one is the article's, not the page's.
    """
    return {
        key: None if page[key] in {article[key] for article in found} else page[key]
        for key in ("date", "source")
    }


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
