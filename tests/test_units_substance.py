"""The batched substance scan gives exactly what the rule says, sentence by sentence.

``sentence_substance`` joins sentences into one text and scans it with one regex per marker;
these tests hold it against a plain per-sentence reading of the rule (the code it replaced)
on the sample corpus and on sentences built to sit on the edges of the joined text.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from pipeline.segment import DEFAULT_FORMULAIC, StopWords
from pipeline.units import substance
from pipeline.units.substance import (
    CONCRETE_PATTERNS,
    concrete_kinds,
    formulaic_share,
    sentence_substance,
    strip_enumerator,
)

STOP = StopWords.load(None, DEFAULT_FORMULAIC)
_CLAUSE = re.compile(r"[^，。；：！？、,;:!?\s]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# Sentences whose markers sit where the joined text could go wrong: at the very end or start
# of a sentence (next to the separator), split by a line break, or in a slogan at the edge.
EDGES = [
    "",
    "一是",
    "2019",
    "年底前完成整改",
    "全年开展“三会一课”12次",
    "截至2020",
    "12\n%的党员",
    "《关于加强\n基层党建的意见》",
    "抓好班子、带好队伍，把好方向",
    "  坚持围绕中心、服务大局、 抓好班子 带好队伍\u3000以党章为指导",
    "三是石家庄市委组织部",
    "全市、我局、纳入局管理",
    "二〇一九年，我们",
    "高度重视",
]


def _slogan_spans(text: str) -> list[tuple[int, int]]:
    """The documented slogan rule, clause by clause (the per-sentence code before batching)."""
    clauses = [(m.start(), m.end(), len(_CJK.findall(m.group(0)))) for m in _CLAUSE.finditer(text)]
    spans: list[tuple[int, int]] = []
    run: list[tuple[int, int, int]] = []
    for clause in [*clauses, (0, 0, 0)]:
        if 2 <= clause[2] <= 6 and (not run or run[-1][1] + 1 >= clause[0]):
            run.append(clause)
            continue
        if len(run) >= 2 and any(n == 4 for _, _, n in run):
            spans.extend((start, end) for start, end, _ in run)
        run = [clause] if 2 <= clause[2] <= 6 else []
    return spans


def _reference_share(text: str, stopwords: StopWords | None) -> float:
    body = strip_enumerator(text)
    marked = np.zeros(len(body), dtype=bool)
    for start, end in _slogan_spans(body) + (stopwords.spans(body) if stopwords else []):
        marked[start:end] = True
    cjk = [m.start() for m in _CJK.finditer(body)]
    return float(marked[cjk].mean()) if cjk else 0.0


def _reference_kinds(text: str) -> list[str]:
    body = strip_enumerator(text)
    kinds = []
    for kind, pattern in CONCRETE_PATTERNS.items():
        matches = pattern.finditer(body)
        if kind == "place":
            matches = (m for m in matches if substance._is_place(m))
        if next(iter(matches), None) is not None:
            kinds.append(kind)
    return kinds


@pytest.fixture(scope="module")
def texts(sample_tables) -> list[str]:
    return [*sample_tables["sentences"]["text"], *EDGES]


@pytest.mark.parametrize("stopwords", [STOP, None], ids=["phrases", "no-phrases"])
def test_batched_flags_equal_the_per_sentence_rule(texts, stopwords):
    frame = pd.DataFrame({"sent_id": range(len(texts)), "doc_id": "d", "text": texts})
    flags = sentence_substance(frame, stopwords=stopwords)
    expected = [_reference_share(t, stopwords) for t in texts]
    assert flags["formulaic_share"].tolist() == list(np.round(expected, 6))
    assert flags["concrete_kinds"].tolist() == [_reference_kinds(t) for t in texts]
    assert flags["formulaic"].sum() > 0 and flags["concrete"].sum() > 0


def test_results_do_not_depend_on_the_batch_size(texts, monkeypatch):
    frame = pd.DataFrame({"sent_id": range(len(texts)), "doc_id": "d", "text": texts})
    whole = sentence_substance(frame, stopwords=STOP)
    monkeypatch.setattr(substance, "_BATCH", 7)
    pd.testing.assert_frame_equal(sentence_substance(frame, stopwords=STOP), whole)


def test_fast_scanners_find_the_sentences_the_patterns_find(texts):
    for kind, scanner in substance._SCANNERS.items():
        pattern = CONCRETE_PATTERNS[kind]
        for text in texts:
            assert bool(scanner.search(text)) == bool(pattern.search(text)), (kind, text)


def test_single_sentence_helpers_follow_the_rule():
    for text in EDGES:
        assert concrete_kinds(text) == _reference_kinds(text), text
        assert formulaic_share(text, STOP) == _reference_share(text, STOP), text
