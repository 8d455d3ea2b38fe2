"""find_byline / strip_byline / find_keywords on the real sample and on unseen byline forms."""

from __future__ import annotations

import pytest
from data.ingest.sample import normalised_pages, sample_articles

from pipeline.ingest.byline import find_byline, find_keywords, is_byline_line, strip_byline

NOTHING = {"unit": None, "date": None, "source": None}
# What the articles themselves say (units named only inside paragraphs are not taken).
EXPECTED = {
    ("000", 0): NOTHING,
    ("000", 1): NOTHING,
    ("000", 2): NOTHING,
    ("000", 3): NOTHING,
    ("001", 0): {
        "unit": "湖北省委直属机关工委课题组",
        "date": "2024-03-03",
        "source": "党员生活·下 2024年2期",
    },
    ("002", 0): NOTHING,
    ("002", 1): {"unit": None, "date": "2020", "source": None},  # year in the title
    ("002", 2): {"unit": None, "date": "2020", "source": None},
    ("002", 3): NOTHING,
    ("002", 4): NOTHING,
    ("003", 0): {
        "unit": "石家庄市直机关工委课题组",
        "date": "2020-06-23",
        "source": "《机关党建研究》2019年第9期",
    },
    ("004", 0): NOTHING,
    ("004", 1): NOTHING,
    ("004", 2): NOTHING,
    ("004", 3): NOTHING,
}


@pytest.mark.parametrize(("page", "index"), sorted(EXPECTED))
def test_sample_bylines(page, index) -> None:
    title, body = next(a[2:4] for a in sample_articles() if a[:2] == (page, index))
    assert find_byline(title, body) == EXPECTED[page, index]


def test_page_chrome_gives_the_publication_date() -> None:
    # The ingest stage reads the whole page once, before strip_chrome, for date/source
    # fallbacks: 002's date is on its "编辑：… 发布时间：…" chrome line.
    page = normalised_pages()["002"]
    assert find_byline("", page) == {"unit": None, "date": "2021-11-21", "source": None}


def test_strip_byline_removes_head_and_tail_metadata_only() -> None:
    bodies = {(a[0], a[1]): a[3] for a in sample_articles()}
    hubei = strip_byline(bodies["001", 0]).split("\n")
    assert (
        hubei[0] == "思想认识不够到位、分类指导不够精准、工作创新不够主动、能力素质不够过硬等等。"
    )
    assert hubei[-1].startswith("3.抓督导增效能。")
    shijiazhuang = strip_byline(bodies["003", 0]).split("\n")
    assert shijiazhuang[0].startswith("习近平总书记在中央和国家机关党的建设工作会议上指出")
    assert shijiazhuang[-1].startswith("（三）完善制度，落实责任")
    # Articles without bylines are untouched; keywords go, the abstract stays.
    assert strip_byline(bodies["002", 3]) == bodies["002", 3]
    guoqi = strip_byline(bodies["004", 1]).split("\n")
    assert guoqi[0].startswith("摘要：") and not any(x.startswith("关键词") for x in guoqi)


def test_keywords_are_metadata() -> None:
    bodies = {(a[0], a[1]): a[3] for a in sample_articles()}
    assert find_keywords(bodies["001", 0]) == ["机关政治工作"]
    assert find_keywords(bodies["004", 3]) == ["党建思想工作", "业务工作", "融合路径"]
    assert find_keywords(bodies["000", 0]) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "（作者单位：中共某某市委党校）\n正文。",
            {"unit": "中共某某市委党校", "date": None, "source": None},
        ),
        (
            "作者：张三（某某县委组织部）\n发布时间：2021/11/21\n正文。",
            {"unit": "某某县委组织部", "date": "2021-11-21", "source": None},
        ),
        (
            "某某区机关工委\n2019年6月\n正文。\n来源：人民网",
            {"unit": "某某区机关工委", "date": "2019-06", "source": "人民网"},
        ),
        ("正文。\n（来源：网络）", NOTHING),  # a generic source says nothing
        ("2021-13-45\n正文。", NOTHING),  # an impossible date is no date
        ("服务中心\n正文。", NOTHING),  # a heading is not a unit
        (
            "正文。\n《党建研究》2022年第3期",
            {"unit": None, "date": "2022", "source": "《党建研究》2022年第3期"},
        ),
    ],
)
def test_unseen_byline_forms(text, expected) -> None:
    assert find_byline("标题", text) == expected


def test_unit_from_title_only_before_guanyu() -> None:
    assert find_byline("某某市委组织部关于基层党建的调研报告", "正文。")["unit"] == "某某市委组织部"
    assert find_byline("加强机关党委建设的思考", "正文。")["unit"] is None


def test_dates_inside_paragraphs_are_not_bylines() -> None:
    text = "2019年6月，我们对全市73个单位进行了调研。\n2021年6月全省党建工作会议召开\n正文。"
    assert find_byline("标题", text)["date"] is None
    assert strip_byline(text) == text


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2024-03-03 03:14湖北省委直属机关工委课题组", True),
        ("（课题组成员：戚阿东、廖文武、张洁、马哲、蔡培）", True),
        ("党员生活·下 2024年2期", True),
        ("2020年06月23日08:49", True),
        ("一、工作成效", False),
        ("思想认识不够到位、分类指导不够精准等等。", False),
    ],
)
def test_is_byline_line(line, expected) -> None:
    assert is_byline_line(line) is expected
