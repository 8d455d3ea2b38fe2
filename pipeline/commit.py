"""All-or-nothing runs: stage new outputs, then move them in under a journal.

A run writes into ``<out>/.staging/``. When every stage is done, :func:`commit` writes the
journal ``<out>/.commit.json`` (the files to move in and the old ones to remove), deletes
the old ``manifest.json`` and moves the staged files into place, ``manifest.json`` last.

- Killed before the journal exists: the previous run is untouched; the next run deletes
  the leftover staging folder (the cache keeps the finished per-document work).
- Killed after: the folder has no ``manifest.json``, so it does not look complete, and
  :func:`recover` (called by the next run and by ``Run.load``) finishes the moves.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from .tables import atomic_write

STAGING = ".staging"
JOURNAL = ".commit.json"
MANIFEST = "manifest.json"


def staging_dir(out: Path) -> Path:
    """A fresh, empty staging folder inside ``out`` (after recovering any cut commit)."""
    recover(out)
    staging = out / STAGING
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    return staging


def commit(out: Path, files: Iterable[str], *, previous: Iterable[str] = ()) -> None:
    """Move the staged ``files`` (relative paths) into ``out``; remove ``previous`` leftovers.

    Example::

        >>> commit(Path("outputs/sample"), ["documents.parquet", "manifest.json"])  # 提交
    """
    new = sorted(set(files) - {MANIFEST}) + [MANIFEST]
    stale = sorted(set(previous) - set(new))
    journal = {"move": new, "remove": stale}
    atomic_write(
        out / JOURNAL,
        lambda tmp: tmp.write_text(json.dumps(journal, ensure_ascii=False), encoding="utf-8"),
    )
    (out / MANIFEST).unlink(missing_ok=True)
    _roll_forward(out, journal)


def recover(out: Path) -> bool:
    """Finish a commit that was cut short; True when there was one to finish.

    Example::

        >>> recover(Path("outputs/sample"))   # 恢复中断的提交
        False
    """
    path = out / JOURNAL
    if not path.is_file():
        return False
    _roll_forward(out, json.loads(path.read_text(encoding="utf-8")))
    return True


def link_or_copy(source: Path, target: Path) -> None:
    """Put ``source``'s bytes at ``target``: a hard link where possible, else a copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _roll_forward(out: Path, journal: dict) -> None:
    staging = out / STAGING
    for rel in journal["move"]:
        source = staging / rel
        if source.exists():
            target = out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
    for rel in journal["remove"]:
        (out / rel).unlink(missing_ok=True)
    if staging.exists():
        shutil.rmtree(staging)
    (out / JOURNAL).unlink(missing_ok=True)
