"""The curated lexicon file and its checking loader, and frequency tuning on install."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.segment import DEFAULT_LEXICON, Lexicon, LexiconEntry, LexiconError
from pipeline.segment.backends import make_backend
from pipeline.segment.tuning import CONTEXT_TEMPLATES, install_lexicon

REQUIRED = [
    "两张皮",
    "三会一课",
    "两学一做",
    "一岗双责",
    "专职化",
    "兼职化",
    "考核机制",
    "党务干部",
    "主体责任",
    "形式主义",
    "官僚主义",
    "战斗堡垒",
    "先锋模范",
    "主题党日",
    "组织生活会",
    "民主评议",
    "党建品牌",
    "机关党建",
    "基层党组织",
    "党风廉政",
    "全面从严治党",
    "中心工作",
    "深度融合",
    "融合发展",
    "业务工作",
    "党建工作",
    "四风",
    "第一议题",
    "三严三实",
    "群众路线",
    "不忘初心",
    "牢记使命",
    "八项规定",
    "党支部书记",
    "政治站位",
]


def write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "lexicon.txt"
    path.write_bytes(data)
    return path


def test_curated_lexicon_is_clean_jieba_userdict_with_genre_terms():
    raw = DEFAULT_LEXICON.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw
    lines = raw.decode("utf-8").splitlines()
    assert all(len(line.split(" ")) == 3 for line in lines), "every line is 'word freq tag'"
    lexicon = Lexicon.load(DEFAULT_LEXICON)
    assert len(lexicon) >= 150 and lexicon.warnings == ()
    missing = [term for term in REQUIRED if term not in lexicon]
    assert missing == []
    assert all(entry.freq and entry.tag != "" for entry in lexicon.entries)
    assert lexicon.tag_of("三会一课") == "j"


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"\xef\xbb\xbf\xe4\xb8\xa4\xe5\xbc\xa0\xe7\x9a\xae 100 n\n", "BOM"),
        ("两张皮 100 n\r\n考核机制 100 n\r\n".encode(), "CRLF"),
        ("两张皮\t100 n\n".encode(), "stray whitespace"),
        ("两张皮  100 n\n".encode(), "stray whitespace"),
        ("两张皮 100 n \n".encode(), "stray whitespace"),
        ("两张皮\u3000100 n\n".encode(), "stray whitespace"),
    ],
)
def test_fixable_problems_raise_when_strict_and_are_cleaned_otherwise(tmp_path, data, problem):
    path = write(tmp_path, data)
    with pytest.raises(LexiconError, match=problem) as caught:
        Lexicon.load(path)
    assert f"{path}:1:" in str(caught.value), "names the file and line"
    lexicon = Lexicon.load(path, strict=False)
    assert lexicon.entries[0] == LexiconEntry("两张皮", 100, "n")
    assert any(problem in warning and f"{path}:1:" in warning for warning in lexicon.warnings)


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("两张皮, 100 n", "punctuation"),
        ("“两张皮” 100 n", "punctuation"),
        ("两张\x07皮 100 n", "control character"),
        ("两张\u200b皮 100 n", "invisible format character"),
        ("两张皮 100 n extra", "4 fields"),
        ("两张皮 100 N", "cannot read 'N'"),
        ("两张皮 -5 n", "cannot read '-5 n'"),
    ],
)
def test_unfixable_lines_are_rejected_with_file_and_line(tmp_path, line, problem):
    path = write(tmp_path, f"考核机制 100 n\n{line}\n专职化 100 vn\n".encode())
    with pytest.raises(LexiconError, match=problem) as caught:
        Lexicon.load(path)
    assert f"{path}:2:" in str(caught.value)
    lexicon = Lexicon.load(path, strict=False)
    assert lexicon.words == ("考核机制", "专职化")


def test_duplicates_missing_tag_and_freq(tmp_path):
    path = write(tmp_path, "两张皮\n考核机制 n\n两张皮 5 n\n".encode())
    with pytest.raises(LexiconError, match="duplicate of line 1"):
        Lexicon.load(path)
    lexicon = Lexicon.load(path, strict=False)
    assert lexicon.entries == (
        LexiconEntry("两张皮", None, "nz"),
        LexiconEntry("考核机制", None, "n"),
    )


def test_missing_and_non_utf8_files_name_the_file(tmp_path):
    with pytest.raises(LexiconError, match="not found"):
        Lexicon.load(tmp_path / "nope.txt")
    path = write(tmp_path, "两张皮 100 n\n".encode("gbk"))
    with pytest.raises(LexiconError, match="not UTF-8"):
        Lexicon.load(path)


def test_with_terms_is_immutable_and_checks_terms():
    base = Lexicon.from_terms(["两张皮"])
    bigger = base.with_terms(["党建联系点", "两张皮"], tag="nw")
    assert base.words == ("两张皮",)
    assert bigger.words == ("两张皮", "党建联系点") and bigger.tag_of("党建联系点") == "nw"
    with pytest.raises(LexiconError, match="punctuation"):
        base.with_terms(["党建,业务"])


@pytest.mark.parametrize("backend", ["rjieba", "jieba"])
def test_every_curated_entry_is_one_token_alone_and_in_context(backend):
    tokenizer = make_backend(backend, hmm=False)
    installed = install_lexicon(tokenizer, Lexicon.load(DEFAULT_LEXICON))
    assert installed.failed == ()
    for word in installed.lexicon.words:
        assert tokenizer.cut(word) == [word]
        for template in CONTEXT_TEMPLATES:
            tokens = tokenizer.cut(template.format(word))
            assert any(word == t or (word in t and t in installed.lexicon) for t in tokens), (
                word,
                tokens,
            )


@pytest.mark.parametrize("backend", ["rjieba", "jieba"])
def test_too_low_frequency_is_raised_until_the_entry_cuts_whole(backend):
    untuned = make_backend(backend, hmm=False)
    untuned.add_word("中心工作", 1, "n")
    assert untuned.cut("中心工作") == ["中心", "工作"], "freq 1 alone does not keep it whole"
    tokenizer = make_backend(backend, hmm=False)
    installed = install_lexicon(tokenizer, Lexicon((LexiconEntry("中心工作", 1, "n"),)))
    assert installed.failed == ()
    assert installed.lexicon.entries[0].freq > 1
    assert tokenizer.cut("围绕中心工作") == ["围绕", "中心工作"]


def test_entries_that_stay_split_are_reported_naming_the_file():
    # 党建 with a huge fixed frequency always beats 党|建工作, however much 建工作 is raised.
    lexicon = Lexicon(
        (LexiconEntry("党建", 999_999_999, "j"), LexiconEntry("建工作", 1, "n")), "my_lexicon.txt"
    )
    with pytest.warns(UserWarning, match=r"my_lexicon\.txt: 1 lexicon entr.*建工作"):
        installed = install_lexicon(make_backend("rjieba", hmm=False), lexicon, templates=("党{}",))
    assert installed.failed == ("建工作",)
