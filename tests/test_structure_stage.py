"""Structure stage, table contract: columns, odd input, speed."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import pytest

from pipeline.structure import structure
from pipeline.structure.roles import ROLES
from pipeline.tables import read_parquet, write_parquet

DOCS = Path(__file__).parent / "data" / "structure" / "docs"
COLUMNS = [
    "doc_id", "sent_id", "section_id", "para_index", "heading_path", "heading_level",
    "is_heading", "claim_index", "claim_id", "claim_text", "role", "role_source",
    "role_confidence", "text",
]  # fmt: skip


def article(name: str) -> tuple[str, str]:
    title, text = (DOCS / f"{name}.txt").read_text(encoding="utf-8").split("\n", 1)
    return title, text


def frame(*named: tuple[str, str, str]) -> pd.DataFrame:
    return pd.DataFrame(named, columns=["doc_id", "title", "text"])


def corpus(copies: int = 1) -> pd.DataFrame:
    names = sorted(p.stem for p in DOCS.glob("*.txt"))
    return frame(*[(f"{n}#{c}", *article(n)) for c in range(copies) for n in names])


def test_columns_and_types() -> None:
    out = structure(frame(("003_0", *article("003_0")), ("001_0", *article("001_0"))))
    assert list(out.columns) == COLUMNS  # tokens are added by the segment stage
    assert (
        out["doc_id"].tolist()
        == ["003_0"] * (out["doc_id"] == "003_0").sum()
        + ["001_0"] * (out["doc_id"] == "001_0").sum()
    )
    assert (
        out["heading_path"]
        .map(lambda p: isinstance(p, list) and all(isinstance(x, str) for x in p))
        .all()
    )
    assert out["is_heading"].dtype == bool
    for column in ("para_index", "heading_level", "claim_index"):
        assert pd.api.types.is_integer_dtype(out[column])
    assert out["role"].isin(ROLES).all() and out["role_confidence"].between(0, 1).all()
    assert (out.loc[~out["is_heading"], "heading_level"] == -1).all()
    assert out["text"].str.len().gt(0).all()


def test_parquet_round_trip(tmp_path: Path) -> None:
    out = structure(frame(("003_0", *article("003_0"))), use_classifier=False)
    back = read_parquet(write_parquet(out, tmp_path / "sentences.parquet"))
    assert back["heading_path"].tolist() == out["heading_path"].tolist()
    pd.testing.assert_frame_equal(back, out, check_dtype=False)


def test_empty_article_gives_no_sentences() -> None:
    out = structure(
        frame(("empty", "空文章", ""), ("blank", "", " \n\n"), ("003_0", *article("003_0")))
    )
    assert set(out["doc_id"]) == {"003_0"}
    nothing = structure(frame(("empty", "空文章", "")))
    assert nothing.empty and list(nothing.columns) == COLUMNS


def test_article_that_is_all_one_paragraph() -> None:
    title, text = article("000_2")
    out = structure(frame(("one", title, "".join(text.split("\n")))))
    body = out[out["heading_level"] != 0]
    assert (body["para_index"] == 0).all() and not body["is_heading"].any()
    assert "".join(body["text"]) == "".join(text.split("\n")).replace(" ", "")
    heads = body[body["text"].str.match("[一二三四][是要]")]
    assert heads["claim_index"].tolist() == [0, 1, 0, 1, 2, 3, 0, 1, 2, 0, 1, 2, 3]
    assert body["role"].isin(ROLES).all() and (body["role_source"] == "sentence").all()


def test_title_repeated_as_first_line_is_not_doubled() -> None:
    title, text = article("003_0")
    once = structure(frame(("d", title, text)), use_classifier=False)
    twice = structure(frame(("d", title, f"{title}\n{text}")), use_classifier=False)
    assert twice["text"].tolist() == once["text"].tolist()


def test_missing_column_is_explained() -> None:
    with pytest.raises(ValueError, match="lacks column.*text.*ingest"):
        structure(pd.DataFrame({"doc_id": ["d"], "title": ["t"]}))


@pytest.mark.slow
def test_time_grows_linearly_with_text() -> None:
    def seconds(copies: int) -> float:
        docs = corpus(copies)
        best = float("inf")
        for _ in range(2):
            started = time.process_time()
            structure(docs)
            best = min(best, time.process_time() - started)
        return best

    small, large = seconds(1), seconds(4)
    assert large / small < 7, f"4x the text took {large / small:.1f}x the time"
