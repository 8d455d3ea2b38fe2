"""Text out of Word (.docx) and PDF files, refusing unsafe or unreadable ones up front."""

from __future__ import annotations

import io
import re
import zipfile

import docx
import pypdf
from docx.table import Table
from docx.text.paragraph import Paragraph
from pypdf.errors import DependencyError, PdfReadError

from .errors import IngestError

MIB = 1024 * 1024
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"  # compound file: encrypted OOXML, or an old binary .doc
MAX_RATIO = 200  # deflate on real Word XML stays far below this
RATIO_MIN_BYTES = MIB  # small members may compress extremely well without harm
PROLOG_BYTES = 64 * 1024  # where an XML part's <!DOCTYPE> is sought (before the root tag)
MIN_CHARS_PER_PAGE = 10  # fewer visible characters than this means no real text layer

_ROOT_TAG = re.compile(rb"<[a-z_]")  # the first element start tag (head is lower-cased)


def read_docx(data: bytes, *, name: str, max_unzipped_mb: float) -> tuple[str, str | None]:
    """Paragraphs and table cells of a .docx in document order, one per line, and its title.

    The zip container is checked first (see :func:`check_docx_zip`). Only text is read:
    external links and embedded objects are never followed, and python-docx parses the
    XML with entity resolution switched off.

    Example::

        >>> text, title = read_docx(open("报告.docx", "rb").read(), name="报告.docx",
        ...                         max_unzipped_mb=200)
    """
    check_docx_zip(data, name=name, max_unzipped_mb=max_unzipped_mb)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError/ValueError/lxml errors alike
        raise IngestError(
            name, f"not a readable Word document ({type(exc).__name__}: {exc}); re-save it as .docx"
        ) from None
    lines: list[str] = []
    _collect(document, lines)
    return "\n".join(lines), document.core_properties.title or None


def _collect(container, lines: list[str]) -> None:
    """Append the text of the paragraphs and (nested) tables of ``container``."""
    for block in container.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            for row in block.rows:
                seen = set()
                for cell in row.cells:
                    if cell._tc not in seen:  # a merged cell is repeated in row.cells
                        seen.add(cell._tc)
                        _collect(cell, lines)


def check_docx_zip(data: bytes, *, name: str, max_unzipped_mb: float) -> None:
    """Refuse encrypted, corrupt, truncated or zip-bomb .docx files before opening them.

    Example::

        >>> check_docx_zip(b"\\xd0\\xcf\\x11\\xe0" + bytes(100), name="加密.docx", max_unzipped_mb=200)
        Traceback (most recent call last):
        pipeline.ingest.errors.IngestError: 加密.docx: password-protected or encrypted .docx ...
    """
    if data.startswith(OLE_SIGNATURE):
        raise IngestError(
            name,
            "password-protected or encrypted .docx (OLE compound file, not a zip); remove the "
            "password in Word and save again (an old .doc renamed .docx looks the same: save as .docx)",
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise IngestError(
            name, f"corrupt or truncated .docx ({exc}); re-save it from Word"
        ) from None
    with archive:
        infos = archive.infolist()
        if "word/document.xml" not in archive.namelist():
            raise IngestError(name, "not a Word document: the zip has no word/document.xml")
        _check_sizes(infos, name, max_unzipped_mb)
        if any(info.flag_bits & 0x1 for info in infos):
            raise IngestError(name, "encrypted zip members; remove the password and save again")
        try:
            broken = archive.testzip()
        except (zipfile.BadZipFile, EOFError, OSError) as exc:
            broken = f"? ({exc})"
        if broken:
            raise IngestError(name, f"corrupt or truncated .docx (bad member {broken}); re-save it")
        _check_no_dtd(archive, infos, name)


def _check_no_dtd(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], name: str) -> None:
    """Refuse XML parts that declare a DTD: Word never writes one, entity attacks need one.

    python-docx already parses without resolving entities; this makes such a file a clear
    'skipped' row instead of a document whose text silently stops at the first entity.
    """
    for info in infos:
        if not info.filename.lower().endswith((".xml", ".rels")):
            continue
        with archive.open(info) as member:
            head = member.read(PROLOG_BYTES).replace(b"\x00", b"").lower()
        root = _ROOT_TAG.search(head)
        if b"<!doctype" in head[: root.start() if root else len(head)]:
            raise IngestError(
                name,
                f"part {info.filename} declares a DTD (<!DOCTYPE>), which Word never writes "
                "(XML entity attack?); refusing it: re-save the file from Word",
            )


def _check_sizes(infos: list[zipfile.ZipInfo], name: str, max_unzipped_mb: float) -> None:
    limit = max_unzipped_mb * MIB
    total = sum(info.file_size for info in infos)
    if total > limit:
        raise IngestError(
            name,
            f"unzipped size {total / MIB:.1f} MB exceeds max_docx_unzipped_mb={max_unzipped_mb:g} "
            "(zip bomb?); raise the limit if the file is genuine",
        )
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_MIN_BYTES and ratio > MAX_RATIO:
            raise IngestError(
                name,
                f"member {info.filename} expands {ratio:.0f}:1 (zip bomb?); refusing to unpack it",
            )


def read_pdf(data: bytes, *, name: str) -> tuple[str, str | None]:
    """The text layer of a PDF (pages separated by a line break) and its title.

    Example::

        >>> text, title = read_pdf(open("报告.pdf", "rb").read(), name="报告.pdf")
    """
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        _unlock(reader, name)
        pages = [page.extract_text() or "" for page in reader.pages]
        title = reader.metadata.title if reader.metadata else None
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise IngestError(
            name, f"corrupt PDF ({type(exc).__name__}: {exc}); re-save or re-export it"
        ) from None
    visible = sum(1 for ch in "".join(pages) if not ch.isspace())
    if visible < MIN_CHARS_PER_PAGE * max(len(pages), 1):
        raise IngestError(name, "no text layer (scanned PDF?); run OCR first")
    return "\n".join(pages), title or None


def _unlock(reader: pypdf.PdfReader, name: str) -> None:
    """Open an encrypted PDF with the empty user password, or refuse it."""
    if not reader.is_encrypted:
        return
    try:
        opened = reader.decrypt("")
    except (DependencyError, NotImplementedError) as exc:
        raise IngestError(name, f"encrypted PDF that cannot be opened ({exc})") from None
    if not opened:
        raise IngestError(
            name, "encrypted PDF (password required); remove the password and save again"
        )
