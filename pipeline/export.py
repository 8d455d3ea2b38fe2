"""Excel export of a run's main tables (``outputs/<run>/tables.xlsx``), one sheet per table.

Many researchers in this field work in Excel. The workbook holds a ``README`` sheet (what each
sheet is, rows written, anything cut) and one sheet per table. Cells follow Excel's limits:
list columns become text joined with `` | ``, cells longer than 32,767 characters and tables
longer than 1,048,575 rows are cut (and the cut is noted), text that looks like a formula
stays text. Identical tables give a byte-identical file.

openpyxl writes the frame of the workbook (README sheet, styled header rows, frozen panes,
styles); the data rows, nearly all of the file, are rendered here straight to sheet XML a
block of rows at a time, column by column, and streamed into the zip (openpyxl's per-cell
writer took ~15 µs a cell).
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

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
BLOCK_ROWS = 2_000  # rows rendered (and held in memory) at a time
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_FIXED_TIME = (2000, 1, 1, 0, 0, 0)
_CORE_TIME = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")
_SHEET_END = b"</sheetData>"
_PRESERVE = ' xml:space="preserve"'  # on text with leading or trailing space
ZIP_LEVEL = 1  # zlib level: 6 (the default) made a 17% smaller file in 3.5x the time


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


def _escape(text: str) -> str:
    """Text as the content of an XML element (as lxml writes it: ``& < >`` and CR escaped)."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _text_cells(texts: list[str], refs: list[str]) -> list[str]:
    """Inline-string cells (always text, even when starting with ``=``) of clean texts: no
    illegal characters, none too long. The texts are escaped in one pass, joined by NUL."""
    escaped = _escape("\x00".join(texts)).split("\x00") if texts else []
    return [
        f'<c r="{ref}" t="inlineStr"><is><t{_PRESERVE if raw != raw.strip() else ""}>{text}</t></is></c>'
        if raw
        else f'<c r="{ref}" t="inlineStr"></c>'
        for ref, raw, text in zip(refs, texts, escaped, strict=True)
    ]


def _number(value: float | int | Decimal) -> str:
    """A number as Excel stores it (16 significant digits; NaN and infinities empty)."""
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    return f"{float(value) if isinstance(value, Decimal) else value:.16g}"


def _cell_xml(ref: str, raw: object) -> tuple[str, bool]:
    """XML of one cell of any value ("" for an empty cell), and whether the value was cut."""
    value, cut = cell_value(raw)
    if value is None:
        return "", cut
    if isinstance(value, str):
        return _text_cells([value], [ref])[0], cut
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>', cut
    if isinstance(value, int | float | Decimal):
        return f'<c r="{ref}" t="n"><v>{_number(value)}</v></c>', cut
    return _text_cells([ILLEGAL_CHARACTERS_RE.sub("", str(value))[:MAX_CELL_CHARS]], [ref])[0], cut


def _joined(value: object) -> object:
    """A list of strings joined with :data:`LIST_SEPARATOR` (fast path of :func:`cell_value`)."""
    if type(value) is list:
        try:
            return LIST_SEPARATOR.join(value)
        except TypeError:  # not all strings: cell_value converts them one by one
            return value
    return value


def _value_cells(values: list, refs: list[str]) -> tuple[list[str], int]:
    """Cells of any values, and how many were cut; plain text takes the fast path."""
    values = [_joined(v) for v in values]
    plain = [type(v) is str and len(v) <= MAX_CELL_CHARS for v in values]
    if ILLEGAL_CHARACTERS_RE.search(
        "\n".join(v for v, ok in zip(values, plain, strict=True) if ok)
    ):
        plain = [
            ok and not ILLEGAL_CHARACTERS_RE.search(v) for v, ok in zip(values, plain, strict=True)
        ]
    if all(plain):
        return _text_cells(values, refs), 0
    cells, cut = [], 0
    for ref, value, ok in zip(refs, values, plain, strict=True):
        cell, was_cut = (_text_cells([value], [ref])[0], False) if ok else _cell_xml(ref, value)
        cells.append(cell)
        cut += was_cut
    return cells, cut


def _column_xml(column: pd.Series, letter: str, rows: list[str]) -> tuple[list[str], int]:
    """XML of a block of one column's cells (one string per row), and how many were cut."""
    values = column.tolist()
    refs = [letter + r for r in rows]
    kind = column.dtype.kind if isinstance(column.dtype, np.dtype) else "O"
    if kind == "b":
        return [
            f'<c r="{ref}" t="b"><v>{v:d}</v></c>' for ref, v in zip(refs, values, strict=True)
        ], 0
    if kind in "iu" or (kind == "f" and np.isfinite(column.to_numpy()).all()):
        return [
            f'<c r="{ref}" t="n"><v>{v:.16g}</v></c>' for ref, v in zip(refs, values, strict=True)
        ], 0
    if kind == "f":
        return [
            "" if v != v else f'<c r="{ref}" t="n"><v>{_number(v)}</v></c>'
            for ref, v in zip(refs, values, strict=True)
        ], 0
    return _value_cells(values, refs)


def _row_blocks(df: pd.DataFrame, first_row: int, cut: list[int]) -> Iterator[bytes]:
    """The sheet XML of ``df``'s rows (the first on row ``first_row``), a block at a time.

    Adds the number of cut cells to ``cut[0]``.
    """
    letters = [get_column_letter(k + 1) for k in range(df.shape[1])]
    for start in range(0, len(df), BLOCK_ROWS):
        block = df.iloc[start : start + BLOCK_ROWS]
        rows = [str(first_row + r) for r in range(start, start + len(block))]
        columns = []
        for k, letter in enumerate(letters):
            cells, n_cut = _column_xml(block.iloc[:, k], letter, rows)
            columns.append(cells)
            cut[0] += n_cut
        by_row = zip(*columns, strict=True) if columns else [()] * len(rows)
        xml = "".join(
            f'<row r="{r}">{"".join(cells)}</row>' for r, cells in zip(rows, by_row, strict=True)
        )
        yield xml.encode("utf-8")


def _header_sheet(wb: Workbook, title: str, df: pd.DataFrame) -> None:
    """A sheet holding only ``df``'s header row (bold, frozen); the rows are spliced in later."""
    ws = wb.create_sheet(title)
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in df.columns:
        cell = WriteOnlyCell(ws, value=str(column))
        cell.data_type = "s"  # never a formula, whatever the text starts with
        cell.font = bold
        header.append(cell)
    ws.append(header)


def _note(df: pd.DataFrame, max_rows: int, cut_cells: int) -> str:
    notes = []
    if len(df) > max_rows:
        notes.append(f"只写入前 {max_rows} 行（共 {len(df)} 行），完整数据见 parquet/csv 文件")
    if cut_cells:
        notes.append(f"{cut_cells} 个单元格超过 {MAX_CELL_CHARS} 字符，已截断")
    return "；".join(notes)


def _frame(tables: Mapping[str, pd.DataFrame], chosen: list[str]) -> tuple[bytes, list[str]]:
    """The workbook without data rows (README sheet empty, header rows only) and sheet titles."""
    wb = Workbook(write_only=True)
    titles: list[str] = []
    for name in chosen:
        titles.append(sheet_name(name, [*titles, "README"]))
        _header_sheet(wb, titles[-1], tables[name])
    wb.create_sheet("README", 0)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue(), titles


def _sheet_part(position: int) -> str:
    """The zip path openpyxl gives the sheet at ``position`` (1 = first tab)."""
    return f"xl/worksheets/sheet{position}.xml"


def _fixed_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    info._compresslevel = ZIP_LEVEL  # noqa: SLF001 - public as ``compress_level`` from Python 3.13
    return info


def _write_sheet(target: zipfile.ZipFile, part: str, frame: bytes, rows: Iterator[bytes]) -> None:
    """Stream one sheet into the zip: the frame's XML with ``rows`` spliced into sheetData."""
    head, tail = frame.split(_SHEET_END)
    with target.open(_fixed_info(part), "w") as stream:
        stream.write(head)
        for block in rows:
            stream.write(block)
        stream.write(_SHEET_END + tail)


def _write_workbook(
    file: Path, tables: Mapping[str, pd.DataFrame], chosen: list[str], max_rows: int
) -> None:
    """Write the zip: openpyxl's frame with every sheet's rows streamed in (README last)."""
    frame, titles = _frame(tables, chosen)
    source = zipfile.ZipFile(io.BytesIO(frame))
    sheets = {_sheet_part(k): pair for k, pair in enumerate(zip(titles, chosen, strict=True), 2)}
    if not {*sheets, _sheet_part(1)} <= set(source.namelist()):
        raise RuntimeError(
            f"openpyxl {openpyxl.__version__} names its sheet files unlike 3.1 "
            "(xl/worksheets/sheet<n>.xml); install openpyxl>=3.1,<4 as setup.cfg asks"
        )
    readme = [("sheet", "table", "rows", "columns", "note")]
    with zipfile.ZipFile(file, "w") as target:
        for info in source.infolist():
            part, payload = info.filename, source.read(info.filename)
            if part in sheets:
                (title, name), cut = sheets[part], [0]
                df = tables[name]
                _write_sheet(target, part, payload, _row_blocks(df.head(max_rows), 2, cut))
                columns = ", ".join(map(str, df.columns))
                readme.append((title, name, len(df), columns, _note(df, max_rows, cut[0])))
            elif part != _sheet_part(1):
                if part == "docProps/core.xml":
                    payload = _CORE_TIME.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", payload)
                target.writestr(_fixed_info(part), payload)
        # README goes last: its notes need the cut counts of every sheet.
        rows = _row_blocks(pd.DataFrame(readme), 1, [0])
        _write_sheet(target, _sheet_part(1), source.read(_sheet_part(1)), rows)


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
    max_rows = min(max_rows, MAX_ROWS)
    return atomic_write(path, lambda tmp: _write_workbook(tmp, tables, chosen, max_rows))
