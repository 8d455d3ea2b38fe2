"""Property-based tests of the structure stage: any text in, a well-formed sentences table out.

Articles are built from random Unicode, real report sentences, numbered headings of every
style the stage knows (一、 （二） 3. ④ 第一， 首先，…), empty lines and one huge paragraph.
"""

from __future__ import annotations

import math

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from pipeline.structure import structure
from pipeline.structure.stage import COLUMNS

from ._build import ROLES, fast, sample_texts

MARKERS = ("一、", "（二）", "(三)", "3.", "4、", "（5）", "⑥", "◎", "2.1", "第一，", "首先，", "其次，",
           "最后，", "一是", "1")  # fmt: skip
CUES = ("存在问题", "原因分析", "对策建议", "主要成效", "基本情况", "下一步工作", "引言", "结语：")


def _sentences() -> list[str]:
    lines = [line.strip() for text in sample_texts() for line in text.splitlines()]
    return sorted({line for line in lines if line})[:400]


SENTENCES = _sentences()
ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=120)
LINE = st.one_of(
    st.sampled_from(SENTENCES),
    ANY_TEXT,
    st.just(""),
    st.builds(
        lambda m, c, s: m + c + s,
        st.sampled_from(MARKERS),
        st.sampled_from(CUES),
        st.sampled_from(["", "。", "：", *SENTENCES[:20]]),
    ),  # fmt: skip
    st.builds(
        lambda s, n: s * n, st.sampled_from(SENTENCES), st.integers(20, 200)
    ),  # one huge paragraph
)
ARTICLE = st.lists(LINE, max_size=25).map("\n".join)
DOC_ID = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12)


@st.composite
def documents(draw: st.DrawFn) -> pd.DataFrame:
    ids = draw(st.lists(DOC_ID, min_size=1, max_size=5, unique=True))
    return pd.DataFrame(
        {
            "doc_id": ids,
            "title": [
                draw(st.one_of(st.just(""), st.none(), ANY_TEXT, st.sampled_from(SENTENCES)))
                for _ in ids
            ],  # fmt: skip
            "text": [draw(ARTICLE) for _ in ids],
        }
    )


def check_sentences(out: pd.DataFrame, docs: pd.DataFrame) -> None:
    assert list(out.columns) == list(COLUMNS)
    assert set(out["doc_id"]) <= set(docs["doc_id"])
    assert out["sent_id"].is_unique
    assert set(out["role"]) <= ROLES
    confidence = out["role_confidence"].astype(float)
    assert all(0.0 <= c <= 1.0 and not math.isnan(c) for c in confidence)
    assert all(isinstance(t, str) for t in out["text"])
    assert all(s.startswith(f"{d}:") for d, s in zip(out["doc_id"], out["sent_id"], strict=True))


@fast(25)
@given(docs=documents(), use_headings=st.booleans(), use_classifier=st.booleans())
def test_any_articles_give_well_formed_sentences(
    docs: pd.DataFrame, use_headings: bool, use_classifier: bool
) -> None:
    out = structure(docs, use_headings=use_headings, use_classifier=use_classifier)
    check_sentences(out, docs)


@fast(20)
@given(text=st.text(st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_random_unicode_article_never_crashes(text: str) -> None:
    docs = pd.DataFrame({"doc_id": ["d0", "d1"], "title": [text[:20], ""], "text": [text, ""]})
    out = structure(docs)
    check_sentences(out, docs)
    assert set(out["doc_id"]) <= {"d0"}  # an empty article gives no rows
