"""The segment stage function: table in, table with tokens out; parallel equals serial."""

from __future__ import annotations

import re
from pathlib import Path

import opencc
import pandas as pd
import pyarrow as pa
import pytest

from pipeline.segment import Segmenter, segment
from pipeline.segment.stage import MIN_CHUNK, merge_terms, spans, term_prefixes, text_values

SAMPLE = Path(__file__).resolve().parents[1] / "corpus" / "sample"


@pytest.fixture(scope="module")
def sentences() -> pd.DataFrame:
    converter = opencc.OpenCC("t2s")
    rows = []
    for file in sorted(SAMPLE.glob("*.txt")):
        text = converter.convert(file.read_text(encoding="utf-8"))
        parts = [s for s in re.split(r"(?<=[。！？；\n])", text) if s.strip()]
        rows += [{"doc_id": file.stem, "sent_id": f"{file.stem}:{i:04d}", "text": s.strip()}
                 for i, s in enumerate(parts)]  # fmt: skip
    return pd.DataFrame(rows, index=pd.RangeIndex(10, 10 + len(rows)))


@pytest.fixture(scope="module")
def seg() -> Segmenter:
    return Segmenter(backend="rjieba")


def test_adds_analysed_tokens_and_keeps_the_rest(sentences, seg):
    result = segment(sentences, segmenter=seg)
    assert "tokens" not in sentences.columns, "input left unchanged"
    assert list(result.columns) == [*sentences.columns, "tokens"]
    pd.testing.assert_frame_equal(result.drop(columns="tokens"), sentences)
    assert all(isinstance(t, list) for t in result["tokens"])
    assert result["tokens"].tolist() == [seg.analyse(text) for text in sentences["text"]]
    tokens = [t for row in result["tokens"] for t in row]
    assert {"两张皮", "考核机制", "专职化", "三会一课"} <= set(tokens)
    assert "的" not in tokens and min(map(len, tokens)) >= 2


@pytest.mark.slow
def test_two_workers_give_identical_results(sentences, seg):
    one = segment(sentences, segmenter=seg, workers=1)
    two = segment(sentences, segmenter=seg, workers=2, chunk_size=97)
    pd.testing.assert_frame_equal(one, two)
    three = segment(sentences, segmenter=seg, workers=3, chunk_size=250)
    assert three["tokens"].tolist() == one["tokens"].tolist()
    jieba_two = segment(sentences, segmenter=Segmenter(backend="jieba"), workers=2, chunk_size=500)
    assert jieba_two["tokens"].tolist() == one["tokens"].tolist()


def test_other_text_column_and_missing_texts(seg):
    table = pd.DataFrame({"heading": ["落实三会一课制度", None, float("nan"), ""]})
    result = segment(table, segmenter=seg, text_column="heading", workers=2, chunk_size=1)
    assert result["tokens"].tolist() == [["三会一课", "制度"], [], [], []]


def test_errors_name_the_problem(seg):
    with pytest.raises(KeyError, match="no column 'text'.*text_column="):
        segment(pd.DataFrame({"body": ["x"]}), segmenter=seg)
    with pytest.raises(ValueError, match="workers = 0"):
        segment(pd.DataFrame({"text": ["x"]}), segmenter=seg, workers=0)


def test_object_and_arrow_text_columns_give_the_same_tokens(sentences, seg):
    plain = sentences.astype({"text": object})
    assert isinstance(text_values(plain["text"]), list)
    assert isinstance(text_values(sentences["text"]), pa.Array)
    expected = segment(sentences, segmenter=seg)["tokens"].tolist()
    assert segment(plain, segmenter=seg)["tokens"].tolist() == expected
    assert text_values(pd.Series(["推进", None, 3], dtype=object)) == ["推进", "", ""]


def test_spans_cover_every_item_once_and_shrink_at_the_end():
    assert spans(5000, 2000) == [(0, 2000), (2000, 4000), (4000, 5000)]
    ranges = spans(50_000, 2000, workers=2)
    assert [i for start, stop in ranges for i in range(start, stop)] == list(range(50_000))
    sizes = [stop - start for start, stop in ranges]
    assert sizes[0] == 2000 and sizes[-2] == MIN_CHUNK and sizes == sorted(sizes, reverse=True)
    assert spans(0, 10) == [] and spans(3, 1, workers=2) == [(0, 1), (1, 2), (2, 3)]


def _merge_plain(tokens: list[str], terms: frozenset[str]) -> list[str]:
    """Left to right, the longest (3, then 2 tokens) run spelling a term is joined."""
    merged, i = [], 0
    while i < len(tokens):
        for size in (3, 2):
            if i + size <= len(tokens) and "".join(tokens[i : i + size]) in terms:
                merged.append("".join(tokens[i : i + size]))
                i += size
                break
        else:
            merged.append(tokens[i])
            i += 1
    return merged


def test_merge_terms_joins_the_runs_a_plain_scan_joins(sentences, seg):
    terms = frozenset({"党建工作", "生产经营", "党建活动", "企业党建", "建工"})
    prefixes = term_prefixes(terms)
    cuts = [seg.cut(text) for text in sentences["text"]]
    merged = [merge_terms(tokens, terms, prefixes) for tokens in cuts]
    assert merged == [_merge_plain(tokens, terms) for tokens in cuts]
    assert sum(map(len, cuts)) - sum(map(len, merged)) > 20
    assert merge_terms(["企业", "党建", "工作"], terms, prefixes) == ["企业党建", "工作"]
