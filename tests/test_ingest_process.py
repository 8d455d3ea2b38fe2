"""process_file's page-level byline: a date or source on the page fills the articles' gaps.

Pages are built from real sample lines (002's article titles and sentences, 003's byline).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.ingest import ingest

BODY_1 = (
    "我们在日常掌握情况基础上，主要通过调阅党建工作汇报材料、调研走访、问卷调查等形式进行了调研。"
)
BODY_2 = (
    "一是调阅汇报材料。结合年度开展的党建和党风廉政建设约谈工作，我们调阅了部属各部门各单位"
    "约谈汇报材料，进一步加深了对我部机关党建工作基本情况的了解。"
)
ARTICLES = [
    "第一篇：机关党建工作调研报告",
    BODY_1,
    "第二篇：新时期机关党建工作存在的问题及对策",
    BODY_2,
]


def _documents(tmp_path: Path, lines: list[str]) -> pd.DataFrame:
    (tmp_path / "合集.txt").write_text("\n".join(lines), encoding="utf-8")
    return ingest(tmp_path).documents


def test_page_header_gives_date_and_source_but_not_unit(tmp_path: Path) -> None:
    header = [
        "石家庄市直机关工委课题组",
        "2020年06月23日08:49",
        "（来源：《机关党建研究》2019年第9期）",
    ]
    docs = _documents(tmp_path, header + ARTICLES)
    assert docs["title"].tolist() == ["机关党建工作调研报告", "新时期机关党建工作存在的问题及对策"]
    assert docs["date"].tolist() == ["2020-06-23", "2020-06-23"]
    assert docs["year"].tolist() == [2020, 2020]
    assert docs["source"].tolist() == ["《机关党建研究》2019年第9期"] * 2
    assert docs["unit"].isna().all()  # a compilation's articles come from many units


def test_an_articles_own_date_is_not_passed_to_the_others(tmp_path: Path) -> None:
    lines = ARTICLES[:1] + ["2020年06月23日08:49"] + ARTICLES[1:]
    docs = _documents(tmp_path, lines)
    assert docs.loc[0, "date"] == "2020-06-23"
    assert docs[["date", "year"]].isna().loc[1].all()


def test_meaningless_page_source_is_not_used(tmp_path: Path) -> None:
    chrome = "编辑：浅唱梦痕 识别码：127-39365 调研报告 发布时间： 2021-11-21 22:18:36 来源：网络"
    docs = _documents(tmp_path, ["机关党建工作“两张皮”问题127范本（精选合集）", chrome] + ARTICLES)
    assert docs["date"].tolist() == ["2021-11-21", "2021-11-21"]
    assert docs["source"].isna().all()
