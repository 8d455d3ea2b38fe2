"""TermDiscoverer on the sample: finds repeated compounds the lexicon lacks, estimator rules."""

from __future__ import annotations

from pathlib import Path

import opencc
import pandas as pd
import pytest

from pipeline.segment import Segmenter, TermDiscoverer, discover_terms

SAMPLE = Path(__file__).resolve().parents[1] / "corpus" / "sample"
# Real compounds the sample repeats (13, 12 and 44 times) that the curated lexicon lacks.
NEW_TERMS = ("党建考核", "党建活动", "生产经营")


@pytest.fixture(scope="module")
def texts() -> list[str]:
    converter = opencc.OpenCC("t2s")
    return [
        converter.convert(file.read_text(encoding="utf-8")) for file in sorted(SAMPLE.glob("*.txt"))
    ]


@pytest.fixture(scope="module")
def seg() -> Segmenter:
    return Segmenter(backend="rjieba")


@pytest.fixture(scope="module")
def fitted(texts, seg) -> TermDiscoverer:
    return TermDiscoverer().fit(texts, seg)


def test_init_only_stores_parameters_and_fit_returns_self(texts, seg):
    discoverer = TermDiscoverer(min_count=4, min_pmi=2.5, min_entropy=0.5, max_len=5)
    assert vars(discoverer) == {
        "min_count": 4,
        "min_pmi": 2.5,
        "min_entropy": 0.5,
        "max_len": 5,
        "accept_score": 0.0,
    }
    assert discoverer.fit(texts, seg) is discoverer
    terms = discoverer.terms_
    assert terms["freq"].min() >= 4 and terms["term"].str.len().max() <= 5


def test_terms_table_columns_and_deterministic_order(fitted, texts, seg):
    terms = fitted.terms_
    assert list(terms.columns[:7]) == [
        "term", "freq", "pmi", "left_entropy", "right_entropy", "score", "accepted",
    ]  # fmt: skip
    assert terms["term"].is_unique and terms["accepted"].dtype == bool
    order = terms.sort_values(["score", "term"], ascending=[False, True], kind="mergesort")
    assert order.index.tolist() == list(range(len(terms)))
    again = TermDiscoverer().fit(list(texts), seg).terms_
    pd.testing.assert_frame_equal(terms, again)
    assert fitted.accepted_ == terms.loc[terms["accepted"], "term"].tolist()


@pytest.mark.parametrize("term", NEW_TERMS)
def test_discovers_repeated_compounds_the_lexicon_lacks(fitted, seg, texts, term):
    assert not seg.is_term(term) and term not in seg.cut(term), "really new to the segmenter"
    assert sum(text.count(term) for text in texts) >= 9
    row = fitted.terms_.set_index("term").loc[term]
    assert row["accepted"], row.to_dict()
    assert row["pmi"] >= 3.0 and min(row["left_entropy"], row["right_entropy"]) >= 1.0
    assert term in seg.with_terms(fitted.accepted_).cut(f"做好{term}工作")


def test_rejects_fragments_stop_words_verb_phrases_and_lexicon_overlaps(fitted):
    terms = fitted.terms_.set_index("term")
    # 生态文明 (18 times) is always followed by 建设: a fragment, right entropy 0.
    assert not terms.loc["生态文明", "accepted"] and terms.loc["生态文明", "right_entropy"] == 0
    assert terms.loc["生态文明建设", "accepted"]
    assert not terms.index.str.contains("的").any(), "no candidate holds a stop word"
    assert "推动业务工作" not in terms.index, "a run opening with a verb is no term"
    # 国有企业党建 partly overlaps 党建工作 (国有企业|党建工作): accepting it would cut a term.
    assert terms.loc["国有企业党建", "lexicon_overlaps"] > 0
    assert not terms.loc["国有企业党建", "accepted"]


def test_accepted_terms_never_cut_through_curated_terms(fitted, seg, texts):
    extended = seg.with_terms(fitted.accepted_)
    assert extended.failed_terms == ()
    for text in texts:
        for line in text.split("\n"):
            tokens = extended.cut(line)
            start = 0
            bounds = set()
            for token in tokens:
                bounds.add(start)
                start += len(token)
            bounds.add(start)
            for term in seg.lexicon.words:
                at = line.find(term)
                while at >= 0:
                    inside = [b for b in bounds if at < b < at + len(term)]
                    assert not inside or any(
                        extended.is_term(t) and term in t and t != term for t in tokens
                    ), (term, tokens)
                    at = line.find(term, at + 1)


def test_thresholds_change_acceptance(texts, seg, fitted):
    strict = TermDiscoverer(min_pmi=8.0, min_entropy=2.0, accept_score=15.0).fit(texts, seg)
    assert 0 < len(strict.accepted_) < len(fitted.accepted_)
    assert "生产经营" in strict.accepted_ and "党建活动" not in strict.accepted_


def test_discover_terms_skips_duplicates_and_bad_parameters(texts, seg):
    documents = pd.DataFrame(
        {"doc_id": ["a", "b"], "text": [texts[0], texts[0]], "dup_of": [None, "a"]}
    )
    terms = discover_terms(documents, segmenter=seg, min_count=2)
    single = TermDiscoverer(min_count=2).fit([texts[0]], seg).terms_
    pd.testing.assert_frame_equal(terms, single)
    with pytest.raises(ValueError, match="max_len = 2 must be >= 3"):
        TermDiscoverer(max_len=2).fit(texts, seg)


def _plain_counts(lines: list[list[str]], seg: Segmenter, max_len: int) -> dict:
    """Candidate counts, neighbours and lexicon overlaps by a plain Python loop (reference)."""
    from collections import Counter, defaultdict

    from pipeline.segment.discovery import _token_roles

    vocab = sorted({t for line in lines for t in line})
    part, opens, _ = _token_roles(vocab, seg)
    role = {t: (bool(p), bool(o)) for t, p, o in zip(vocab, part, opens, strict=True)}
    freq, left, right, overlaps = Counter(), defaultdict(Counter), defaultdict(Counter), Counter()
    ngrams = Counter()  # 1- and 2-grams
    for tokens in lines:
        line, start = "".join(tokens), 0
        for token in tokens:  # every string of 3..max_len chars partly overlapping a term
            end = start + len(token)
            for a in range(len(line)) if seg.is_term(token) else ():
                for b in range(a + 3, min(len(line), a + max_len) + 1):
                    if a < end and b > start and not (a <= start and b >= end):
                        overlaps[line[a:b]] += 1
            start = end
        for i in range(len(tokens)):
            ngrams.update(tuple(tokens[i : i + k]) for k in (1, 2) if i + k <= len(tokens))
            for size in (2, 3):
                gram = tuple(tokens[i : i + size])
                if len(gram) < size or not all(role[t][0] for t in gram):
                    continue
                if role[gram[0]][1] and 3 <= len("".join(gram)) <= max_len:
                    freq[gram] += 1
                    left[gram][tokens[i - 1] if i else "\x00"] += 1
                    right[gram][tokens[i + size] if i + size < len(tokens) else "\x00"] += 1
    return {"freq": freq, "left": left, "right": right, "overlaps": overlaps, "ngrams": ngrams}


@pytest.mark.parametrize("max_len", [4, 6])
def test_vectorised_counts_equal_a_plain_python_count(texts, seg, max_len):
    from pipeline.segment.discovery import _count_candidates
    from pipeline.segment.stage import SEP, cuts_index

    lines = [seg.cut(line) for text in texts[:3] for line in text.split("\n")]
    plain = _plain_counts(lines, seg, max_len)
    index = cuts_index([SEP.join(tokens) for tokens in lines])
    found = _count_candidates(index, seg, max_len=max_len, min_count=2)
    expected = [gram for gram, n in plain["freq"].items() if n >= 2]  # first-occurrence order
    assert found.grams == expected and len(expected) > 50
    assert found.freq == [plain["freq"][gram] for gram in expected]
    assert found.left == [list(plain["left"][gram].values()) for gram in expected]
    assert found.right == [list(plain["right"][gram].values()) for gram in expected]
    overlaps = {"".join(gram): plain["overlaps"]["".join(gram)] for gram in expected}
    assert found.overlaps == overlaps and sum(overlaps.values()) > 0
    assert found.total == sum(map(len, lines))
    splits = [[(plain["ngrams"][g[:k]], plain["ngrams"][g[k:]]) for k in range(1, len(g))]
              for g in expected]  # fmt: skip
    assert found.splits == splits
