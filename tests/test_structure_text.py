"""Structure stage, text level: sentences, paragraph lines, headings, outline, claims.

Everything runs on articles cut from corpus/sample (tests/data/structure/docs, made by
tests/data/structure/make_docs.py); where the sample lacks a case (①, （1）, 首先 at the start
of a line) a real article is renumbered in the test, and the change is shown there.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from pipeline.structure import structure
from pipeline.structure.claims import ClaimTracker, claim_marker
from pipeline.structure.headings import find_headings, parse_numbered
from pipeline.structure.paragraphs import article_lines
from pipeline.structure.sentences import split_sentences

DOCS = Path(__file__).parent / "data" / "structure" / "docs"


def article(name: str) -> tuple[str, str]:
    """(title, text) of a fixture article, e.g. "003_0"."""
    title, text = (DOCS / f"{name}.txt").read_text(encoding="utf-8").split("\n", 1)
    return title, text


def run(*named: tuple[str, str, str]) -> pd.DataFrame:
    """structure() over (doc_id, title, text) triples, cue rules only (fast, no training)."""
    docs = pd.DataFrame(named, columns=["doc_id", "title", "text"])
    return structure(docs, use_classifier=False)


def sample(name: str) -> pd.DataFrame:
    return run((name, *article(name)))


def line_of(name: str, start: str) -> str:
    """The (repaired) paragraph line of a fixture article that starts with ``start``."""
    return next(x for x in article_lines(article(name)[1]) if x.startswith(start))


# -- sentences ----------------------------------------------------------------------------


def test_full_stop_inside_quotes_does_not_end_the_sentence() -> None:
    line = line_of("002_1", "党建和业务的考核体系")
    quoted = "效能体现上的差别,造成个别基层党支部错误认为 “干好业务是主业,是显绩。"
    sentence = next(s for s in split_sentences(line) if s.startswith("效能体现上的差别"))
    assert sentence.startswith(quoted)
    assert sentence.endswith("将党建和业务割裂来看。")


@pytest.mark.parametrize(
    "text, expected",
    [
        # book titles and brackets around a full stop (real titles, stop added inside)
        ("制定《机关党支部标准化规范化建设指标体系。试行》,清查整治。按期换届。",
         ["制定《机关党支部标准化规范化建设指标体系。试行》,清查整治。", "按期换届。"]),
        ("现有党员101名(含离退休党员28名。),下辖7个党支部。另有。",
         ["现有党员101名(含离退休党员28名。),下辖7个党支部。", "另有。"]),
        ("开展「讲清楚。说明白」活动。回应关切。", ["开展「讲清楚。说明白」活动。", "回应关切。"]),
        # numbers are never cut; ';' after a number is this corpus's 分号
        ("占3.5%;有2.1万人认为“较好”。", ["占3.5%;", "有2.1万人认为“较好”。"]),
        # ASCII ! ? end a sentence after a Chinese character; a ?? run is mojibake
        ("正紧锣密鼓的进行!基层党支部可以以此次为抓手。",
         ["正紧锣密鼓的进行!", "基层党支部可以以此次为抓手。"]),
        ("问题共解??茖W考核评价,坚持工作分类管理。", ["问题共解??茖W考核评价,坚持工作分类管理。"]),
        ("坚持日??己?、专项督查相结合。", ["坚持日??己?、专项督查相结合。"]),
        ("如何融合?这是问题……下一句。", ["如何融合?", "这是问题……", "下一句。"]),
        # a lost closing quote does not swallow the rest of the paragraph
        ("认为“抓党建是务虚。业务才是实。", ["认为“抓党建是务虚。", "业务才是实。"]),
    ],
)  # fmt: skip
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_colon_before_an_enumeration_ends_the_sentence() -> None:
    line = line_of("004_2", "国有企业党建工作与生产经营相互融合")
    sentences = split_sentences(line)
    assert sentences[0] == "国有企业党建工作与生产经营相互融合,主要体现在以下五个方面:"
    assert [s[:2] for s in sentences[1:]] == ["首先", "其次", "再者", "第四", "最后"]


def test_sentences_rebuild_the_paragraph() -> None:
    for name in ("001_0", "002_1", "003_0"):
        for line in article(name)[1].split("\n"):
            assert "".join(split_sentences(line)).replace(" ", "") == line.replace(" ", "")


# -- paragraph lines ------------------------------------------------------------------------


def test_broken_lines_are_joined_and_numbered_lines_kept_apart() -> None:
    lines = article_lines(article("002_2")[1])
    assert any("任务依然艰巨。问卷调查中,关于" in x for x in lines)  # broken mid-sentence
    lines = article_lines(article("004_0")[1])
    assert any("一方面,机关业务工作不可能孤立地进行" in x for x in lines)  # ends with a comma
    lines = article_lines(article("000_0")[1])
    target = next(i for i, x in enumerate(lines) if x.endswith("完成了专业机构改建的阶段目标"))
    assert lines[target + 1].startswith("1、有效整合资源")  # no full stop, but a number follows


def test_glued_headings_are_put_on_their_own_lines() -> None:
    lines = article_lines(article("004_0")[1])
    assert "一、正确认识机关党建与业务工作的辩证关系" in lines
    assert any(x.startswith("1、机关党建促进业务工作的开展") for x in lines)
    assert any(x.startswith("2、业务工作丰富机关党建的内容") for x in lines)
    assert any(x.startswith("三、扎实推进机关党建与业务工作的有机融合") for x in lines)


def test_a_heading_broken_over_two_lines_is_rejoined() -> None:
    lines = article_lines(article("000_3")[1])
    assert "一、推动党建与业务工作“真”融合" in lines
    assert "“真”融合" not in lines


# -- headings and outline -------------------------------------------------------------------


def headings(out: pd.DataFrame) -> list[tuple[int, str]]:
    rows = out[out["is_heading"] & (out["heading_level"] > 0)]
    return list(zip(rows["heading_level"], rows["text"], strict=True))


@pytest.mark.parametrize(
    "line, style, number, label",
    [
        ("一、调研的基本情况", "cn", 1, "调研的基本情况"),
        ("（三）原因剖析", "cn_paren", 3, "原因剖析"),
        ("(二)工作定位上思路不清。一是党建目标脱离实际。", "cn_paren", 2, "工作定位上思路不清"),
        ("1.铸牢政治“压舱石”。坚持以党的政治建设为统领", "num", 1, "铸牢政治“压舱石”"),
        ("2、建立考评机制。党建工作主要依靠督促检查措施抓工作落实", "num", 2, "建立考评机制"),
        ("3．发挥融合效应。要扬优势", "num", 3, "发挥融合效应"),
        ("（1）国有企业党建工作要服务于生产经营工作", "num_paren", 1, "国有企业党建工作要服务于生产经营工作"),
        ("②群团联动加“滋味”。", "circled", 2, "群团联动加“滋味”"),
        ("第二,应当明确党建工作和业务工作是服务与被服务的关系。", "ordinal", 2,
         "应当明确党建工作和业务工作是服务与被服务的关系"),
        ("首先,融入公司的管理过程中,在党的政治建设时,要发挥党的统一领导作用。", "order", None,
         "融入公司的管理过程中,在党的政治建设时,要发挥党的统一领导作用"),
        ("◎ 对策思考", "star", None, "对策思考"),
        ("2.3深度融合思想文化,增强国企党建动力", "num_dotted", 3, "深度融合思想文化,增强国企党建动力"),
        ("2国有企业党建工作与经营工作深度融合的策略", "num_bare", 2, "国有企业党建工作与经营工作深度融合的策略"),
    ],
)  # fmt: skip
def test_heading_markers(line: str, style: str, number: int | None, label: str) -> None:
    heading = parse_numbered(line)
    assert heading is not None
    assert (heading.style, heading.number, heading.label) == (style, number, label)


@pytest.mark.parametrize("line", ["2018年底长江三峡工程", "3.5%的人认为", "2019(2):55-56.", "2"])
def test_numbers_that_are_not_headings(line: str) -> None:
    assert parse_numbered(line) is None


def test_numbered_heading_styles_and_levels() -> None:
    out = sample("001_0")  # ◎ / （一） / 1.
    levels = dict((text, level) for level, text in headings(out))
    assert levels["◎ 实践探索"] == 1
    assert (
        levels["(一)以学习贯彻习近平新时代中国特色社会主义思想为主线,著力解决政治意识淡化问题。"]
        == 2
    )
    assert levels["1.铸牢政治“压舱石”。"] == 3
    assert levels["◎ 对策思考"] == 1
    out = sample("004_1")  # 引言 / bare "1标题" / 2.1
    levels = dict((text, level) for level, text in headings(out))
    assert levels["引言"] == 1
    assert levels["1国有企业党建工作与经营工作深度融合的重要性概述"] == 1
    assert levels["2.1从思想认识方面进行深度融合"] == 2
    assert levels["结语"] == 1


def test_heading_sharing_its_line_with_body() -> None:
    out = sample("003_0")
    row = out[out["text"] == "(一)工作态度上热情不高。"].iloc[0]
    assert row["is_heading"] and row["heading_level"] == 2
    body = out[out["text"] == "一是主动性不够足。"].iloc[0]
    assert not body["is_heading"]
    assert body["heading_path"] == ["存在问题", "工作态度上热情不高"]
    assert body["section_id"] == row["section_id"]


def test_headings_without_numbers() -> None:
    out = sample("002_2")  # "一是调阅汇报材料。" alone on its line: a claim heading
    row = out[out["text"] == "一是调阅汇报材料。"].iloc[0]
    assert row["is_heading"] and row["claim_index"] == 0
    body = out[out["text"].str.startswith("结合开展的党建和党风廉政建设约谈工作")].iloc[0]
    assert body["heading_path"] == ["调研的基本情况", "调阅汇报材料"]
    assert body["claim_index"] == 0
    out = sample("000_3")  # "思想要重视。办公厅…": a run of short lead sentences
    leads = out[out["is_heading"] & (out["heading_level"] == 2)]["text"].tolist()
    assert leads[:4] == ["思想要重视。", "书记要带头。", "学习为引领。", "纪律为底线。"]
    body = out[out["text"].str.startswith("办公厅日常业务工作繁忙")].iloc[0]
    assert body["heading_path"] == ["推动党建与业务工作“真”融合", "思想要重视"]
    # a single short first sentence is not a heading ("注重调研破题。" has no sibling)
    assert not out["is_heading"][out["text"] == "注重调研破题。"].any()


def test_lead_in_line_covers_only_its_enumeration() -> None:
    out = sample("000_2")
    lead = "导致机关党建与业务“两张皮”的原因主要有两方面。"
    item = out[out["text"].str.startswith("二是方式方法问题")].iloc[0]
    after = out[out["text"].str.startswith("党建工作应围绕中心、服务大局")].iloc[0]
    assert item["heading_path"] == [lead.rstrip("。")]
    assert after["heading_path"] == []


def test_mixed_numbering_styles() -> None:
    out = sample("004_3")  # "1.…的原因" then "二、…" then "（一）"
    levels = [(level, text[:2]) for level, text in headings(out)]
    assert (1, "1.") in levels and (1, "二、") in levels and (1, "三、") in levels
    assert (2, "(一") in levels
    relation = out[out["text"] == "(一)党建工作是业务工作的基础"].iloc[0]
    assert relation["heading_path"] == ["业务工作和党建工作之间的关系", "党建工作是业务工作的基础"]


def test_levels_follow_the_order_styles_are_first_seen() -> None:
    # 003 renumbered against convention: top level "（1）", second level "①".
    title, text = article("003_0")
    text = re.sub(
        r"^([一二三四])、", lambda m: f"（{'一二三四'.index(m[1]) + 1}）", text, flags=re.M
    )
    text = re.sub(r"^\(([一二三])\)", lambda m: "①②③"["一二三".index(m[1])], text, flags=re.M)
    out = run(("renumbered", title, text))
    levels = dict((t, level) for level, t in headings(out))
    assert levels["（2）存在问题"] == 1
    assert levels["①工作态度上热情不高。"] == 2
    assert levels["（3）原因剖析"] == 1
    assert parse_numbered("①工作态度上热情不高。").number == 1


def test_ordinal_and_order_headings_at_line_start() -> None:
    out = sample("000_1")  # "第一,要摆正…。党建工作…" under "二、"
    firsts = out[out["text"].str.match(r"第[一二三],")]
    assert firsts["is_heading"].all() and (firsts["heading_level"] == 2).all()
    assert firsts["claim_index"].tolist() == [0, 1, 2]
    # 004 篇三 lists its five points in one paragraph; put each on its own line.
    line = line_of("004_2", "国有企业党建工作与生产经营相互融合")
    lines = split_sentences(line)
    found = find_headings(["二、国有企业党建工作与生产经营深度融合的具体内容", *lines])
    assert [h.style if h else None for h in found[2:]] == [
        "order",
        "order",
        "order",
        "ordinal",
        "order",
    ]
    assert found[2].label.startswith("融入公司的管理过程中")


def test_numbering_restarts_per_article_and_per_section() -> None:
    out = run(("a", *article("002_0")), ("b", *article("002_2")))
    for doc in ("a", "b"):
        rows = out[(out["doc_id"] == doc) & (out["text"] == "一、调研的基本情况")]
        assert rows["heading_level"].tolist() == [1]
    second = sample("002_1")  # "(一)" under "一、" and again under "二、"
    firsts = second[second["text"].str.startswith("(一)")]
    assert firsts["heading_level"].tolist() == [2, 2, 2]
    assert len({tuple(p[:1]) for p in firsts["heading_path"]}) == 3


def test_section_and_sentence_ids() -> None:
    out = sample("003_0")
    assert out["sent_id"].tolist() == [f"003_0:{n:04d}" for n in range(len(out))]
    assert out["section_id"].str.fullmatch(r"003_0:s\d{3}").all()
    assert out["section_id"].iloc[0] == "003_0:s000"  # the title, before any heading
    heading = out[out["text"] == "三、原因剖析"].iloc[0]
    inner = out[out["text"] == "(一)思想认识不到位。"].iloc[0]
    assert heading["section_id"] < inner["section_id"]
    below = out[out["text"] == "一是存在模糊认识。"].iloc[0]
    assert below["section_id"] == inner["section_id"]
    assert below["heading_path"] == ["原因剖析", "思想认识不到位"]


# -- claims ---------------------------------------------------------------------------------


def test_claims_in_a_paragraph_that_packs_four_items() -> None:
    out = sample("000_2")
    para = out[out["text"] == "一是党建工作与业务工作内容不同。"]["para_index"].iloc[0]
    rows = out[out["para_index"] == para]
    heads = rows[rows["text"].str.match("[一二三四]是")]
    assert heads["claim_index"].tolist()[:4] == [0, 1, 2, 3]
    assert rows["claim_index"].iloc[0] == -1  # "党建工作应围绕中心…" before the items
    lead = rows[rows["text"].str.startswith("导致党建工作与业务工作")]
    assert lead["claim_index"].tolist() == [-1]
    # the paragraph then starts a second enumeration: indexes restart
    assert heads["claim_index"].tolist()[4:] == [0, 1, 2]


def test_claims_mid_paragraph_under_a_shared_line_heading() -> None:
    out = sample("003_0")
    rows = out[out["heading_path"].map(lambda p: p[-1:] == ["工作态度上热情不高"])]
    assert rows["claim_index"].tolist() == [-1, 0, 0, 1, 1, 2, 2]
    assert rows["claim_id"].iloc[1] == rows["claim_id"].iloc[2] != rows["claim_id"].iloc[3]
    assert rows["claim_text"].iloc[1] == "一是主动性不够足。" + rows["text"].iloc[2]
    assert rows["claim_id"].iloc[0] == "" and rows["claim_text"].iloc[0] == ""


def test_yao_claims_and_mixed_families() -> None:
    out = sample("000_2")
    heads = out[out["text"].str.match("[一二三四][要是](?:提高|加强|注重|对照)")]
    assert heads["claim_index"].tolist() == [0, 1, 2, 3]  # 一要 二要 三是 四是
    out = sample("004_1")  # "第一,加强思想理论教育。…二要加强形势任务教育。"
    second = out[out["text"] == "二要加强形势任务教育。"].iloc[0]
    assert second["claim_index"] == 1


def test_order_words_continue_only_an_open_enumeration() -> None:
    out = sample("004_2")
    heads = out[out["text"].str.match("(首先|其次|再者|第四|最后),融入")]
    assert heads["claim_index"].tolist() == [0, 1, 2, 3, 4]
    out = sample("004_3")  # "其次,一些基层党员认为…" with no 首先 before it
    row = out[out["text"].str.startswith("其次,一些基层党员认为")].iloc[0]
    assert row["claim_index"] == -1
    assert claim_marker("其次,一些基层党员认为") is not None
    tracker = ClaimTracker()
    assert tracker.sentence("其次,一些基层党员认为。") == (-1, -1)


def test_sentences_outside_enumerations_have_no_claim() -> None:
    out = sample("001_0")
    assert (out["claim_index"] == -1).all()
    assert (out["claim_id"] == "").all()


@pytest.mark.parametrize(
    "module",
    ["sentences", "claims", "headings", "paragraphs", "outline", "roles", "classifier", "assign",
     "stage", "ngrams"],
)  # fmt: skip
def test_docstring_examples(module: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(f"pipeline.structure.{module}"))
    assert result.attempted > 0 and result.failed == 0
