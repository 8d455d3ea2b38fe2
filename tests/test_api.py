"""The Python API on the sample run: Run.load, kwic, compare, Excel export, one stage."""

from __future__ import annotations

import doctest
import hashlib
import json

import pandas as pd
import pytest
from openpyxl import load_workbook

from pipeline.api import Run, run_stage
from pipeline.export import LIST_SEPARATOR, MAX_CELL_CHARS, cell_value, export_excel, sheet_name
from pipeline.units import KWIC_COLUMNS, compare, kwic


@pytest.fixture(scope="module")
def run(sample_run) -> Run:
    return Run.load(sample_run.out)


def test_load_reads_every_table_of_the_run(run, sample_run):
    assert run.manifest == json.loads((sample_run.out / "manifest.json").read_text("utf-8"))
    assert {"documents", "sentences", "keywords", "topics", "doc_topics"} <= set(run.names)
    for name in ("documents", "sentences", "keywords"):
        assert run[name].shape == sample_run.tables[name].shape
    assert run.sentences is run["sentences"]  # attribute access, read once
    assert isinstance(run.sentences["tokens"].iloc[0], list)
    assert run.get("no_such_table") is None


def test_load_says_what_is_missing(tmp_path, run):
    (tmp_path / "documents.parquet").write_bytes(b"")
    with pytest.raises(FileNotFoundError, match="manifest.json"):
        Run.load(tmp_path)
    with pytest.raises(KeyError, match="no table 'graph'"):
        run["graph"]
    with pytest.raises(AttributeError):
        run.graph  # noqa: B018


def test_kwic_gives_role_unit_and_context(run):
    table = run.kwic("两张皮", window=6)
    assert list(table.columns) == list(KWIC_COLUMNS)
    sents = run.sentences.set_index("sent_id")
    docs = run.documents
    kept = sents[~sents["doc_id"].isin(docs.loc[docs["dup_of"].notna(), "doc_id"])]
    assert len(table) == kept["text"].str.count("两张皮").sum() > 10
    assert (table["term"] == "两张皮").all()
    assert (table["left"].str.len() <= 6).all() and (table["right"].str.len() <= 6).all()
    assert (table["role"] == sents.loc[table["sent_id"], "role"].to_numpy()).all()
    assert table["sent_id"].map(sents["text"]).str.contains("两张皮").all()
    units = docs.set_index("doc_id")["unit"].fillna("（未知单位）")
    assert (table["unit"] == table["doc_id"].map(units)).all()


def test_kwic_context_runs_across_sentences_and_filters_roles(run):
    table = kwic(run.sentences, run.documents, "考核机制", window=30)
    assert len(table) >= 3
    crossing = table[table["right"].str.contains("。.", regex=True)]
    assert len(crossing) > 0  # the right context goes on into the next sentence
    problems = run.kwic("两张皮", role="problem")
    assert len(problems) > 0 and set(problems["role"]) == {"problem"}
    assert kwic(run.sentences, run.documents, "并不存在的词语").empty
    with pytest.raises(ValueError, match="non-empty term"):
        run.kwic(" ")


def test_run_compare_is_the_units_compare(run):
    a, b = "宁波海关", "石家庄市直机关工委课题组"
    mine = run.compare(a, b, role="countermeasure", top_n=5)
    pd.testing.assert_frame_equal(
        mine, compare(run.sentences, run.documents, a, b, role="countermeasure", top_n=5)
    )
    assert (mine["z"] > 0).any() and (mine["z"] < 0).any()


def test_unit_tables_have_a_row_per_unit(run, sample_dir):
    meta = pd.read_csv(sample_dir / "metadata.csv", dtype=str, keep_default_na=False)
    ut = run.unit_tables()
    names = set(ut.units.loc[ut.units["level"] == "unit", "name"])
    assert {u for u in meta["unit"] if u} | {"（未知单位）"} <= names


def test_excel_export_one_sheet_per_table(run, tmp_path):
    path = run.to_excel(tmp_path / "tables.xlsx")
    book = load_workbook(path, read_only=True)
    assert book.sheetnames[0] == "README"
    assert {"documents", "sentences", "units", "unit_terms", "keywords"} <= set(book.sheetnames)
    assert all(len(name) <= 31 for name in book.sheetnames)
    sheet = book["sentences"]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    tokens_col = header.index("tokens")
    first = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[tokens_col])
    assert isinstance(first[tokens_col], str) and LIST_SEPARATOR in first[tokens_col]
    assert sum(1 for _ in sheet.iter_rows(values_only=True)) == len(run.sentences) + 1
    assert path.read_bytes() == run.to_excel(tmp_path / "again.xlsx").read_bytes()


def test_excel_keeps_formulas_as_text_and_cuts_long_cells(tmp_path):
    long = "党建" * MAX_CELL_CHARS
    table = pd.DataFrame({"title": ['=HYPERLINK("http://example.com")', long], "n": [1, 2]})
    name = "a_table_name_much_longer_than_excel_allows"
    path = export_excel({name: table}, tmp_path / "x.xlsx", names=[name])
    book = load_workbook(path)
    sheet = book[sheet_name(name)]
    assert sheet["A2"].data_type == "s" and sheet["A2"].value.startswith("=HYPERLINK")
    assert len(sheet["A3"].value) == MAX_CELL_CHARS
    assert "截断" in book["README"]["E2"].value
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    again = export_excel({name: table}, tmp_path / "y.xlsx", names=[name])
    assert hashlib.sha256(again.read_bytes()).hexdigest() == digest


def test_sheet_names_are_valid_and_unique():
    first = sheet_name("unit_terms/by:role*[2024]?")
    assert len(first) <= 31 and not set(first) & set("[]:*?/\\")
    second = sheet_name("unit_terms/by:role*[2024]?", [first])
    assert second != first and len(second) <= 31


def test_run_stage_on_dataframes_matches_the_full_run(run):
    tables = {"documents": run.documents, "sentences": run.sentences}
    made = run_stage("keywords", tables)
    pd.testing.assert_frame_equal(made["keywords"], run.keywords, check_dtype=False)
    with pytest.raises(Exception, match="unknown stage"):
        run_stage("clean", tables)


@pytest.mark.parametrize("function", [sheet_name, cell_value], ids=lambda f: f.__name__)
def test_docstring_examples(function):
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    for test in doctest.DocTestFinder().find(function):
        runner.run(test)
    assert runner.tries > 0 and runner.failures == 0
