"""Glue between the runner and the stage functions: map config onto arguments, write tables.

Each ``run_<stage>(ctx)`` takes the tables it needs from ``ctx.tables``, calls the
stage's plain function with keyword arguments taken from the config, stores the new
tables and writes them under the run folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .config import Config
from .manifest import sha256_file
from .tables import write_csv, write_parquet

METADATA_FILE = "metadata.csv"


@dataclass
class StageContext:
    """Everything a run shares between stages: paths, config, tables, counts."""

    corpus: Path
    out: Path
    config: Config
    models_dir: Path
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    input_hashes: dict[str, str] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)

    def save(self, name: str, df: pd.DataFrame, *, fmt: str = "parquet") -> None:
        """Keep a table and write it as ``<name>.parquet`` or ``<name>.csv``."""
        self.tables[name] = df
        filename = f"{name}.{fmt}"
        if fmt == "parquet":
            write_parquet(df, self.out / filename)
        else:
            write_csv(df, self.out / filename)
        self.written.append(filename)


def read_metadata(corpus: Path) -> pd.DataFrame | None:
    """Read ``metadata.csv`` from the corpus root, or None when there is none.

    Example::

        >>> read_metadata(Path("corpus/sample")).columns[:3].tolist()  # 单位元数据
        ['file', 'article_index', 'unit']
    """
    path = corpus / METADATA_FILE
    if not path.is_file():
        return None
    try:
        meta = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise ValueError(f"{path}: cannot read metadata ({exc}); save it as UTF-8 CSV") from None
    missing = {"file", "article_index"} - set(meta.columns)
    if missing:
        raise ValueError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
    return meta


def run_ingest(ctx: StageContext) -> None:
    from .ingest import ingest

    cfg = ctx.config
    result = ingest(
        ctx.corpus,
        metadata=read_metadata(ctx.corpus),
        max_file_mb=cfg.max_file_mb,
        max_docx_unzipped_mb=cfg.max_docx_unzipped_mb,
        near_dup_threshold=cfg.near_dup_threshold,
        shingle_size=cfg.shingle_size,
        minhash_perm=cfg.minhash_perm,
        seed=cfg.seed,
        workers=cfg.workers,
    )
    docs, report = result.documents, result.report
    ctx.save("documents", docs)
    ctx.save("ingest_report", report, fmt="csv")
    for rel in report.loc[report["status"] == "ok", "source_file"]:
        ctx.input_hashes[rel] = sha256_file(ctx.corpus / rel)
    ctx.counts.update(
        files=len(report),
        files_ok=int((report["status"] == "ok").sum()),
        files_skipped=int((report["status"] != "ok").sum()),
        articles=len(docs),
        duplicates=int(docs["dup_of"].notna().sum()),
    )
