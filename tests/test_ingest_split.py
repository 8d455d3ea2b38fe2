"""split_articles and split_references on the real sample and on unseen compilation styles."""

from __future__ import annotations

import pytest
from data.ingest.sample import sample_articles

from pipeline.ingest.references import split_references
from pipeline.ingest.split import looks_like_title, split_articles

TITLES = {
    "000": ["党建与业务工作深度融合不够"] * 4,
    "001": ["坚持问题导向全面提高机关党建质量研究"],
    "002": [
        "机关党建工作“两张皮”问题调研报告范本",
        "机关党建2020年业务两张皮问题调研报告",
        "2020年解决部机关党建工作“两张皮”问题的调研报告",
        "机关党建工作调研报告",
        "新时期机关党建工作存在的问题及对策",
    ],
    "003": ["当好“助推剂”“粘合剂”“强化剂” 形成党建与业务工作融合发展“一盘棋”"],
    "004": [
        "推进机关党建与业务工作深度融合的思考",
        "做好国有企业党建工作与经营工作深度融合的思考",
        "关于国企党建工作与生产经营如何深度融合的思考",
        "党建思想工作和业务工作融合研究",
    ],
}

# (page, article): (start of the first body line, start of the last body line)
ENDS = {
    ("000", 0): ("党的十八大以来，高技术中心党支部", "4、完善管理制度，强化对党员干部的日常管理。"),
    ("000", 3): (
        "习近平总书记在中央和国家机关党的建设工作会议上强调",
        "管理创新。在落实支部党务联络员",
    ),
    ("001", 0): ("2024-03-03 03:14湖北省委直属机关工委课题组", "3.抓督导增效能。"),
    ("002", 0): ("xx月xx日，在中央国家机关第二十八次党的工作会议", "四是总结借鉴解决“两张皮”问题"),
    ("002", 2): ("一、调研的基本情况", "在去年开展“如何在推进生态文明建设中"),
    ("002", 4): ("XX区机关工委共有XX个建制性党组织", "一是严把党员入口关。"),
    ("003", 0): ("石家庄市直机关工委课题组", "（来源：《机关党建研究》2019年第9期）"),
    ("004", 0): ("党的建设不仅是中国革命的三大法宝之一", "文件，思想上行动上与党中央保持一致"),
    ("004", 1): ("摘要：目前，我国经济发展十分迅速", "与私营企业不同，国有企业属于党"),
    ("004", 3): ("摘要：党建工作是我国得以发展的核心动力。", "总之，业务工作和党务工作的融合"),
}


def test_sample_gives_fifteen_articles_with_their_titles() -> None:
    articles = sample_articles()
    assert len(articles) == 15
    titles: dict[str, list[str]] = {}
    for page, _, title, _, _ in articles:
        titles.setdefault(page, []).append(title)
    assert titles == TITLES


@pytest.mark.parametrize(("page", "index"), sorted(ENDS))
def test_article_bodies_start_and_end_with_real_text(page, index) -> None:
    body = next(a[3] for a in sample_articles() if a[:2] == (page, index))
    lines = body.split("\n")
    first, last = ENDS[page, index]
    assert lines[0].startswith(first)
    assert lines[-1].startswith(last)


def test_compilation_header_and_repeated_titles_are_not_text() -> None:
    for page, _, title, body, _ in sample_articles():
        assert not body.startswith(title), (page, title)
        assert "精选4篇" not in body and "几点思考4篇" not in body
        assert "篇一：" not in body and "【第" not in body and "第二篇：" not in body


def test_references_move_out_of_each_article() -> None:
    refs = {(a[0], a[1]): a[4] for a in sample_articles()}
    assert [bool(refs["004", i]) for i in range(4)] == [False, True, True, True]
    assert refs["004", 1].split("\n")[0].startswith("[1]张婧婧.关于国有企业党建工作")
    assert len(refs["004", 3].split("\n")) == 4
    for page, _, _, body, _ in sample_articles():
        assert "参考文献" not in body and "[1]" not in body, page
    bodies = {(a[0], a[1]): a[3] for a in sample_articles()}
    assert bodies["004", 1].split("\n")[-2] == "结语"  # 结语 is real text
    assert "结束语" in bodies["004", 3].split("\n")


@pytest.mark.parametrize(
    ("page", "suffix"),
    [
        ("XX范文合集\n范文一：甲调研报告\n正文一。\n范文二：乙调研报告\n正文二。", ""),
        ("XX合集\n材料1：甲调研报告\n正文一。\n材料2：乙调研报告\n正文二。", ""),
        ("XX合集\n甲调研报告范本1\n正文一。\n乙调研报告范本（2）\n正文二。", "范本"),
        ("XX合集\n【第一篇】甲调研报告\n正文一。\n【第二篇】乙调研报告\n正文二。", ""),
        ("XX合集\n第1篇 甲调研报告\n正文一。\n第2篇 乙调研报告\n正文二。", ""),
        ("XX合集\n篇一\n甲调研报告\n正文一。\n篇二\n乙调研报告\n正文二。", ""),
    ],
)
def test_unseen_marker_styles(page, suffix) -> None:
    assert split_articles(page) == [
        (f"甲调研报告{suffix}", "正文一。"),
        (f"乙调研报告{suffix}", "正文二。"),
    ]


def test_markers_must_count_one_two_three() -> None:
    assert split_articles("第一篇：甲报告\n正文一。") == [("第一篇：甲报告", "正文一。")]
    # "第一篇文章……" is a sentence, not a marker.
    prose = "党建工作报告\n第一篇文章写得好。\n第二篇文章也好。"
    assert split_articles(prose) == [("党建工作报告", "第一篇文章写得好。\n第二篇文章也好。")]


def test_table_of_contents_then_articles_uses_the_later_run() -> None:
    page = "目录\n第一篇：甲\n第二篇：乙\n第一篇：甲\n甲的正文。\n第二篇：乙\n乙的正文。"
    assert split_articles(page) == [("甲", "甲的正文。"), ("乙", "乙的正文。")]


def test_chinese_ordinals_above_ten() -> None:
    page = "\n".join(f"第{n}篇：报告{k}\n正文{k}。" for k, n in enumerate(["十", "十一"], 10))
    assert len(split_articles("合集\n" + page)) == 1  # a run must start at 一
    run = "\n".join(f"第{n}篇：报告{k}\n正文{k}。" for k, n in enumerate("一二三四五六七八九", 1))
    tail = "\n第十篇：报告10\n正文10。\n第十一篇：报告11\n正文11。"
    assert [title for title, _ in split_articles(run + tail)][-2:] == ["报告10", "报告11"]


def test_single_article_title_skips_bylines_and_falls_back_to_file_title() -> None:
    text = "2024-03-03 某某机关工委课题组\n某某机关工委关于党建工作的调研报告\n正文。"
    assert split_articles(text) == [
        ("某某机关工委关于党建工作的调研报告", "2024-03-03 某某机关工委课题组\n正文。")
    ]
    assert split_articles("一、基本情况\n正文。", file_title="文件名") == [
        ("文件名", "一、基本情况\n正文。")
    ]


def test_title_glued_to_its_abstract_is_split() -> None:
    assert split_articles("党建与业务融合研究摘要：本文分析了……。\n一、问题") == [
        ("党建与业务融合研究", "摘要：本文分析了……。\n一、问题")
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("新时期机关党建工作存在的问题及对策", True),
        ("一、存在的问题", False),
        ("（二）机制体制方面的深度融合", False),
        ("关键词：国有企业；党建工作", False),
        ("石家庄市直机关工委课题组", False),
        ("党的建设不仅是中国革命的三大法宝之一，而且是三大法宝的核心。", False),
    ],
)
def test_looks_like_title(line, expected) -> None:
    assert looks_like_title(line) is expected


def test_unheaded_reference_list_at_the_end() -> None:
    text = "正文。\n[1]刘博.党建[J].支部建设，2020(9).\n[2]李涛.融合[M].北京：人民出版社，2019."
    body, refs = split_references(text)
    assert body == "正文。"
    assert refs.split("\n")[1].startswith("[2]李涛")


def test_numbered_paragraphs_are_not_references() -> None:
    text = "结束语\n1.加强学习。\n2.强化责任。"
    assert split_references(text) == (text, "")
