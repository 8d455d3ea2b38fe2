"""The segment stage function: table in, table with tokens out; parallel equals serial."""

from __future__ import annotations

import re
from pathlib import Path

import opencc
import pandas as pd
import pytest

from pipeline.segment import Segmenter, segment

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
