"""Normalisation of decoded report text (pipeline.ingest.normalize), on real sample text."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.ingest.normalize import (
    chinese_punctuation,
    clean_characters,
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
    assert "??" not in hubei.text and "共解茖W" in hubei.text
    assert "\ue7ad" not in hubei.text  # private-use character of the garbled run
    assert [m.snippet for m in fusion.mojibake] == ["纪念“一二?九”抗日救", "参观“一二?九”运动纪"]
    assert "“一二九”" in fusion.text and "?" not in fusion.text


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
