"""The run manifest: everything needed to reproduce a run's outputs."""

from __future__ import annotations

import hashlib
import json
import platform
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

from .tables import atomic_write

TRACKED_PACKAGES = (
    "djmine",
    "jieba",
    "rjieba",
    "opencc",
    "charset-normalizer",
    "python-docx",
    "pypdf",
    "numpy",
    "scipy",
    "pandas",
    "pyarrow",
    "scikit-learn",
    "gensim",
    "networkx",
    "pyecharts",
    "datasketch",
    "dask",
    "distributed",
)


def sha256_file(path: str | Path, *, chunk: int = 1 << 20) -> str:
    """Hex SHA-256 of a file's bytes, read in chunks.

    Example::

        >>> sha256_file("models/lexicon.txt")[:8]  # 词典哈希
        '3f2a...'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def package_versions() -> dict[str, str]:
    """Installed versions of the packages whose behaviour shapes the outputs."""
    versions = {"python": sys.version.split()[0], "platform": platform.platform()}
    for name in TRACKED_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def write_manifest(path: str | Path, manifest: dict[str, Any]) -> Path:
    """Write ``manifest.json`` atomically, keys sorted, UTF-8 kept readable.

    Example::

        >>> write_manifest("outputs/sample/manifest.json", {"counts": {"文章": 15}})
    """
    text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True, default=str)
    return atomic_write(path, lambda tmp: tmp.write_text(text + "\n", encoding="utf-8"))


def read_manifest(path: str | Path) -> dict[str, Any]:
    """Read a run's ``manifest.json`` (give the file or the run folder)."""
    file = Path(path)
    if file.is_dir():
        file = file / "manifest.json"
    return json.loads(file.read_text(encoding="utf-8"))
