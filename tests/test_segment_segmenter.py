"""Segmenter: private tokenizers, cut/tag/analyse, POS filter, stop words, pickling."""

from __future__ import annotations

import pickle
from pathlib import Path

import jieba
import jieba.posseg
import opencc
import pytest
import rjieba

from pipeline.segment import Lexicon, Segmenter, StopWords
from pipeline.segment.segmenter import _outside

SAMPLE = Path(__file__).resolve().parents[1] / "corpus" / "sample"


@pytest.fixture(scope="module")
def paragraphs() -> list[str]:
    converter = opencc.OpenCC("t2s")
    return [
        line
        for file in sorted(SAMPLE.glob("*.txt"))
        for line in converter.convert(file.read_text(encoding="utf-8")).split("\n")
        if line.strip()
    ]


@pytest.fixture(scope="module")
def seg() -> Segmenter:
    return Segmenter(backend="rjieba")


@pytest.fixture(scope="module")
def seg_jieba() -> Segmenter:
    return Segmenter(backend="jieba")


def test_two_segmenters_with_different_lexicons_do_not_affect_each_other():
    plain = Segmenter(backend="rjieba", lexicon=None)
    extended = plain.with_terms(["党建联系点"])
    other = Segmenter(backend="rjieba", lexicon=Lexicon.from_terms(["党建业务"]))
    assert extended.cut("建立党建联系点") == ["建立", "党建联系点"]
    assert plain.cut("建立党建联系点") != ["建立", "党建联系点"], "with_terms left plain alone"
    assert "党建联系点" not in other.cut("建立党建联系点")
    assert other.cut("党建业务融合") == ["党建业务", "融合"]
    assert "党建业务" not in extended.cut("党建业务融合")


@pytest.mark.parametrize("backend", ["rjieba", "jieba"])
def test_segmenters_leave_module_level_tokenizers_untouched(backend):
    seg = Segmenter(backend=backend, lexicon=Lexicon.from_terms(["党建联系点", "专职化"]))
    assert seg.cut("建立党建联系点推进专职化") == ["建立", "党建联系点", "推进", "专职化"]
    assert "党建联系点" not in jieba.lcut("建立党建联系点", HMM=False)
    assert not rjieba.has_word("党建联系点") and not rjieba.has_word("专职化")


def test_cut_keeps_every_character_and_uses_the_lexicon(seg, paragraphs):
    for text in paragraphs[:200]:
        assert "".join(seg.cut(text)) == text
    assert seg.cut("完善考核机制，推进专职化、兼职化") == [
        "完善", "考核机制", "，", "推进", "专职化", "、", "兼职化",
    ]  # fmt: skip


def test_hmm_is_off_by_default_and_can_be_switched_on():
    plain = Segmenter(lexicon=None)
    with_hmm = Segmenter(lexicon=None, hmm=True)
    assert plain.hmm is False
    assert plain.cut("二是实地调研走访") == ["二", "是", "实地", "调研", "走访"]
    assert with_hmm.cut("二是实地调研走访") == ["二是", "实地", "调研", "走访"]


def test_tag_uses_lexicon_tags(seg):
    assert seg.tag("推进专职化，落实三会一课") == [
        ("推进", "v"), ("专职化", "vn"), ("，", "x"), ("落实", "a"), ("三会一课", "j"),
    ]  # fmt: skip


def test_fast_tags_equal_the_backends_own_taggers_on_the_sample(seg, seg_jieba, paragraphs):
    own_rjieba = rjieba.Jieba()
    own_jieba = jieba.Tokenizer()
    own_pos = jieba.posseg.POSTokenizer(own_jieba)
    for entry in seg.installed_lexicon.entries:
        own_rjieba.add_word(entry.word, entry.freq, entry.tag)
    for entry in seg_jieba.installed_lexicon.entries:
        own_jieba.add_word(entry.word, entry.freq, entry.tag)
    lexicon = seg.lexicon
    for text in paragraphs:
        # rjieba keeps a dictionary word's own tag when add_word re-weights it
        native = [(w, lexicon.tag_of(w) or t) for w, t in own_rjieba.tag(text, False)]
        assert seg.tag(text) == native
        assert seg_jieba.tag(text) == [(p.word, p.flag) for p in own_pos.lcut(text, HMM=False)]


def test_analyse_filters_by_pos_length_and_stop_words(seg):
    tokens = seg.analyse("我们要认真落实三会一课制度，党员的先锋模范作用在这里得到了发挥。")
    assert tokens == ["三会一课", "制度", "党员", "先锋模范作用", "发挥"]
    assert "要" not in tokens and "的" not in tokens, "function words go"
    assert "落实" not in tokens, "认真落实 is formulaic"


def test_lexicon_terms_are_kept_whatever_their_tag():
    lexicon = Lexicon.from_terms(["党建联系点"], tag="x")
    seg = Segmenter(lexicon=lexicon, stopwords=None, pos_keep=("n",))
    assert seg.tag("建立党建联系点") == [("建立", "v"), ("党建联系点", "x")]
    assert seg.analyse("建立党建联系点") == ["党建联系点"]
    plain = Segmenter(lexicon=None, stopwords=None, pos_keep=("n",))
    assert plain.analyse("建立党建联系点") == ["联系点"]


def test_pos_keep_and_min_token_chars_are_parameters():
    text = "党员要学习党章"
    assert Segmenter(lexicon=None, stopwords=None).analyse(text) == ["党员", "学习", "党章"]
    assert Segmenter(lexicon=None, stopwords=None, pos_keep=("n",)).analyse(text) == [
        "党员",
        "党章",
    ]
    assert Segmenter(lexicon=None, stopwords=None, min_token_chars=1).analyse(text) == [
        "党员", "要", "学习", "党章",
    ]  # fmt: skip
    assert "习近平" in Segmenter(lexicon=None).analyse("学习习近平总书记讲话"), "nrfg counts as nr"


def test_formulaic_patterns_drop_only_their_literal_parts(seg):
    text = "坚持以习近平新时代中国特色社会主义思想为指导，进一步加强党建工作"
    tokens = seg.analyse(text)
    assert "习近平新时代中国特色社会主义思想" in tokens
    assert "指导" not in tokens and "加强" not in tokens
    assert "党建工作" in tokens
    no_formulas = Segmenter(stopwords=StopWords(words=seg.stopwords.words))
    assert "指导" in no_formulas.analyse(text) and "加强" in no_formulas.analyse(text)


def test_pickle_rebuilds_an_equal_independent_segmenter(seg, paragraphs):
    extended = seg.with_terms(["生产经营"])
    clone = pickle.loads(pickle.dumps(extended))
    assert clone is not extended and clone._tokenizer is not extended._tokenizer
    assert clone.lexicon == extended.lexicon and clone.backend == "rjieba"
    assert clone.installed_lexicon == extended.installed_lexicon
    for text in paragraphs[:300]:
        assert clone.analyse(text) == extended.analyse(text)
    assert "生产经营" in clone.cut("企业生产经营")


def test_bad_arguments_say_what_is_wrong():
    with pytest.raises(ValueError, match="backend 'thulac' is not one of rjieba, jieba"):
        Segmenter(backend="thulac")
    with pytest.raises(ValueError, match="min_token_chars = 0"):
        Segmenter(min_token_chars=0)


def test_formulaic_spans_drop_exactly_the_tokens_lying_wholly_inside(seg, paragraphs):
    dropped = 0
    for text in paragraphs[:400]:
        tokens = seg.cut(text)
        spans = seg.stopwords.spans(text)
        marked = {i for start, end in spans for i in range(start, end)}
        expected, position = [], 0
        for token in tokens:  # plain definition: every character of the token is marked
            inside = all(i in marked for i in range(position, position + len(token)))
            expected += [] if inside else [token]
            position += len(token)
        dropped += len(tokens) - len(expected)
        assert _outside(tokens, spans) == expected, text
    assert dropped > 100


def test_equal_analysed_tokens_are_one_string_object(seg, paragraphs):
    first = [t for text in paragraphs[:50] for t in seg.analyse(text)]
    again = [t for text in paragraphs[:50] for t in seg.analyse(text)]
    assert first == again
    assert all(a is b for a, b in zip(first, again, strict=True))
