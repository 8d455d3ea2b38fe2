"""Builders shared by the robustness tests: real sample text, .docx/.pdf bytes, checks, guards.

Everything is made from the committed sample reports (corpus/sample); nothing is mocked.
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import docx
import pandas as pd
import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "corpus" / "sample"
PYTHON = ROOT / ".venv" / "bin" / "python"
ROLES = frozenset({"achievement", "problem", "cause", "countermeasure", "other"})
REPORT_COLUMNS = ["source_file", "status", "reason", "encoding", "format", "n_bytes", "articles"]
CJK = re.compile(r"[\u4e00-\u9fff]")
NAME_MAX = 255  # bytes in one file name on Linux file systems

# Deterministic and fast: the same examples on every CI run, no example database, no deadline
# (a first ingest call warms OpenCC and the common-character table). For a longer, random
# hunt: ROBUSTNESS_EXAMPLES=2000 ROBUSTNESS_RANDOM=1 pytest tests/robustness -k properties
FAST = settings(
    max_examples=int(os.environ.get("ROBUSTNESS_EXAMPLES", "40")),
    deadline=None,
    derandomize=not os.environ.get("ROBUSTNESS_RANDOM"),
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

T = TypeVar("T")


def fast(examples: int) -> settings:
    """:data:`FAST` with another number of examples (ROBUSTNESS_EXAMPLES still wins)."""
    return settings(FAST, max_examples=int(os.environ.get("ROBUSTNESS_EXAMPLES", examples)))


@lru_cache(maxsize=1)
def sample_texts() -> tuple[str, ...]:
    """The text of every sample report (UTF-8 files)."""
    return tuple(p.read_text(encoding="utf-8") for p in sorted(SAMPLE.glob("*.txt")))


def clean_piece(text: str) -> bool:
    """Whether a cut of sample text is free of the sample's own garbled (private-use) spots."""
    return not any(
        unicodedata.category(ch) in ("Co", "Cn", "Cs", "Cc") for ch in text if ch != "\n"
    )


def docx_bytes(lines: list[str]) -> bytes:
    """A real .docx (python-docx's template) with one paragraph per line."""
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@lru_cache(maxsize=1)
def sample_docx() -> bytes:
    """Report 003 as a .docx."""
    return docx_bytes(sample_texts()[3].splitlines()[:40])


@lru_cache(maxsize=1)
def sample_pdf() -> bytes:
    """The first lines of report 003 as a text-layer PDF (reportlab's built-in Chinese font)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=(595, 842), invariant=1)
    y = 800
    for line in sample_texts()[3].splitlines()[:30]:
        for start in range(0, len(line), 38):
            if y < 50:
                page.showPage()
                y = 800
            page.setFont("STSong-Light", 12)
            page.drawString(40, y, line[start : start + 38])
            y -= 18
    page.save()
    return buffer.getvalue()


def rezip(
    base: bytes,
    *,
    edits: dict[str, Callable[[str], str]] | None = None,
    extra: list[tuple[str, bytes | str]] = (),
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """``base`` (a .docx) with members rewritten by ``edits`` and members ``extra`` added."""
    edits = edits or {}
    source = zipfile.ZipFile(io.BytesIO(base))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename in edits:
                data = edits[info.filename](data.decode("utf-8")).encode("utf-8")
            archive.writestr(info.filename, data)
        for name, data in extra:
            archive.writestr(name, data)
    return buffer.getvalue()


def check_report(report: pd.DataFrame, documents: pd.DataFrame, expected: set[str]) -> None:
    """The ingest invariants: every file exactly once, ok or skipped-with-reason, docs ⊆ ok."""
    assert list(report.columns) == REPORT_COLUMNS
    assert report["source_file"].is_unique
    assert set(report["source_file"]) == expected
    assert set(report["status"]) <= {"ok", "skipped"}
    skipped = report[report["status"] == "skipped"]
    assert (skipped["reason"].str.strip().str.len() > 0).all(), skipped.to_dict("records")
    assert (skipped["articles"] == 0).all()
    ok = report[report["status"] == "ok"]
    assert (ok["reason"] == "").all() and (ok["articles"] >= 0).all()
    assert set(documents["source_file"]) <= set(ok["source_file"])
    per_file = documents.groupby("source_file").size()
    for name, articles in zip(ok["source_file"], ok["articles"], strict=True):
        assert per_file.get(name, 0) == articles, name
    assert documents["doc_id"].is_unique


def within(seconds: float, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run ``fn`` and fail the test (instead of hanging CI) if it takes over ``seconds``.

    The limit is a hang guard, set far above the normal time; it is not a speed test.
    """
    pool = ThreadPoolExecutor(max_workers=1)
    future = pool.submit(fn, *args, **kwargs)
    try:
        return future.result(timeout=seconds)
    except FutureTimeout:
        pytest.fail(f"{getattr(fn, '__name__', fn)} did not finish within {seconds:g} s (hang?)")
    finally:
        pool.shutdown(wait=False)
