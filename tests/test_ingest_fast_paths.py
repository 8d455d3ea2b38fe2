"""The vectorised and short-cut code paths of ingest give what the plain definitions give.

Each fast path (numpy MinHash signatures and exact Jaccard, table-driven character
counts, mojibake search limited to suspect lines, page-level chrome pre-checks) is
compared with the straightforward definition on real sample text and on edge cases.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import re
import unicodedata
from collections import Counter

import pytest
from data.ingest.sample import normalised_pages, sample_articles
from datasketch import MinHash

from pipeline.ingest.chrome import strip_chrome
from pipeline.ingest.decode import count_unprintable
from pipeline.ingest.dedup import (
    canonical,
    jaccard,
    shingle_hashes,
    shingles,
    signature,
    similarity,
)
from pipeline.ingest.files import discover
from pipeline.ingest.normalize import (
    _IDEOGRAPH,
    _MOJIBAKE,
    _mojibake_hits,
    ideograph_counts,
    make_converter,
    normalize_text,
)
from pipeline.ingest.process import process_file

JUNK = "精选资料1111111111111345挂豆腐干豆腐吧"


@pytest.fixture(scope="module")
def bodies() -> list[str]:
    return [canonical(article[3]) for article in sample_articles()]


def test_signature_is_datasketchs_affine32_minhash_of_the_shingle_hashes(bodies) -> None:
    hashes = shingle_hashes(bodies[0], 5)
    for seed in (1, 42):
        reference = MinHash(num_perm=128, seed=seed, scheme="affine32", hashfunc=lambda h: h)
        reference.update_batch(hashes.tolist())
        assert signature(hashes, reference.permutations).tolist() == reference.digest().tolist()


def test_shingle_hashes_are_fixed_values_of_the_shingles() -> None:
    # Pinned: the LSH candidates of a corpus depend on them (no per-process hash()).
    assert shingle_hashes("机关党建工作", 5).tolist() == [637934314, 486457560]
    assert shingle_hashes("党建", 5).tolist() == [432053157]  # the whole text, padded
    repeated = shingle_hashes("两张皮问题两张皮问题", 5).tolist()
    assert repeated[0] == repeated[5] and len(set(repeated)) == 5


def test_similarity_is_the_jaccard_of_the_shingle_sets(bodies) -> None:
    pairs = list(itertools.combinations(bodies, 2))
    pairs += [(a[: len(a) // 2], a) for a in bodies] + [(a, a[100:] + "结尾") for a in bodies]
    pairs += [("", ""), ("", "党建"), ("党建", "党建"), ("党建", "党建工"), ("xx\U00020001", "xx")]
    for size in (1, 5, 13):  # 13: too many characters to pack, the set route
        for a, b in pairs:
            assert similarity(a, b, size) == jaccard(shingles(a, size), shingles(b, size))


def test_canonical_keeps_exactly_the_word_characters_but_underscore() -> None:
    every_bmp = "".join(chr(code) for code in range(0x10000))
    for text in (
        every_bmp,
        "Straße_ǅ ＡＢＣ１２３ 党建\U00020001工作！",
        *normalised_pages().values(),
    ):
        assert canonical(text) == re.sub(r"[\W_]+", "", text.casefold())


def test_unprintable_count_matches_the_unicode_categories() -> None:
    every = "".join(chr(code) for code in range(0x110000))
    expected = sum(unicodedata.category(ch) in ("Cn", "Co", "Cs") for ch in every)
    assert count_unprintable(every) == expected
    assert count_unprintable("机关党建工作") == 0


def test_mojibake_search_on_suspect_lines_finds_what_the_whole_text_search_finds() -> None:
    texts = [*normalised_pages().values()]
    texts.append("??\n共解??茖W\n一二?九\n  ？？ \n党建?\n?党建\n\ufffd\ue000党建\n正常的问题？")
    for text in texts:
        expected = [m.span() for m in _MOJIBAKE.finditer(text)]
        assert [m.span() for m in _mojibake_hits(text)] == expected
    # A lone '?' at a line's end or start is no hit: the ideograph across the break is not
    # its neighbour, in either search.
    assert [m.group() for m in _mojibake_hits(texts[-1])] == [
        "??",
        "??",
        "?",
        "  ？？ ",
        "\ufffd\ue000",
    ]


def test_ideograph_counts_count_each_ideograph() -> None:
    for text in normalised_pages().values():
        chars, counts = ideograph_counts(text)
        assert dict(zip(chars, counts.tolist(), strict=True)) == Counter(_IDEOGRAPH.findall(text))


def test_traditional_page_is_detected_by_its_character_counts(sample_dir) -> None:
    page = (sample_dir / "001_5d6fb8c6b03e9a71.txt").read_text(encoding="utf-8")
    result = normalize_text(page, converter=make_converter())
    assert result.script == "traditional"
    assert "党建" in result.text


def test_chrome_made_by_cutting_junk_is_cut_too() -> None:
    # "打印本页" only appears once the junk string inside it is gone: the page-level check
    # must not skip a line that a cut has changed.
    page = f"{JUNK}\n推进机关党建工作打印{JUNK}本页，取得了实效。\n深化理论学习。"
    kept, removed = strip_chrome(page)
    assert kept == "推进机关党建工作，取得了实效。\n深化理论学习。"
    assert removed == [JUNK, JUNK, "打印本页"]


def test_latin_footer_in_any_case_is_removed() -> None:
    kept, removed = strip_chrome("深化理论学习。\ncOPYRIGHT 2021 某某网\n京icp证123号")
    assert kept == "深化理论学习。"
    assert removed == ["cOPYRIGHT 2021 某某网", "京icp证123号"]


def test_a_digest_given_with_the_entry_is_not_computed_again(sample_dir) -> None:
    entry = discover(sample_dir)[3]
    actual = hashlib.sha256(entry.path.read_bytes()).hexdigest()
    computed = process_file(entry, converter=make_converter())
    assert {row["file_sha256"] for row in computed.articles} == {actual}
    given = dataclasses.replace(entry, sha256="0" * 64)
    outcome = process_file(given, converter=make_converter())
    assert {row["file_sha256"] for row in outcome.articles} == {"0" * 64}
    assert [row["text"] for row in outcome.articles] == [row["text"] for row in computed.articles]
