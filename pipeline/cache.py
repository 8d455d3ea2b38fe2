"""The per-document cache of a run folder: ``<out>/cache/cache.sqlite``.

Entries are keyed by stage and a content key (a SHA-256 over the input bytes, the stage's
options and :data:`CACHE_VERSION`). Values are JSON, compressed, never pickles: loading a
cache entry can't run code. Each entry stores the SHA-256 of its stored bytes, checked on
every read; an entry that fails the check is ignored and recomputed.

SQLite writes each batch in one transaction, so a run killed at any point leaves the cache
with whole entries only, and the next run resumes from them.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa

CACHE_VERSION = "2"  # bump when a cached value's layout changes
CACHE_FILE = "cache.sqlite"
_BATCH = 500  # keys per SELECT


def content_key(*parts: Any) -> str:
    """SHA-256 hex of the parts as canonical JSON.

    Example::

        >>> content_key("structure", "调研报告全文")[:12]   # 内容键
        '...'
    """
    payload = json.dumps([CACHE_VERSION, *parts], ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class Cache:
    """Stage results by content key, in one SQLite file.

    Example::

        >>> cache = Cache("outputs/sample/cache")
        >>> cache.put_many("segment", {"k1": [["党建", "工作"]]})
        >>> cache.get_many("segment", ["k1", "k2"])
        {'k1': [['党建', '工作']]}
        >>> cache.close()
    """

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.folder / CACHE_FILE, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS entries (stage TEXT NOT NULL, key TEXT NOT NULL, "
                "digest TEXT NOT NULL, value BLOB NOT NULL, PRIMARY KEY (stage, key))"
            )
        except sqlite3.DatabaseError as exc:
            raise OSError(
                f"{self.folder / CACHE_FILE}: cannot open the cache ({exc}); delete the cache "
                "folder to start it afresh"
            ) from None
        self.rejected = 0  # entries whose digest did not match their bytes

    def get_many(self, stage: str, keys: Iterable[str]) -> dict[str, Any]:
        """The cached values of those ``keys`` that are present and intact."""
        keys = list(dict.fromkeys(keys))
        found: dict[str, Any] = {}
        for start in range(0, len(keys), _BATCH):
            batch = keys[start : start + _BATCH]
            marks = ",".join("?" * len(batch))
            rows = self._db.execute(
                f"SELECT key, digest, value FROM entries WHERE stage = ? AND key IN ({marks})",
                [stage, *batch],
            )
            for key, digest, value in rows:
                if hashlib.sha256(value).hexdigest() != digest:
                    self.rejected += 1
                    continue
                try:
                    found[key] = json.loads(unpack(value))
                except (pa.ArrowException, ValueError):  # intact bytes, not ours: recompute
                    self.rejected += 1
        return found

    def put_many(self, stage: str, values: Mapping[str, Any]) -> None:
        """Store values (JSON-serialisable) under their keys, all in one transaction."""
        rows = []
        for key, value in values.items():
            blob = pack(json.dumps(value, ensure_ascii=False, separators=(",", ":")))
            rows.append((stage, key, hashlib.sha256(blob).hexdigest(), blob))
        with self._db:
            self._db.execute("BEGIN")
            self._db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?)", rows)

    def prune(self, stage: str, keep: Iterable[str]) -> int:
        """Delete the stage's entries not in ``keep``; returns how many went."""
        keep_set = set(keep)
        stale = [
            (stage, key)
            for (key,) in self._db.execute("SELECT key FROM entries WHERE stage = ?", [stage])
            if key not in keep_set
        ]
        if stale:
            with self._db:
                self._db.execute("BEGIN")
                self._db.executemany("DELETE FROM entries WHERE stage = ? AND key = ?", stale)
        return len(stale)

    def count(self, stage: str) -> int:
        """Number of entries of a stage."""
        return self._db.execute("SELECT COUNT(*) FROM entries WHERE stage = ?", [stage]).fetchone()[
            0
        ]

    def close(self) -> None:
        """Close the database (checkpointing the write-ahead log)."""
        self._db.close()


def pack(text: str) -> bytes:
    """UTF-8 text compressed with zstd (level 1), its length in front (zstd needs it back)."""
    data = text.encode("utf-8")
    return len(data).to_bytes(8, "little") + _CODEC.compress(data, asbytes=True)


def unpack(blob: bytes) -> bytes:
    """The UTF-8 bytes :func:`pack` stored.

    Example::

        >>> json.loads(unpack(pack('["两张皮"]')))     # 缓存条目的压缩与还原
        ['两张皮']
    """
    size = int.from_bytes(blob[:8], "little")
    return _CODEC.decompress(blob[8:], decompressed_size=size, asbytes=True)


_CODEC = pa.Codec("zstd", compression_level=1)
