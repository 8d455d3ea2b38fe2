"""What the foundation issue must show on the real sample corpus."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from test_ingest_chrome import CHROME_PATTERNS

from pipeline.ingest import ingest
from pipeline.stages import read_metadata


@pytest.fixture(scope="module")
def sample(sample_dir):
    return ingest(sample_dir, metadata=read_metadata(sample_dir))


def test_fifteen_articles_per_file(sample) -> None:
    per_file = sample.documents.groupby("source_file").size().to_dict()
    assert per_file == {
        "000_d9d459ff6e47eae7.txt": 4,
        "001_5d6fb8c6b03e9a71.txt": 1,
        "002_31acb1911a78a401.txt": 5,
        "003_22f7e5d0ba2c37b3.txt": 1,
        "004_a79e94ede59e9453.txt": 4,
    }
    assert (sample.report["status"] == "ok").all()
    assert sample.report["articles"].tolist() == [4, 1, 5, 1, 4]


def test_first_and_third_two_skins_articles_are_near_duplicates(sample) -> None:
    docs = sample.documents
    page = docs[docs["source_file"] == "002_31acb1911a78a401.txt"].set_index("article_index")
    assert page.loc[2, "dup_of"] == page.loc[0, "doc_id"]
    assert docs["dup_of"].notna().sum() == 1, docs.loc[docs["dup_of"].notna(), "title"]


def test_page_date_fills_articles_without_their_own(sample) -> None:
    docs = sample.documents
    page = docs[docs["source_file"] == "002_31acb1911a78a401.txt"].set_index("article_index")
    # From 002's removed chrome line "编辑：… 发布时间： 2021-11-21 22:18:36 来源：网络";
    # articles 1 and 2 have "2020年" in their titles and keep it.
    assert page["date"].tolist() == ["2021-11-21", "2020", "2020", "2021-11-21", "2021-11-21"]
    assert page["year"].tolist() == [2021, 2020, 2020, 2021, 2021]
    assert not page["source"].str.contains("网络").any()  # metadata's source, not '网络'
    compilations = docs[docs["source_file"].str.startswith(("000", "004"))]
    assert compilations["date"].isna().all()  # their pages carry no date


# The chrome list of the strip_chrome tests, plus web mojibake runs.
CHROME = [*CHROME_PATTERNS, r"\?\?"]


def test_no_chrome_or_spam_left_in_text(sample) -> None:
    for doc in sample.documents.itertuples():
        for pattern in CHROME:
            hit = re.search(pattern, doc.text, flags=re.M)
            assert hit is None, f"{doc.source_file}#{doc.article_index}: {pattern!r} left"


def test_traditional_report_comes_out_simplified(sample) -> None:
    docs = sample.documents.set_index("source_file")
    hubei = docs.loc["001_5d6fb8c6b03e9a71.txt"]
    assert hubei["script"] == "traditional"
    assert "坚持问题导向" in hubei["text"] and "機關" not in hubei["text"]
    assert hubei["title"] == "坚持问题导向全面提高机关党建质量研究"
    assert (docs.drop(index="001_5d6fb8c6b03e9a71.txt")["script"] == "simplified").all()


def test_metadata_wins_and_required_columns(sample) -> None:
    docs = sample.documents
    required = {
        "doc_id",
        "source_file",
        "article_index",
        "title",
        "unit",
        "date",
        "source",
        "script",
        "n_chars",
        "text",
        "references",
        "dup_of",
    }
    assert required <= set(docs.columns)
    assert docs["doc_id"].is_unique
    units = set(docs["unit"].dropna())
    assert {"湖北省委直属机关工委课题组", "石家庄市直机关工委课题组", "宁波海关"} <= units
    assert (docs["n_chars"] == docs["text"].str.len()).all()


def test_references_are_kept_out_of_text(sample) -> None:
    docs = sample.documents
    compil = docs[docs["source_file"] == "004_a79e94ede59e9453.txt"]
    with_refs = compil[compil["references"].str.len() > 0]
    assert len(with_refs) == 3
    assert not compil["text"].str.contains(r"\[\d\]").any()
    assert not compil["text"].str.contains("参考文献").any()


def test_doc_ids_are_stable(sample, sample_dir) -> None:
    again = ingest(sample_dir, metadata=read_metadata(sample_dir))
    pd.testing.assert_frame_equal(sample.documents, again.documents)
