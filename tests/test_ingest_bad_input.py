"""Bad input files are skipped with a reason that names the problem; the run goes on.

All bad files sit in ONE corpus folder together with two good copies of a real report, so
every test also shows that the good files beside the bad one are still processed.

Unreadable files: the suite runs as root, which can read a chmod-000 file, so the
root-proof failures used are a named pipe (FIFO) and a dangling symlink; the chmod test
runs only when the permission check actually bites (non-root).
"""

from __future__ import annotations

import io
import os
import random
import shutil
import zipfile
from pathlib import Path

import docx
import pytest

from pipeline.ingest import ingest

SAMPLE = Path(__file__).resolve().parent.parent / "corpus" / "sample"
REPORT = next(SAMPLE.glob("003_*.txt"))
GOOD = ["good.txt", "调研 报告 （第二版）.txt"]
MAX_FILE_MB = 0.05  # 52 KB: the 12 KB report passes, big.txt does not
MAX_DOCX_MB = 1.0


def _docx_bytes(text: str) -> bytes:
    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _zip_bomb(valid_docx: bytes) -> bytes:
    """A real .docx plus a member that expands to 4 MB (over MAX_DOCX_MB) from a few KB."""
    buffer = io.BytesIO(valid_docx)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/filler.bin", bytes(4 * 1024 * 1024))
    return buffer.getvalue()


def _scanned_pdf() -> bytes:
    """A one-page PDF with a filled rectangle and no text, like a scan without OCR."""
    pypdf = pytest.importorskip("pypdf")
    from pypdf.generic import DecodedStreamObject, NameObject

    writer = pypdf.PdfWriter()
    page = writer.add_blank_page(595, 842)
    content = DecodedStreamObject()
    content.set_data(b"0.5 g 50 50 400 600 re f")
    page[NameObject("/Contents")] = writer._add_object(content)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bad_input") / "corpus"
    root.mkdir()
    text = REPORT.read_text(encoding="utf-8")
    for name in GOOD:
        shutil.copy(REPORT, root / name)
    (root / "empty.txt").write_bytes(b"")
    rng = random.Random(7)
    (root / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rng.randbytes(2000))
    (root / "noise.txt").write_bytes(bytes(rng.randrange(0x80, 0x100) for _ in range(2000)))
    valid = _docx_bytes(text)
    (root / "truncated.docx").write_bytes(valid[: len(valid) // 2])
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + rng.randbytes(4096)
    (root / "locked.docx").write_bytes(ole)
    (root / "bomb.docx").write_bytes(_zip_bomb(valid))
    (root / "scanned.pdf").write_bytes(_scanned_pdf())
    (root / "big.txt").write_text(text * 6, encoding="utf-8")
    os.mkfifo(root / "pipe.txt")
    (root / "dangling.txt").symlink_to(root / "deleted.txt")
    (root / "notes.xyz").write_text(text, encoding="utf-8")
    (root / "loop_a.txt").symlink_to(root / "loop_b.txt")
    (root / "loop_b.txt").symlink_to(root / "loop_a.txt")
    (root / "sub").mkdir()
    (root / "sub" / "again").symlink_to(root, target_is_directory=True)
    outside = root.parent / "outside.txt"
    shutil.copy(REPORT, outside)
    (root / "outside.txt").symlink_to(outside)
    return root


@pytest.fixture(scope="module")
def result(corpus: Path):
    return ingest(corpus, max_file_mb=MAX_FILE_MB, max_docx_unzipped_mb=MAX_DOCX_MB)


@pytest.fixture(scope="module")
def reasons(result) -> dict[str, tuple[str, str]]:
    return {row.source_file: (row.status, row.reason) for row in result.report.itertuples()}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("empty.txt", "empty file"),
        ("image.txt", "binary data (NUL bytes), not a text file"),
        ("noise.txt", "encoding could not be determined"),
        ("truncated.docx", "corrupt or truncated .docx"),
        ("locked.docx", "password-protected or encrypted .docx"),
        ("bomb.docx", "MB exceeds max_docx_unzipped_mb=1 (zip bomb?)"),
        ("scanned.pdf", "no text layer (scanned PDF?); run OCR first"),
        ("big.txt", "over max_file_mb=0.05"),
        ("pipe.txt", "not a regular file (named pipe/FIFO)"),
        ("dangling.txt", "broken symlink"),
        ("notes.xyz", "unsupported extension .xyz; supported: .docx, .htm, .html, .md, .pdf, .txt"),
        ("loop_a.txt", "symlink loop"),
        ("sub/again", "symlink loop"),
        ("outside.txt", "symlink points outside the corpus"),
    ],
)
def test_bad_file_is_skipped_with_reason(reasons, name: str, expected: str) -> None:
    status, reason = reasons[name]
    assert status == "skipped"
    assert expected in reason


def test_good_files_beside_the_bad_ones_are_processed(result, reasons) -> None:
    for name in GOOD:
        assert reasons[name] == ("ok", "")
    docs = result.documents
    assert sorted(docs["source_file"].unique()) == sorted(GOOD)
    first, second = (docs[docs["source_file"] == name].iloc[0] for name in GOOD)
    assert first["text"] == second["text"] and "石家庄" in first["unit"]
    assert second["dup_of"] == first["doc_id"]  # byte-identical copy -> exact duplicate


def test_every_file_is_reported_exactly_once(result, corpus: Path) -> None:
    report = result.report
    assert report["source_file"].is_unique
    assert report["source_file"].tolist() == sorted(report["source_file"])
    expected = {p.relative_to(corpus).as_posix() for p in corpus.iterdir()} | {"sub/again"}
    assert set(report["source_file"]) == expected - {"sub"}
    assert set(report["status"]) == {"ok", "skipped"}
    assert (report.loc[report["status"] == "skipped", "reason"].str.len() > 0).all()


def test_skipped_rows_keep_size_and_format(result) -> None:
    report = result.report.set_index("source_file")
    assert report.loc["big.txt", "n_bytes"] == 6 * REPORT.stat().st_size
    assert report.loc["bomb.docx", "format"] == "docx"
    assert report.loc["good.txt", "articles"] == 1
    assert report.loc["good.txt", "encoding"] == "utf-8"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads chmod-000 files")
def test_unreadable_file_is_skipped(tmp_path: Path) -> None:
    shutil.copy(REPORT, tmp_path / "good.txt")
    shutil.copy(REPORT, tmp_path / "secret.txt")
    (tmp_path / "secret.txt").chmod(0)
    report = ingest(tmp_path).report.set_index("source_file")
    assert report.loc["secret.txt", "status"] == "skipped"
    assert "Permission denied" in report.loc["secret.txt", "reason"]
    assert report.loc["good.txt", "status"] == "ok"


def test_an_unexpected_error_is_reported_with_its_class(tmp_path: Path, monkeypatch) -> None:
    """The safety net: an exception no reader foresaw becomes a 'skipped' row, not a crash."""
    import pipeline.ingest.process as process

    real = process.read_document

    def failing(path, **kwargs):
        if kwargs["name"] == "boom.txt":
            raise RuntimeError("disk went away")
        return real(path, **kwargs)

    monkeypatch.setattr(process, "read_document", failing)
    shutil.copy(REPORT, tmp_path / "boom.txt")
    shutil.copy(REPORT, tmp_path / "fine.txt")
    report = ingest(tmp_path).report.set_index("source_file")
    assert report.loc["boom.txt", "reason"] == "unexpected error RuntimeError: disk went away"
    assert report.loc["fine.txt", "status"] == "ok"
