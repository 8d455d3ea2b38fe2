"""Stop-word files: general token list and formulaic phrases/patterns."""

from __future__ import annotations

import pytest

from pipeline.segment import DEFAULT_FORMULAIC, DEFAULT_STOPWORDS, StopWords, StopWordsError


def test_default_files_are_plain_utf8_one_entry_per_line():
    stop = StopWords.load(DEFAULT_STOPWORDS, DEFAULT_FORMULAIC)
    assert len(stop.words) >= 300
    assert {"的", "了", "和", "与", "我们", "进行", "因此"} <= stop.words
    assert {
        "以…为指导",
        "深入贯彻",
        "高度重视",
        "认真落实",
        "进一步",
        "不断",
        "切实",
        "大力",
    } <= set(stop.phrases)
    for path in (DEFAULT_STOPWORDS, DEFAULT_FORMULAIC):
        for line in path.read_text(encoding="utf-8").splitlines():
            entry = line.split("#", 1)[0].strip()
            assert " " not in entry, f"{path}: one entry per line: {line!r}"


def test_spans_for_literals_and_gap_patterns():
    stop = StopWords(phrases=("进一步", "进一步加强", "以…为指导", "在…的领导下"))
    text = "以党的创新理论为指导，在部党组的领导下进一步加强党建，进一步完善"
    found = [text[a:b] for a, b in stop.spans(text)]
    assert found == ["以", "为指导", "在", "的领导下", "进一步加强", "进一步"]
    # the gap never crosses punctuation
    assert stop.spans("以党建，为指导") == []


def test_load_reads_comments_and_reports_bad_lines(tmp_path):
    path = tmp_path / "formulaic.txt"
    path.write_text("# 注释\n高度重视  # trailing comment\n\n以…为指导\n", encoding="utf-8")
    assert StopWords.load(None, path).phrases == ("高度重视", "以…为指导")
    path.write_text("高度 重视\n", encoding="utf-8")
    with pytest.raises(StopWordsError, match=r"formulaic\.txt:1: .*one entry per line"):
        StopWords.load(None, path)
    path.write_text("以…\n", encoding="utf-8")
    with pytest.raises(StopWordsError, match=r"formulaic\.txt:1: .*between two literal parts"):
        StopWords.load(None, path)
    with pytest.raises(StopWordsError, match="not found"):
        StopWords.load(tmp_path / "missing.txt")


def test_empty_stopwords_drop_nothing():
    assert StopWords().spans("进一步加强") == []
    assert StopWords().words == frozenset()
