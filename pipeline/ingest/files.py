"""Find the input files of a corpus folder, safely and in a stable order."""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from .errors import IngestError

FORMATS = {
    ".txt": "txt",
    ".md": "md",
    ".html": "html",
    ".htm": "html",
    ".docx": "docx",
    ".pdf": "pdf",
}
SUPPORTED = ", ".join(sorted(FORMATS))
METADATA_FILE = "metadata.csv"


@dataclass(frozen=True)
class CorpusEntry:
    """One discovered path: ``rel`` is relative to the corpus root with '/' separators.

    ``skip_reason`` is non-empty when the file must not be read (it goes to the report as
    'skipped'); ``fmt`` is the reader to use ('' when unsupported). ``sha256`` is the hex
    SHA-256 of the file's bytes when the caller has already computed it (for a cache key,
    say), so reading the file does not hash it again; '' otherwise.

    Example::

        >>> CorpusEntry("调研/报告.txt", Path("corpus/调研/报告.txt"), "txt").skip_reason
        ''
    """

    rel: str
    path: Path
    fmt: str
    skip_reason: str = ""
    sha256: str = ""


def discover(corpus: str | Path) -> list[CorpusEntry]:
    """List every entry under ``corpus`` recursively, sorted by relative POSIX path.

    Symbolic links are followed only to regular files inside the corpus; links leading
    outside, broken links, loops and links to directories are listed with a skip reason.
    Hidden entries (name starting with '.') and unsupported extensions are listed as
    skipped; ``metadata.csv`` at the root is not an input and is left out.

    Example::

        >>> [e.rel for e in discover("corpus/sample")][:1]   # 语料文件
        ['000_d9d459ff6e47eae7.txt']
    """
    root = Path(corpus)
    if not root.is_dir():
        raise IngestError(str(root), "corpus folder not found; pass an existing folder")
    entries: list[CorpusEntry] = []
    _walk(root, "", Path(os.path.realpath(root)), entries)
    return sorted(entries, key=lambda e: e.rel)


def _walk(folder: Path, prefix: str, root_real: Path, out: list[CorpusEntry]) -> None:
    try:
        children = sorted(os.scandir(folder), key=lambda d: d.name)
    except OSError as exc:
        rel = prefix or "."
        out.append(
            CorpusEntry(rel, folder, "", f"cannot list folder ({exc.strerror}); check permissions")
        )
        return
    for child in children:
        rel = prefix + child.name
        path = Path(child.path)
        reason = _name_problem(child.name, rel)
        if reason:
            out.append(CorpusEntry(_printable(rel), path, "", reason))
        elif child.is_dir(follow_symlinks=False):
            _walk(path, rel + "/", root_real, out)
        elif rel != METADATA_FILE:
            out.append(_file_entry(rel, path, root_real))


def _name_problem(name: str, rel: str) -> str:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "file name is not valid UTF-8 (legacy encoding?); rename it"
    if name.startswith("."):
        return "hidden file or folder (name starts with '.'); rename it to include it"
    return ""


def _printable(rel: str) -> str:
    return rel.encode("utf-8", "backslashreplace").decode("utf-8")


def _file_entry(rel: str, path: Path, root_real: Path) -> CorpusEntry:
    fmt = FORMATS.get(path.suffix.lower(), "")
    reason = _link_problem(path, root_real) if path.is_symlink() else ""
    if not reason:
        try:
            mode = path.stat().st_mode
        except OSError as exc:
            mode, reason = 0, f"cannot read file status ({exc.strerror})"
        if not reason and not stat.S_ISREG(mode):
            reason = f"not a regular file ({_kind(mode)}); only regular files are read"
    if not reason and not fmt:
        shown = path.suffix.lower() or "(none)"
        reason = f"unsupported extension {shown}; supported: {SUPPORTED}"
    return CorpusEntry(rel, path, fmt, reason)


def _link_problem(link: Path, root_real: Path) -> str:
    """Why a symlink must not be followed, or '' when it leads to a file inside the corpus."""
    try:
        os.stat(link)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symlink loop (links point at each other); remove the link"
        return f"broken symlink (target {os.readlink(link)!r} does not exist)"
    target = Path(os.path.realpath(link))
    if not target.is_relative_to(root_real):
        return f"symlink points outside the corpus (to {target}); copy the file into the corpus"
    if target.is_dir():
        if Path(os.path.realpath(link.parent)).is_relative_to(target):
            return "symlink loop (points to a folder that contains it); remove the link"
        inside = target.relative_to(root_real).as_posix()
        return f"symlink to a folder inside the corpus; its files are read under {inside or '.'}/"
    return ""


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "named pipe/FIFO"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "special file"
