"""Excel export of a run's main tables (``outputs/<run>/tables.xlsx``), one sheet per table.

Many researchers in this field work in Excel. The workbook holds a ``README`` sheet (what each
sheet is, rows written, anything cut) and one sheet per table. Cells follow Excel's limits:
list columns become text joined with `` | ``, cells longer than 32,767 characters and tables
longer than 1,048,575 rows are cut (and the cut is noted), text that looks like a formula
stays text. Identical tables give a byte-identical file.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from .tables import atomic_write

MAIN_TABLES: tuple[str, ...] = (
    "documents", "units", "doc_substance", "unit_terms", "unit_similarity", "keywords",
    "topics", "topic_labels", "doc_topics", "model_selection", "terms", "problem_links",
    "graph_nodes", "graph_edges", "sentences", "ingest_report",
)  # fmt: skip
LIST_SEPARATOR = " | "
MAX_CELL_CHARS = 32_767
MAX_ROWS = 1_048_575  # Excel's 1,048,576 rows minus the header
CUT_MARK = "…[截断]"
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_FIXED_TIME = (2000, 1, 1, 0, 0, 0)
_CORE_TIME = re.compile(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def sheet_name(name: str, taken: Iterable[str] = ()) -> str:
    """A valid, unused Excel sheet name for a table: no ``[]:*?/\\``, at most 31 characters.

    Example::

        >>> sheet_name("unit_terms_by_role_and_unit_type_2024")   # 工作表名不超过31个字符
        'unit_terms_by_role_and_unit_typ'
    """
    base = _SHEET_BAD.sub("_", name).strip("'") or "table"
    used = {t.lower() for t in taken}
    candidate, n = base[:31], 1
    while candidate.lower() in used:
        n += 1
        suffix = f"~{n}"
        candidate = base[: 31 - len(suffix)] + suffix
    return candidate


def cell_value(value: object) -> tuple[object, bool]:
    """An Excel-safe value for one table cell, and whether it had to be cut.

    Example::

        >>> cell_value(["两张皮", "考核机制"])      # 列表列转为文本
        ('两张皮 | 考核机制', False)
    """
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, list | tuple):
        value = LIST_SEPARATOR.join("" if v is None else str(v) for v in value)
    elif isinstance(value, dict):
        value = str(value)
    if value is None or value is pd.NA or value is pd.NaT:
        return None, False
    if isinstance(value, float) and math.isnan(value):
        return None, False
    if isinstance(value, np.generic):
        value = value.item()
    if not isinstance(value, str):
        return value, False
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(text) > MAX_CELL_CHARS:
        return text[: MAX_CELL_CHARS - len(CUT_MARK)] + CUT_MARK, True
    return text, False


def _text_cell(ws: object, value: object) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    return cell


def _write_sheet(wb: Workbook, title: str, df: pd.DataFrame, max_rows: int = MAX_ROWS) -> str:
    """Write one table (at most ``max_rows`` rows); return a note on what was cut."""
    ws = wb.create_sheet(title)
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in df.columns:
        cell = _text_cell(ws, str(column))
        cell.font = bold
        header.append(cell)
    ws.append(header)
    cut_cells = 0
    max_rows = min(max_rows, MAX_ROWS)
    for row in df.head(max_rows).itertuples(index=False, name=None):
        cells = []
        for raw in row:
            value, cut = cell_value(raw)
            cut_cells += cut
            # Only text that Excel would take for a formula needs a typed cell (slow).
            formula_like = isinstance(value, str) and value.startswith("=")
            cells.append(_text_cell(ws, value) if formula_like else value)
        ws.append(cells)
    notes = []
    if len(df) > max_rows:
        notes.append(f"只写入前 {max_rows} 行（共 {len(df)} 行），完整数据见 parquet/csv 文件")
    if cut_cells:
        notes.append(f"{cut_cells} 个单元格超过 {MAX_CELL_CHARS} 字符，已截断")
    return "；".join(notes)


def _deterministic(data: bytes) -> bytes:
    """Rewrite the xlsx zip with fixed timestamps so identical tables give identical bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            payload = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = _CORE_TIME.sub(r"\g<1>2000-01-01T00:00:00Z\g<2>", payload.decode("utf-8"))
                payload = text.encode("utf-8")
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            target.writestr(fixed, payload)
    return out.getvalue()


def export_excel(
    tables: Mapping[str, pd.DataFrame],
    path: str | Path,
    *,
    names: Iterable[str] = MAIN_TABLES,
    max_rows: int = MAX_ROWS,
) -> Path:
    """Write the tables named in ``names`` (those present) to one workbook, a sheet each.

    The first sheet, ``README``, lists every sheet with its table, rows and columns, and
    notes what was cut. Sheets hold at most ``max_rows`` rows (Excel's limit by default);
    the Parquet and CSV files always hold every row. Written atomically.

    Example::

        >>> from pipeline.export import export_excel
        >>> export_excel(result.tables, "outputs/sample/tables.xlsx")   # 导出 Excel
        PosixPath('outputs/sample/tables.xlsx')
    """
    chosen = [name for name in names if name in tables and tables[name] is not None]
    if not chosen:
        raise ValueError(
            f"none of the tables {', '.join(names)} is present; pass a run's tables "
            "(e.g. pipeline.run(...).tables or pipeline.Run.load(path).tables)"
        )
    wb = Workbook(write_only=True)
    readme = [("sheet", "table", "rows", "columns", "note")]
    for name in chosen:
        df = tables[name]
        title = sheet_name(name, [r[0] for r in readme[1:]] + ["README"])
        note = _write_sheet(wb, title, df, max_rows)
        readme.append((title, name, len(df), ", ".join(map(str, df.columns)), note))
    ws = wb.create_sheet("README", 0)
    for row in readme:
        ws.append([_text_cell(ws, cell_value(v)[0]) for v in row])
    buffer = io.BytesIO()
    wb.save(buffer)
    data = _deterministic(buffer.getvalue())
    return atomic_write(path, lambda tmp: tmp.write_bytes(data))
