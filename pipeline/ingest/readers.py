"""Read one corpus file of any supported format into raw (not yet normalised) text."""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from .decode import decode_bytes
from .errors import IngestError
from .markup import declared_charset, html_to_text, markdown_to_text
from .office import MIB, read_docx, read_pdf


@dataclass(frozen=True)
class RawDocument:
    """The text of one file as read, before normalisation.

    ``encoding`` is '' for .docx and .pdf (no byte encoding to detect); ``title`` is the
    title the file declares (HTML ``<title>``, document properties), if any.

    Example::

        >>> RawDocument("机关党建\\n", "gb18030", "txt", None, 13, "ab12…").format
        'txt'
    """

    text: str
    encoding: str
    format: str
    title: str | None
    n_bytes: int
    sha256: str


def read_document(
    path: str | Path,
    *,
    name: str,
    fmt: str,
    max_file_mb: float = 50,
    max_docx_unzipped_mb: float = 200,
    sha256: str | None = None,
) -> RawDocument:
    """Read file ``path`` (shown as ``name`` in errors) with the reader for ``fmt``.

    ``fmt`` is one of 'txt', 'md', 'html', 'docx', 'pdf'. Raises :class:`IngestError`
    with a clear reason for empty, oversized, unreadable or undecodable files.
    ``sha256``: the file's digest if the caller already has it (it is not checked).

    Example::

        >>> raw = read_document("corpus/sample/003_22f7e5d0ba2c37b3.txt",
        ...                     name="003_22f7e5d0ba2c37b3.txt", fmt="txt")
        >>> raw.encoding, raw.text[:6]
        ('utf-8', '当好“助推剂')
    """
    data = read_bytes(path, name=name, max_file_mb=max_file_mb)
    digest = sha256 or hashlib.sha256(data).hexdigest()
    title = None
    encoding = ""
    if fmt == "docx":
        text, title = read_docx(data, name=name, max_unzipped_mb=max_docx_unzipped_mb)
    elif fmt == "pdf":
        text, title = read_pdf(data, name=name)
    elif fmt in ("txt", "md", "html"):
        declared = declared_charset(data) if fmt == "html" else None
        decoded = decode_bytes(data, name=name, declared=declared)
        text, encoding = decoded.text, decoded.encoding
        if fmt == "md":
            text = markdown_to_text(text)
        elif fmt == "html":
            text, title = html_to_text(text)
    else:
        raise IngestError(name, f"no reader for format {fmt!r}")
    return RawDocument(text, encoding, fmt, title, len(data), digest)


def read_bytes(path: str | Path, *, name: str, max_file_mb: float) -> bytes:
    """All bytes of a regular file, refusing empty files and files over ``max_file_mb``.

    Example::

        >>> len(read_bytes("corpus/sample/003_22f7e5d0ba2c37b3.txt", name="003", max_file_mb=1))
        11848
    """
    limit = int(max_file_mb * MIB)
    try:
        # O_NONBLOCK: opening a named pipe must not hang the run.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise IngestError(name, f"cannot open file ({exc.strerror}); check permissions") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise IngestError(name, "not a regular file; only regular files are read")
    with os.fdopen(fd, "rb") as handle:
        if info.st_size == 0:
            raise IngestError(name, "empty file")
        if info.st_size > limit:
            raise IngestError(
                name,
                f"file size {info.st_size:,} bytes ({info.st_size / MIB:.2f} MB) is over "
                f"max_file_mb={max_file_mb:g} ({limit:,} bytes); raise the limit or split the file",
            )
        try:  # read what stat says (not a limit-sized buffer per file), more if it grew
            data = handle.read(min(info.st_size, limit) + 1)
            if len(data) > info.st_size:
                data += handle.read(limit + 1 - len(data))
        except OSError as exc:
            raise IngestError(name, f"cannot read file ({exc.strerror})") from None
    if len(data) > limit:
        raise IngestError(name, f"file grew past max_file_mb={max_file_mb:g} while reading")
    return data
