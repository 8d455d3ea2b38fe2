"""tables.xlsx: every cell reads back as the table holds it, whatever the text contains.

The data rows are written straight to sheet XML (not through openpyxl's cell objects), so
these tests read the workbook back with openpyxl and compare cell by cell.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from pipeline import export
from pipeline.export import CUT_MARK, LIST_SEPARATOR, MAX_CELL_CHARS, cell_value, export_excel

# Text that XML, Excel or the writer could trip over, around real report sentences.
AWKWARD = [
    "两张皮 & <党建> \"业务\" '融合'",
    " 前导空格",
    "结尾空格 ",
    "\u3000全角空格开头",
    "=SUM(A1:A3)",
    "#N/A",
    "换行\r\n回车",
    "控制\x01字符\x1f",
    "😀 表情",
    "]]>",
    "",
    "党建" * MAX_CELL_CHARS,
]


def _expected(value: object) -> object:
    """What openpyxl reads back for a table cell (empty text reads as None)."""
    value = cell_value(value)[0]
    return None if value == "" else value


def _read(path, title: str) -> list[tuple]:
    """The sheet's rows, padded to the header's width (trailing empty cells are not stored)."""
    rows = list(load_workbook(path, read_only=True)[title].iter_rows(values_only=True))
    return [row + (None,) * (len(rows[0]) - len(row)) for row in rows]


@pytest.fixture(scope="module")
def table(sample_tables) -> pd.DataFrame:
    sents = sample_tables["sentences"].head(60)
    n = len(sents) + len(AWKWARD)
    return pd.DataFrame(
        {
            "text": [*sents["text"], *AWKWARD],
            "tokens": [
                *sents["tokens"],
                ["两张皮", None],
                [],
                *[["考核机制"]] * (len(AWKWARD) - 2),
            ],
            "n": np.arange(n, dtype=np.int64) * 10**15,
            "share": np.where(np.arange(n) % 7 == 0, np.nan, np.arange(n) / 3),
            "flag": np.arange(n) % 2 == 0,
            "year": pd.array([2019, None] * (n // 2) + [2020] * (n % 2), dtype="Int64"),
            "mixed": [1, 2.5, None, "文本", True, {"k": "v"}] * (n // 6) + [None] * (n % 6),
        }
    )


def test_every_cell_reads_back_as_the_table_holds_it(table, tmp_path):
    path = export_excel({"sentences": table}, tmp_path / "t.xlsx", names=["sentences"])
    rows = _read(path, "sentences")
    assert rows[0] == tuple(table.columns)
    assert len(rows) == len(table) + 1
    for got, (_, row) in zip(rows[1:], table.iterrows(), strict=True):
        expected = [_expected(v) for v in row]
        # Excel keeps 16 significant digits, as openpyxl writes them.
        assert list(got) == [
            pytest.approx(v, rel=1e-15) if type(v) is float else v for v in expected
        ]
    texts = [r[0] for r in rows[1:]]
    assert "=SUM(A1:A3)" in texts and " 前导空格" in texts and "#N/A" in texts
    assert any(isinstance(t, str) and t.endswith(CUT_MARK) for t in texts)
    assert LIST_SEPARATOR in rows[1][1]


def test_readme_counts_cut_cells_and_rows(table, tmp_path):
    path = export_excel({"sentences": table}, tmp_path / "t.xlsx", names=["sentences"], max_rows=50)
    readme = _read(path, "README")
    assert readme[0] == ("sheet", "table", "rows", "columns", "note")
    assert readme[1][:3] == ("sentences", "sentences", len(table))
    assert "只写入前 50 行" in readme[1][4]
    assert len(_read(path, "sentences")) == 51
    full = export_excel({"sentences": table}, tmp_path / "u.xlsx", names=["sentences"])
    assert "1 个单元格超过" in _read(full, "README")[1][4]


def test_rows_stream_in_blocks_without_seams(table, tmp_path, monkeypatch):
    monkeypatch.setattr(export, "BLOCK_ROWS", 7)
    small = export_excel({"sentences": table}, tmp_path / "small.xlsx", names=["sentences"])
    monkeypatch.undo()
    whole = export_excel({"sentences": table}, tmp_path / "whole.xlsx", names=["sentences"])
    assert small.read_bytes() == whole.read_bytes()


def test_header_is_bold_and_frozen(sample_tables, tmp_path):
    path = export_excel(sample_tables, tmp_path / "t.xlsx", names=["documents", "units"])
    book = load_workbook(path)
    assert book.sheetnames == ["README", "documents", "units"]
    sheet = book["units"]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b and not sheet["A2"].font.b
    assert sheet.max_row == len(sample_tables["units"]) + 1
