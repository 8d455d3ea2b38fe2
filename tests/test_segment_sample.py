"""On the five sample reports (OpenCC t2s): lexicon terms stay whole; the backends agree."""

from __future__ import annotations

from pathlib import Path

import opencc
import pytest

from pipeline.segment import Lexicon, Segmenter

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
def segmenters() -> dict[str, Segmenter]:
    return {name: Segmenter(backend=name) for name in ("rjieba", "jieba")}


def spans(tokens: list[str]) -> list[tuple[int, int]]:
    result, start = [], 0
    for token in tokens:
        result.append((start, start + len(token)))
        start += len(token)
    return result


def cut_through(seg: Segmenter, text: str) -> list[str]:
    """Lexicon terms whose occurrence in ``text`` is not one token (nor inside a longer term)."""
    token_spans = spans(seg.cut(text))
    tokens = {span: text[span[0] : span[1]] for span in token_spans}
    bad = []
    for term in seg.lexicon.words:
        start = text.find(term)
        while start >= 0:
            end = start + len(term)
            whole = (start, end) in tokens
            inside_longer_term = any(
                a <= start and end <= b and (a, b) != (start, end) and seg.is_term(tokens[(a, b)])
                for a, b in token_spans
            )
            if not (whole or inside_longer_term):
                bad.append(f"{term} in …{text[max(0, start - 8) : end + 8]}…: {seg.cut(text)}")
            start = text.find(term, start + 1)
    return bad


@pytest.mark.parametrize("backend", ["rjieba", "jieba"])
def test_every_lexicon_term_is_one_token_wherever_it_occurs(segmenters, paragraphs, backend):
    seg = segmenters[backend]
    text = "\n".join(paragraphs)
    for term in ("考核机制", "专职化", "两张皮", "三会一课"):
        assert term in text and seg.is_term(term)
    occurrences = sum(text.count(term) for term in seg.lexicon.words)
    assert occurrences > 2000
    bad = [problem for paragraph in paragraphs for problem in cut_through(seg, paragraph)]
    assert bad == []


def test_checker_catches_a_cut_through_term(segmenters):
    # Guard for the test above: overlapping terms cannot both be whole, and it notices.
    overlapping = Segmenter(lexicon=Lexicon.from_terms(["国有企业党建", "党建工作"]))
    assert len(cut_through(overlapping, "做好国有企业党建工作")) == 1
    text = "完善考核机制，推进专职化，解决两张皮，落实三会一课"
    assert cut_through(segmenters["rjieba"], text) == []
    plain = Segmenter(lexicon=None).cut(text)
    assert "三会一课" not in plain and "考核机制" not in plain and "专职化" not in plain


def test_rjieba_and_jieba_agree_on_the_sample(segmenters, paragraphs):
    same = total = 0
    for text in paragraphs:
        reference = spans(segmenters["jieba"].cut(text))
        candidate = set(spans(segmenters["rjieba"].cut(text)))
        total += len(reference)
        same += sum(span in candidate for span in reference)
    agreement = same / total
    print(f"token agreement rjieba vs jieba (lexicon, HMM off): {agreement:.4%} of {total} tokens")
    assert agreement >= 0.999


def test_both_backends_give_the_same_analysed_tokens(segmenters, paragraphs):
    differing = [
        text
        for text in paragraphs
        if segmenters["jieba"].analyse(text) != segmenters["rjieba"].analyse(text)
    ]
    assert len(differing) <= len(paragraphs) // 1000
