"""Structure stage: the fast forms compute exactly what the plain forms they replace compute.

The sentence splitter, the glued-heading cutter, the cue-word regexes and the character n-gram
counter were rewritten for speed (no per-character Python loop; regexes that Python's re can
scan by first character; numpy instead of a dict per n-gram). Each is checked here against a
plain reference on the fixture articles (cut from corpus/sample) and on seeded random strings
dense in the characters the rules are about.
"""

from __future__ import annotations

import random
import re
from itertools import accumulate
from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer, TfidfVectorizer

from pipeline.structure import ngrams, roles
from pipeline.structure.claims import CLAIM_MARKER
from pipeline.structure.classifier import normalise
from pipeline.structure.ngrams import CharNgramCounter
from pipeline.structure.paragraphs import _unglue
from pipeline.structure.sentences import split_sentences

DOCS = Path(__file__).parent / "data" / "structure" / "docs"


@pytest.fixture(scope="module")
def lines() -> list[str]:
    """Every non-empty line of the fixture articles."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(DOCS.glob("*.txt"))]
    return [line.strip() for text in texts for line in text.splitlines() if line.strip()]


def noise(alphabet: str, count: int, longest: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choices(alphabet, k=rng.randint(0, longest))) for _ in range(count)]


# -- sentences: the per-character scanner the regex splitter replaced -------------------------

PAIRS = {"“": "”", "‘": "’", "「": "」", "『": "』", "《": "》", "（": "）", "(": ")", "【": "】"}
CLOSERS = set(PAIRS.values())


def reference_split(text: str) -> list[str]:
    """Mark what lies inside matched pairs (≤150 chars, opener ≤8 deep), cut after stops."""
    inside, stack = [0] * (len(text) + 1), []
    for i, ch in enumerate(text):
        if ch in PAIRS:
            stack.append((ch, i))
        elif ch in CLOSERS:
            for k in range(len(stack) - 1, max(-1, len(stack) - 9), -1):
                if PAIRS[stack[k][0]] == ch:
                    start = stack[k][1]
                    del stack[k:]
                    if i - start <= 150:
                        inside[start + 1] += 1
                        inside[i] -= 1
                    break
    depth = [d > 0 for d in accumulate(inside[: len(text)])]

    def is_stop(i: int) -> bool:
        ch, before, after = text[i], text[i - 1 : i], text[i + 1 : i + 2]
        if ch in "。！？；…;":
            return True
        if ch in "!?":
            cjk = bool(re.match(r"[\u3400-\u9fff”’」』》）)]", before))
            return (
                cjk and after != ch and before != ch and (not after or after not in "、，,；;：:")
            )
        return ch in "：:" and bool(CLAIM_MARKER.match(text, i + 1))

    pieces, start, i = [], 0, 0
    while i < len(text):
        i += 1
        if depth[i - 1] or not is_stop(i - 1):
            continue
        while i < len(text) and not depth[i] and (text[i] in "。！？；…;" or text[i] in CLOSERS):
            i += 1
        pieces.append(text[start:i])
        start = i
    pieces.append(text[start:])
    return [p.strip() for p in pieces if p.strip()]


def test_split_sentences_matches_the_character_scanner(lines: list[str]) -> None:
    alphabet = "“”‘’「」『』《》（）()【】。！？；…;!?：:、，,一二是要首先其次第 a3.%党建工作"
    texts = lines + noise(alphabet, 20_000, 40) + noise(alphabet + "字" * 40, 300, 400, seed=1)
    different = [t for t in texts if split_sentences(t) != reference_split(t)]
    assert not different, different[:3]


# -- paragraph lines: the zero-width split the two scans replaced ------------------------------

_CN = "一二三四五六七八九十"
GLUED = re.compile(
    rf"(?<=[。；;！？])(?=[{_CN}]{{1,3}}、|\d{{1,2}}、|[（(][{_CN}\d]{{1,2}}[）)])"
    r"|(?<=[\u4e00-\u9fff])(?<!第)(?=\d{1,2}、[\u4e00-\u9fff])"
)


def test_unglue_matches_the_zero_width_split(lines: list[str]) -> None:
    texts = lines + noise("。；;！？一二三十、（()）12第中文 a", 20_000, 20)
    different = [t for t in texts if _unglue(t) != GLUED.split(t)]
    assert not different, different[:3]


# -- cue words: the readable patterns (look-behind first, ^) the fast ones rewrite -----------

PAST = (r"(?<![为除到])了(?!解)", r"已经", r"(?<![不未而])已(?!有)", r"先后", r"近年来",
        r"去年", r"\d+(?:余|多)?[次个名人家项期场篇条]")  # fmt: skip
MODAL = (r"(?<![重主需必只纲摘首紧不])要(?![求点素务])", r"(?<![适相响反供对效])应(?![用对])",
         r"必须", r"需要", r"务必", r"亟须")  # fmt: skip
READABLE = {
    "achievement": (r"取得", r"成效", r"受到.{0,8}(?:肯定|认可|好评|欢迎)", *PAST),
    "problem": (
        r"不够", r"不足", r"缺乏", r"缺少", r"(?<!不)存在", r"薄弱", r"不强", r"不高",
        r"不到位", r"不健全", r"不完善", r"不明显", r"脱节", r"淡化", r"弱化", r"虚化",
        r"流于形式", r"形同虚设", r"短板", r"欠缺", r"难以", r"有待", r"偏差", r"误区",
        r"(?:但|但是|然而)[^。；;]*?(?:仍|还|尚|依然)(?:需|有|存在|不|未|较|待)",
    ),
    "cause": (r"原因", r"导致", r"由于", r"根源", r"造成", r"源于", r"致使", r"之所以"),
    "countermeasure": (
        *MODAL, r"加强", r"健全", r"推进", r"完善", r"建立(?!了)", r"着力", r"强化",
        r"切实", r"确保", r"坚持", r"注重",
    ),
    "other": (
        r"如下[:：]", r"以下[^。；;]{0,8}方面[:：]", r"^总之", r"^综上",
        r"是[^。；;，,]{0,20}的(?:核心|基础|载体|关键|前提|保证|领域|第一责任人|组成部分)",
    ),
}  # fmt: skip


def reference_cues(sentence: str) -> dict[str, int]:
    cleaned = roles._REMOVED.sub("", sentence)
    counts = {
        role: len(re.findall("|".join(p), sentence if role == "countermeasure" else cleaned))
        for role, p in READABLE.items()
    }
    return {role: n for role, n in counts.items() if n}


def test_cue_patterns_match_their_readable_forms(lines: list[str]) -> None:
    chars = sorted(set("".join(p for ps in READABLE.values() for p in ps)) - set("\\^"))
    alphabet = "".join(chars) + "12３٣ 。，；;\n总之综上但是然而仍还尚"
    texts = [s for line in lines for s in split_sentences(line)] + noise(alphabet, 20_000, 30)
    for text in texts:
        assert dict(roles.sentence_cues(text)) == reference_cues(text), text
        past, modal = (len(re.findall("|".join(p), text)) for p in (PAST, MODAL))
        assert roles.tense(text) == (past, modal), text
        assert [roles.cue_count(text, r) for r in READABLE] == [
            reference_cues(text).get(r, 0) for r in READABLE
        ], text


# -- character n-grams: CharNgramCounter vs scikit-learn's char analyzer -----------------------


def same_matrix(a, b) -> bool:  # noqa: ANN001 - two scipy CSR matrices
    return (
        a.shape == b.shape
        and np.array_equal(a.indptr, b.indptr)
        and np.array_equal(a.indices, b.indices)
        and np.array_equal(a.data, b.data)
    )


@pytest.mark.parametrize("ngram_range, chunk", [((1, 3), 10_000), ((1, 3), 7), ((2, 3), 5),
                                               ((1, 1), 10_000), ((3, 3), 10_000)])  # fmt: skip
def test_char_ngram_counts_equal_scikit_learn(
    lines: list[str], ngram_range: tuple[int, int], chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ngrams, "CHUNK", chunk)  # transform in blocks of this many texts
    odd = ["", " ", "a  b\t\tc", "党\u3000\u3000建", "𠀀字𠀀", "2.1共收回问卷365份"]
    train, test = lines[::2] + odd, lines[1::2] + odd + ["没见过的字"]
    options = {"analyzer": "char", "ngram_range": ngram_range, "preprocessor": normalise}
    reference = CountVectorizer(**options).fit(train)
    counter = CharNgramCounter(ngram_range=ngram_range, preprocessor=normalise)
    counts = counter.fit_transform(train)
    assert counter.get_feature_names_out().tolist() == reference.get_feature_names_out().tolist()
    assert same_matrix(counts, reference.transform(train))
    assert same_matrix(counter.transform(test), reference.transform(test))
    tfidf = TfidfTransformer(sublinear_tf=True).fit(counts)
    expected = TfidfVectorizer(**options, sublinear_tf=True).fit(train).transform(test)
    assert same_matrix(tfidf.transform(counter.transform(test)), expected)


def test_char_ngram_counter_rejects_what_it_cannot_count() -> None:
    with pytest.raises(ValueError, match="ngram_range"):
        CharNgramCounter(ngram_range=(1, 4)).fit(["党建工作"])
    with pytest.raises(ValueError, match="empty vocabulary"):
        CharNgramCounter().fit(["", ""])
