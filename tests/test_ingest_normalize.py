"""Normalisation of decoded report text (pipeline.ingest.normalize), on real sample text."""

from __future__ import annotations

from pathlib import Path

import pytest
from data.ingest.sample import normalised_pages

from pipeline.ingest.normalize import (
    LINE_START_CLOSERS,
    chinese_punctuation,
    clean_characters,
    continues_paragraph,
    detect_script,
    join_lines,
    make_converter,
    normalize_text,
)

SAMPLE = Path(__file__).resolve().parent.parent / "corpus" / "sample"


def _sample(prefix: str) -> str:
    (path,) = SAMPLE.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def converter():
    return make_converter()


@pytest.fixture(scope="module")
def hubei(converter):
    """001: the Traditional report with '??' mojibake."""
    return normalize_text(_sample("001"), converter=converter)


@pytest.fixture(scope="module")
def fusion(converter):
    """000: the compilation with '一二?九' and a heading broken over two lines."""
    return normalize_text(_sample("000"), converter=converter)


def test_nfc_composes_but_keeps_chinese_punctuation(converter) -> None:
    text = "Cafe\u0301：党建，业务（一）“融合”。"
    result = normalize_text(text, converter=converter).text
    assert result == "Café：党建，业务（一）“融合”。"  # NFKC would have made '：，（）' ASCII


def test_invisible_characters_are_removed_but_line_breaks_kept(converter) -> None:
    text = "\ufeff机关\u200b党建\u00ad工作\u200d\x07\n\u2060业务\r\n融合\x0c发展"
    assert normalize_text(text, converter=converter).text == "机关党建工作\n业务\n融合\n发展"


def test_odd_spaces_become_one_space() -> None:
    assert clean_characters("责编：冯爱龄、白\u3000\u3000翔\t\u00a0 完") == "责编：冯爱龄、白 翔 完"


def test_full_width_letters_and_digits_become_ascii() -> None:
    assert clean_characters("２０２０年ＧＤＰ增长ｘ％") == "2020年GDP增长x％"


def test_ascii_punctuation_next_to_chinese_becomes_chinese() -> None:
    line = "编辑:浅唱梦痕 识别码:127-39365 发布时间: 2021-11-21 22:18:36 来源:网络"
    assert chinese_punctuation(line) == (
        "编辑：浅唱梦痕 识别码：127-39365 发布时间： 2021-11-21 22:18:36 来源：网络"
    )
    assert chinese_punctuation("不够(精选4篇)") == "不够（精选4篇）"
    assert (
        chinese_punctuation("(一)政治站位进一步提升;成效明显!")
        == "（一）政治站位进一步提升；成效明显！"
    )
    # Not next to Chinese: left alone (reference lists, URLs, times).
    ref = "[J].现代商贸工业,2021,42(32):95-96. http://www.x.cn 08:49"
    assert chinese_punctuation(ref) == "[J].现代商贸工业，2021,42(32):95-96. http://www.x.cn 08:49"


def test_straight_quotes_around_chinese_become_curly() -> None:
    assert chinese_punctuation('破解"两张皮"问题') == "破解“两张皮”问题"
    assert chinese_punctuation("'一岗双责'要求") == "‘一岗双责’要求"
    assert chinese_punctuation('say "hello"') == 'say "hello"'


def test_traditional_report_is_detected_and_converted(hubei) -> None:
    assert hubei.script == "traditional"
    assert "坚持问题导向全面提高机关党建质量研究" in hubei.text
    assert "機關" not in hubei.text and "黨" not in hubei.text


def test_simplified_reports_are_not_converted(converter) -> None:
    for prefix in ("000", "002", "003", "004"):
        raw = _sample(prefix)
        assert detect_script(raw, converter=converter) == "simplified", prefix
    text = normalize_text(_sample("003"), converter=converter).text
    assert "石家庄市直机关工委课题组" in text


def test_mojibake_is_recorded_and_question_marks_removed(hubei, fusion) -> None:
    snippets = [m.snippet for m in hubei.mojibake]
    assert any("問題共解??茖W考核" in s for s in snippets)
    assert any("聚智破題?;鶎訉" in s for s in snippets)
    assert any("日??己?" in s for s in snippets)
    assert "??" not in hubei.text
    assert "\ue7ad" not in hubei.text  # private-use character of the garbled run
    assert [m.snippet for m in fusion.mojibake] == ["纪念“一二?九”抗日救", "参观“一二?九”运动纪"]
    assert "“一二九”" in fusion.text and "?" not in fusion.text


def test_garbled_characters_beside_removed_runs_are_cut_but_common_ones_kept(hubei) -> None:
    # 001's three spots: '共解??茖W考核', '破題?;鶎訉\ue7ad蛏钛须y點', '日??己?、專項'.
    text = hubei.text
    assert "问题共解考核评价" in text  # '茖' (rare) and 'W' (ASCII) went with the '??'
    assert "聚智破题须y点" in text  # ';鶎訉' and '蛏钛' went; '须' is common and stops the cut
    assert "坚持日己、专项督查" in text  # '己' is a common character: kept
    for garbled in ("茖", "鶎", "訉", "蛏", "钛", ";"):
        assert garbled not in text, garbled


def test_garbled_fragment_cut_at_most_four_characters_each_side(converter) -> None:
    result = normalize_text("党建工作abcdef??茖W鶎訉蛏钛考核", converter=converter)
    assert result.text == "党建工作ab蛏钛考核"  # 'cdef' and '茖W鶎訉' cut, the rest kept
    assert result.mojibake[0].snippet == "建工作abcdef??茖W鶎訉蛏钛考核"
    assert result.mojibake[0].anchor == "党建工作ab"


def test_a_real_question_mark_is_kept_as_chinese_punctuation(hubei) -> None:
    assert "不工作，爽飞了？" in hubei.text.split("\n")


def test_mojibake_anchor_is_normalised_text_next_to_the_spot(hubei) -> None:
    spot = next(m for m in hubei.mojibake if "共解" in m.snippet)
    assert spot.anchor and spot.anchor in hubei.text
    assert spot.anchor.endswith("共解")


def test_broken_heading_is_joined_but_not_to_its_body(fusion) -> None:
    lines = fusion.text.split("\n")
    assert "一、推动党建与业务工作“真”融合" in lines
    assert "二、推动党建与业务工作“深”融合" in lines
    index = lines.index("一、推动党建与业务工作“真”融合")
    assert lines[index + 1].startswith("科学处理好党建和业务的关系")


def test_headings_stay_on_their_own_lines(converter) -> None:
    lines = normalize_text(_sample("002"), converter=converter).text.split("\n")
    index = lines.index("一、调研的基本情况")
    assert lines[index + 1].startswith("我们在日常掌握情况基础上")
    index = lines.index("一、存在的问题")
    assert lines[index + 1].startswith("1、一些党组织负责人党建意识淡薄")


def test_line_starting_with_closing_punctuation_joins_the_previous_line() -> None:
    lines = ["坚持围绕中心抓党建", "，抓好党建促业务", "”", "二、存在问题", "", "  正文。  "]
    assert join_lines(lines) == ["坚持围绕中心抓党建，抓好党建促业务”", "二、存在问题", "正文。"]


def test_lines_are_stripped_and_empty_lines_dropped(converter) -> None:
    for prefix in ("001", "002", "003"):
        lines = normalize_text(_sample(prefix), converter=converter).text.split("\n")
        assert all(line and line == line.strip() for line in lines), prefix
        assert not any("  " in line for line in lines), prefix


def test_text_without_mojibake_records_none(converter) -> None:
    result = normalize_text(_sample("003"), converter=converter)
    assert result.mojibake == ()
    assert "\u00a0" not in result.text


# Lines of the sample broken mid-sentence by a page or web break (004, 002), cut short.
BROKEN = [
    (
        "习，提升党员干部业务水平一方面注重加强党建理论学习。通过组织党员干部认真研读中央和地方各项",
        "文件，思想上行动上与党中央保持一致，在各项工作中处",
    ),
    (
        "然而，党员干部对解决“两张皮”问题的总体满意度并不高，可以说是喜忧掺半，"
        "不断创新和改进党建工作的任务依然艰巨。问卷调查",
        "中，关于“您认为我部机关党建和环保业务工作‘两张皮’问题是否突出”，有XX人认为“不存在”，",
    ),
    (  # ends on a comma, no full stop on the line
        "着新的挑战，巩固了党组织对国有企业的领导，确保党能够参与决策的重大问题上，"
        "国有企业需要创建和完善党的建设工作适应现代企业制度，协调发展机制，",
        "以实现特定角色的党组织在国有企业的操作，为国有企业长期稳定发展提供保障。",
    ),
]
# Neighbouring sample lines that must stay apart.
WHOLE = [
    (  # a long heading with commas (002), then an 一是 item
        "（一）树立“大党建”观，摆正品牌定位，在思想理念上解决党建与业务“两张皮”问题",
        "一是把政治建设摆在首要位置，正确认识党建与业务的关系。",
    ),
    (  # a long heading (002) and its body
        "（二）工作推进上存在脱节，对党建与业务如何结合开展思考还不够深入",
        "在具体工作开展过程中，部分基层党组织在党建与业务如何结合方面",
    ),
    (  # a paragraph without its full stop (000), then an enumerated item
        "以党政联席会集体研究、集体决策，共同推进的方式认真进行落实，通过近两年的工作，"
        "完成了专业机构改建的阶段目标",
        "1、有效整合资源，初步建立了一套适应重点专项项目管理的有效组织体系。",
    ),
    (  # reference items (004; the final '.' cut, so that only the item rule keeps them apart)
        "[1]张婧婧.关于国有企业党建工作与企业管理相互融合的思考[J].文化产业，2021(2):55-56",
        "[2]刘博.国有企业党建与中心工作深度融合的探索与实践[J].中国煤炭工业，2020(9):38-39.",
    ),
    (  # a page number (004; the final '.' cut again)
        "[3]陈玉.国企党建工作与生产经营深度融合的思考[J].经营管理者，2020(05):52-53",
        "2",
    ),
    (  # junk glued to a title (004), then the body
        "精选资料1111111111111345挂豆腐干豆腐吧推进机关党建与业务工作深度融合的思考",
        "党的建设不仅是中国革命的三大法宝之一，而且是三大法宝的核心。",
    ),
    (  # a junk line after a broken paragraph (004): strip_chrome joins across it later
        "补充了机关党建的形式和内容，两者相辅相成、相互促进，融为一体、密不可分。一方面，",
        "精选资料1111111111111345挂豆腐干豆腐吧",
    ),
]


@pytest.mark.parametrize(("previous", "line"), BROKEN)
def test_paragraph_broken_mid_sentence_is_rejoined(previous, line) -> None:
    assert join_lines([previous, line]) == [previous + line]


@pytest.mark.parametrize(("previous", "line"), WHOLE)
def test_headings_items_references_titles_and_junk_are_not_glued(previous, line) -> None:
    assert join_lines([previous, line]) == [previous, line]


def test_sample_breaks_rejoined_are_exactly_the_mid_sentence_ones() -> None:
    # Every adjacent pair of lines in the five sample pages (lines starting with closing
    # punctuation are joined by another rule).
    found = [
        line[:6]
        for text in normalised_pages().values()
        for previous, line in zip(text.split("\n"), text.split("\n")[1:], strict=False)
        if line[0] not in LINE_START_CLOSERS and continues_paragraph(previous, line)
    ]
    assert found == [
        "中，关于“您",
        "文件，思想上",
        "以实现特定角",
        "以利用互联网",
        "的安排。通过",
        "生产意识，积",
        "动党建工作制",
        "因，如主观认",
        "工作中，所以",
    ]


def test_normalised_sample_has_the_broken_paragraphs_joined(converter) -> None:
    text = normalize_text(_sample("004"), converter=converter).text
    assert "认真研读中央和地方各项文件，思想上" in text
    assert "无法融合的原因，如主观认识原因" in text
    assert "一方面，\n精选资料" in text  # the junk line is strip_chrome's to remove
