"""Reading and writing run tables: Parquet and CSV, written atomically and deterministically."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

_UMASK = os.umask(0)
os.umask(_UMASK)


def atomic_write(path: str | Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp)`` on a temporary file beside ``path``, then rename it into place.

    A run killed halfway never leaves a half-written file under the final name.

    Example::

        >>> atomic_write("outputs/x/说明.txt", lambda p: p.write_text("党建", encoding="utf-8"))
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    os.chmod(tmp_name, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs are ordinary files
    tmp = Path(tmp_name)
    try:
        write(tmp)
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def write_parquet(df: pd.DataFrame, path: str | Path) -> Path:
    """Write a DataFrame as Parquet, byte-identical for identical data.

    Example::

        >>> write_parquet(pd.DataFrame({"term": ["两张皮"]}), "outputs/x/terms.parquet")
    """
    table = pa.Table.from_pandas(_text_columns(df.reset_index(drop=True)), preserve_index=False)
    return atomic_write(
        path, lambda tmp: pq.write_table(table, tmp, compression="zstd", write_statistics=False)
    )


ROW_GROUP_ROWS = 65_536  # rows per Parquet row group when a table is written in batches


def write_parquet_batches(
    frames: Iterable[pd.DataFrame],
    path: str | Path,
    *,
    list_columns: Iterable[str] = (),
    row_group_rows: int = ROW_GROUP_ROWS,
) -> int:
    """Write DataFrames one after another as one Parquet table, never holding it whole.

    Rows go out in row groups of exactly ``row_group_rows`` (the last one shorter), so the
    bytes depend only on the rows, not on how they were cut into frames. ``list_columns``
    are written as lists of strings whatever the first frame holds (e.g. only empty lists).
    Returns the number of rows.

    Example::

        >>> frames = (pd.DataFrame({"tokens": [["两张皮"]] * n}) for n in (2, 3))  # 分批写出
        >>> write_parquet_batches(frames, "outputs/x/sentences.parquet", list_columns=["tokens"])
        5
    """
    list_types = {name: pa.list_(pa.string()) for name in list_columns}
    rows = 0

    def write(tmp: Path) -> None:
        nonlocal rows
        writer, schema, pending, empty = None, None, [], None
        for frame in frames:
            if frame.empty and schema is None:
                empty = frame  # an empty frame's types may be unknown: only used if all are
                continue
            table = _arrow(frame, schema, list_types)
            schema = schema or table.schema
            pending.append(table)
            if sum(t.num_rows for t in pending) >= row_group_rows:
                writer = _flush(pending, tmp, writer, schema, row_group_rows, final=False)
        if schema is None:
            if empty is None:
                raise ValueError(f"{path}: nothing to write (no frames were given)")
            schema = _arrow(empty, None, list_types).schema
        _flush(pending, tmp, writer, schema, row_group_rows, final=True).close()
        rows = pq.ParquetFile(tmp).metadata.num_rows

    atomic_write(path, write)
    return rows


def _arrow(
    frame: pd.DataFrame, schema: pa.Schema | None, list_types: dict[str, pa.DataType]
) -> pa.Table:
    frame = _text_columns(frame.reset_index(drop=True))
    if schema is not None:
        return pa.Table.from_pandas(frame, schema=schema, preserve_index=False)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    for name, kind in list_types.items():
        position = table.schema.get_field_index(name)
        table = table.set_column(position, name, table.column(name).cast(kind))
    return table


def _flush(
    pending: list[pa.Table],
    tmp: Path,
    writer: pq.ParquetWriter | None,
    schema: pa.Schema,
    row_group_rows: int,
    *,
    final: bool,
) -> pq.ParquetWriter:
    """Write whole row groups out of ``pending`` (all of it when ``final``); keep the rest."""
    table = pa.concat_tables(pending) if pending else schema.empty_table()
    pending.clear()
    writer = writer or pq.ParquetWriter(tmp, schema, compression="zstd", write_statistics=False)
    whole = len(table) if final else len(table) - len(table) % row_group_rows
    for start in range(0, whole, row_group_rows):
        writer.write_table(table.slice(start, min(row_group_rows, whole - start)))
    if whole < len(table):
        pending.append(table.slice(whole))
    return writer


def _text_columns(df: pd.DataFrame) -> pd.DataFrame:
    """Object columns holding only text (and missing values) as pandas ``str`` columns.

    A table built in memory and the same table read back from Parquet then write the same
    schema and bytes (object columns of text are written as Arrow ``string``, ``str``
    columns as ``large_string``).
    """
    text = [
        column
        for column in df.columns
        if df[column].dtype == object
        and df[column].notna().any()
        and pd.api.types.infer_dtype(df[column], skipna=True) == "string"
    ]
    if not text:
        return df
    return df.astype({column: "str" for column in text})


def read_parquet(path: str | Path) -> pd.DataFrame:
    """Read a run table back as a DataFrame (list columns come back as Python lists).

    Example::

        >>> docs = read_parquet("outputs/sample/documents.parquet")  # 读取文档表
    """
    df = pq.read_table(path).to_pandas()
    for column in df.columns:
        if df[column].dtype == object and len(df) and hasattr(df[column].iloc[0], "tolist"):
            df[column] = [v.tolist() if hasattr(v, "tolist") else v for v in df[column]]
    return df


def write_csv(df: pd.DataFrame, path: str | Path) -> Path:
    """Write a CSV in UTF-8 with BOM so Excel opens Chinese text correctly.

    Example::

        >>> write_csv(pd.DataFrame({"单位": ["石家庄市直机关工委"]}), "outputs/x/units.csv")
    """
    return atomic_write(
        path, lambda tmp: df.to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\n")
    )


class LazyTables(dict):
    """A run's tables by name: those not yet in memory are read from their files on first use.

    Example::

        >>> tables = LazyTables()
        >>> tables.add_file("documents", Path("outputs/sample/documents.parquet"))
        >>> tables["documents"].shape[0]   # 按需读取
        15
    """

    def __init__(self) -> None:
        super().__init__()
        self._files: dict[str, Path] = {}

    def add_file(self, name: str, path: Path) -> None:
        """Make table ``name`` readable from ``path`` (dropping any copy in memory)."""
        self._files[name] = path
        super().pop(name, None)

    def relocate(self, old: Path, new: Path) -> None:
        """Point files under folder ``old`` to the same paths under ``new`` (after a commit)."""
        for name, path in self._files.items():
            if path.is_relative_to(old):
                self._files[name] = new / path.relative_to(old)

    def __missing__(self, name: str) -> pd.DataFrame:
        path = self._files.get(name)
        if path is None:
            raise KeyError(name)
        table = read_parquet(path) if path.suffix == ".parquet" else read_csv(path)
        self[name] = table
        return table

    def get(self, name: str, default=None):  # noqa: ANN001 - dict signature
        try:
            return self[name]
        except KeyError:
            return default

    def __contains__(self, name: object) -> bool:
        return super().__contains__(name) or name in self._files

    def names(self) -> list[str]:
        """Every table name, in memory or on disk, sorted."""
        return sorted(set(super().keys()) | set(self._files))

    def __iter__(self):  # noqa: ANN204 - dict signature
        return iter(self.names())

    def __len__(self) -> int:
        return len(self.names())

    def keys(self):  # noqa: ANN201 - dict signature
        return self.names()

    def items(self):  # noqa: ANN201 - dict signature (reads every table)
        return [(name, self[name]) for name in self.names()]

    def values(self):  # noqa: ANN201 - dict signature (reads every table)
        return [self[name] for name in self.names()]


def read_csv(path: str | Path) -> pd.DataFrame:
    """Read a run CSV (UTF-8 with BOM) back as a DataFrame.

    Example::

        >>> read_csv("outputs/sample/terms.csv").columns[0]   # 新词表
        'term'
    """
    return pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False)
