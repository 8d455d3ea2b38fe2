"""New-term discovery: repeated compounds the lexicon lacks, by cohesion and boundary freedom.

Candidates are runs of 2–3 adjacent tokens of the segmenter's own cut (each token pure
CJK and not a stop word, joined length 3..``max_len``, within one line). For each:

- ``pmi``: pointwise mutual information in bits, ``log2(p(xy) / (p(x) p(y)))``, taking the
  *weakest* split point of a 3-token run — a compound must hold together at every joint;
- ``left_entropy`` / ``right_entropy``: entropy in bits of the token just before / after
  each occurrence (line start and end count as one symbol) — a term is used in varied
  contexts, a fragment of a longer phrase always has the same neighbour;
- ``score = log2(freq) * min(left_entropy, right_entropy) + pmi`` ranks candidates;
- ``lexicon_overlaps``: how often the term's string partly overlaps a lexicon token in the
  texts (国有企业党建 in 国有企业|党建工作). Adding such a term would cut lexicon words.

A candidate is ``accepted`` when ``freq >= min_count``, ``pmi >= min_pmi``, both entropies
``>= min_entropy``, ``score >= accept_score`` and ``lexicon_overlaps == 0``.

Tokens that may form a candidate: content words by POS (nouns, verbs, adjectives, idioms,
set phrases, abbreviations, distinguishing words), not stop words, not lexicon words (the
curated terms stay the atoms: 环保业务工作 would hide 业务工作); a plain verb may not open
a candidate (推动业务工作 is a verb-object phrase, not a term).

Why not gensim ``Phrases``: it scores bigrams only (trigrams need a second pass over
its own output), and has no boundary entropy, which is what rejects fragments such as
生态文明 (in the sample always followed by 建设) that PMI alone lets through.

Counting is vectorised: tokens are integer codes (:class:`~pipeline.tokens.TokenIndex`),
runs of tokens are packed into int64 keys counted with numpy, and only the candidates that
reach ``min_count`` are scored one by one, with the same arithmetic (and the same
first-occurrence order of candidates and neighbours) as a plain Python count.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..tokens import TokenIndex
from .segmenter import Segmenter

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
BOUNDARY = "\x00"
# POS tags (first letter) of tokens that may form a term: nouns, verbs, adjectives, idioms,
# set phrases, abbreviations, distinguishing words. Adverbs (also 'ad', 'vd'), pronouns,
# numerals, measure words, prepositions, conjunctions, particles and locatives never do.
CONTENT_TAGS = frozenset("nvailjb")
ADVERBIAL_TAGS = frozenset({"ad", "vd"})
# A run opening with a plain verb is a verb-object phrase (推动业务工作), not a term.
VERB_TAG = "v"
MAX_RUN = 3  # tokens per candidate
OVERLAP_BATCH_TOKENS = 2_000_000  # tokens per batch when counting lexicon overlaps
COLUMNS = [
    "term",
    "freq",
    "pmi",
    "left_entropy",
    "right_entropy",
    "score",
    "accepted",
    "lexicon_overlaps",
]


class TermDiscoverer:
    """Find repeated multi-token compounds (scikit-learn style estimator).

    Parameters are stored as given; :meth:`fit` sets ``terms_`` (all candidates with
    ``freq >= min_count``, sorted by score, then term) and ``accepted_`` (accepted terms).

    Example::

        >>> disc = TermDiscoverer(min_count=3).fit(texts, segmenter)
        >>> "生产经营" in disc.accepted_
        True
        >>> bigger = segmenter.with_terms(disc.accepted_)
    """

    def __init__(
        self,
        min_count: int = 3,
        min_pmi: float = 3.0,
        min_entropy: float = 1.0,
        max_len: int = 6,
        accept_score: float = 0.0,
    ) -> None:
        self.min_count = min_count
        self.min_pmi = min_pmi
        self.min_entropy = min_entropy
        self.max_len = max_len
        self.accept_score = accept_score

    def fit(self, texts: Iterable[str], segmenter: Segmenter) -> TermDiscoverer:
        """Count and score candidates over ``texts`` cut by ``segmenter``; returns self."""
        lines = [segmenter.cut(line) for text in texts for line in text.split("\n")]
        return self.fit_cuts(lines, segmenter)

    def fit_cuts(
        self, cuts: Iterable[list[str]] | TokenIndex, segmenter: Segmenter
    ) -> TermDiscoverer:
        """Like :meth:`fit`, over texts already cut by ``segmenter`` (one token list each,
        or a :class:`~pipeline.tokens.TokenIndex` of them).

        Example::

            >>> TermDiscoverer(min_count=2).fit_cuts([seg.cut(t) for t in texts], seg)
        """
        if self.min_count < 1 or self.max_len < 3:
            raise ValueError(
                f"TermDiscoverer: min_count = {self.min_count} must be >= 1 and "
                f"max_len = {self.max_len} must be >= 3"
            )
        index = cuts if isinstance(cuts, TokenIndex) else TokenIndex.build(list(cuts))
        found = _count_candidates(index, segmenter, max_len=self.max_len, min_count=self.min_count)
        rows = [self._score(found, i) for i in range(len(found.grams))]
        frame = pd.DataFrame(rows, columns=COLUMNS).astype({"freq": "int64", "accepted": bool})
        # Two token runs can spell the same term (党建+业务, 党+建业务): keep the best scored.
        frame = frame.sort_values(
            ["score", "term", "freq"], ascending=[False, True, False], kind="mergesort"
        ).drop_duplicates("term")
        self.terms_ = frame.reset_index(drop=True)
        self.accepted_ = self.terms_.loc[self.terms_["accepted"], "term"].tolist()
        return self

    def _score(self, found: _Candidates, i: int) -> list[object]:
        freq = found.freq[i]
        pmi = min(math.log2(freq * found.total / (a * b)) for a, b in found.splits[i])
        left = _entropy(found.left[i])
        right = _entropy(found.right[i])
        score = math.log2(freq) * min(left, right) + pmi
        term = "".join(found.grams[i])
        overlaps = found.overlaps[term]
        accepted = (
            pmi >= self.min_pmi
            and min(left, right) >= self.min_entropy
            and score >= self.accept_score
            and overlaps == 0
        )
        values = (round(pmi, 6), round(left, 6), round(right, 6), round(score, 6))
        return [term, freq, *values, accepted, overlaps]


@dataclass
class _Candidates:
    """Candidates with ``freq >= min_count`` in order of first occurrence, and their counts.

    ``splits[i]`` holds, per split point k of gram i, the counts of ``gram[:k]`` and
    ``gram[k:]``; ``left[i]`` / ``right[i]`` the counts of each distinct neighbour, in order
    of first occurrence; ``total`` the number of tokens.
    """

    grams: list[tuple[str, ...]]
    freq: list[int]
    splits: list[list[tuple[int, int]]]
    left: list[list[int]]
    right: list[list[int]]
    overlaps: dict[str, int]
    total: int


@dataclass
class _Tokens:
    """The cut as arrays: codes, tokens left in the line, and per-vocabulary attributes."""

    codes: np.ndarray  # vocabulary code of every token
    rest: np.ndarray  # tokens from this one to the end of its line, itself included
    part: np.ndarray  # per vocabulary entry: may be part of a term
    opens: np.ndarray  # may open a term
    chars: np.ndarray  # length in characters
    boundary: int  # the code standing for the line start / end as a neighbour

    @property
    def vocab_size(self) -> int:
        return len(self.part) + 1  # one more for ``boundary`` when it is no token


def _count_candidates(
    index: TokenIndex, segmenter: Segmenter, *, max_len: int, min_count: int
) -> _Candidates:
    """Count every candidate run, keep those seen ``min_count`` times, gather their counts."""
    vocab = index.vocab.tolist()
    part, opens, lexical = _token_roles(vocab, segmenter)
    codes = index.codes
    position = np.int32 if len(codes) < 2**31 else np.int64
    ends = np.repeat(index.offsets[1:].astype(position), index.lengths())
    rest = ends - np.arange(len(codes), dtype=position)  # tokens left in the line
    del ends
    boundary = vocab.index(BOUNDARY) if BOUNDARY in vocab else len(vocab)
    chars = np.fromiter(map(len, vocab), dtype=np.int32, count=len(vocab))
    tokens = _Tokens(codes, rest, part, opens, chars, boundary)
    found = []  # (first position, size, gram codes, freq, left counts, right counts)
    for size in range(2, MAX_RUN + 1):
        found.extend(_runs_of_size(tokens, size, max_len=max_len, min_count=min_count))
    found.sort(key=lambda run: (run[0], run[1]))
    grams = [tuple(vocab[c] for c in run[2]) for run in found]
    terms = sorted({"".join(gram) for gram in grams})
    overlaps = _lexicon_overlaps(index, lexical, chars, terms, max_len=max_len)
    return _Candidates(
        grams=grams,
        freq=[run[3] for run in found],
        splits=_split_counts(tokens, [run[2] for run in found]),
        left=[run[4] for run in found],
        right=[run[5] for run in found],
        overlaps=dict(zip(terms, overlaps, strict=True)),
        total=len(codes),
    )


def _token_roles(vocab: list[str], segmenter: Segmenter) -> tuple[np.ndarray, ...]:
    """Per vocabulary entry: may be part of a term, may open a term, is a lexicon word.

    A part is pure CJK, not a stop word, not a lexicon word (the curated terms stay whole:
    环保业务工作 would hide 业务工作) and a content word by its POS tag. A plain verb may not
    open a term.
    """
    part = np.zeros(len(vocab), dtype=bool)
    opens = np.zeros(len(vocab), dtype=bool)
    lexical = np.zeros(len(vocab), dtype=bool)
    stop = segmenter.stopwords.words
    for i, token in enumerate(vocab):
        lexical[i] = segmenter.is_term(token)
        if lexical[i] or token in stop or _CJK.fullmatch(token) is None:
            continue
        tag = segmenter.tag_of(token)
        part[i] = tag[:1] in CONTENT_TAGS and tag not in ADVERBIAL_TAGS
        opens[i] = part[i] and tag != VERB_TAG
    return part, opens, lexical


def _runs_of_size(tokens: _Tokens, size: int, *, max_len: int, min_count: int) -> list[tuple]:
    """Candidate runs of ``size`` tokens seen ``min_count`` times or more (unordered).

    Each as (first position, size, codes, freq, left neighbour counts, right neighbour
    counts), the neighbour counts in order of first occurrence.
    """
    codes, rest = tokens.codes, tokens.rest
    n = len(codes) - size + 1
    if n <= 0:
        return []
    ok = (rest[:n] >= size) & tokens.opens[codes[:n]]
    chars = tokens.chars[codes[:n]]
    for j in range(1, size):
        ok &= tokens.part[codes[j : j + n]]
        chars = chars + tokens.chars[codes[j : j + n]]
    starts = np.flatnonzero(ok & (chars >= 3) & (chars <= max_len))
    key = codes[starts].astype(np.int64)
    for j in range(1, size):
        if j > 1:  # re-number the runs so far, so that keys stay below len(codes) * vocab size
            key = np.unique(key, return_inverse=True)[1].astype(np.int64)
        key = key * len(tokens.part) + codes[starts + j]
    _, first, run, freq = np.unique(key, return_index=True, return_inverse=True, return_counts=True)
    kept = freq >= min_count
    number = np.cumsum(kept) - 1  # a kept run's number among the kept ones
    occurrences = kept[run]
    at = starts[occurrences]
    owner = number[run[occurrences]]
    opens_line = (at == 0) | (rest[np.maximum(at - 1, 0)] == 1)
    left = np.where(opens_line, tokens.boundary, codes[at - 1]).astype(np.int64)
    right = np.where(rest[at] > size, codes[np.minimum(at + size, len(codes) - 1)], tokens.boundary)
    right = right.astype(np.int64)
    n_kept = int(kept.sum())
    lefts = _neighbour_counts(owner, left, n_kept, tokens.vocab_size)
    rights = _neighbour_counts(owner, right, n_kept, tokens.vocab_size)
    firsts = starts[first[kept]]
    return [
        (int(k), size, codes[k : k + size].tolist(), int(f), lc, rc)
        for k, f, lc, rc in zip(firsts, freq[kept], lefts, rights, strict=True)
    ]


def _neighbour_counts(
    owner: np.ndarray, neighbour: np.ndarray, n_owners: int, vocab_size: int
) -> list[list[int]]:
    """For each owner, the counts of its distinct neighbours in order of first occurrence."""
    pairs = owner.astype(np.int64) * vocab_size + neighbour
    unique, first, count = np.unique(pairs, return_index=True, return_counts=True)
    owners = unique // vocab_size
    order = np.lexsort((first, owners))
    bounds = np.searchsorted(owners[order], np.arange(n_owners + 1)).tolist()
    counts = count[order].tolist()
    return [counts[bounds[i] : bounds[i + 1]] for i in range(n_owners)]


def _split_counts(tokens: _Tokens, grams: list[list[int]]) -> list[list[tuple[int, int]]]:
    """For each gram (codes) and split point k: the counts of ``gram[:k]`` and ``gram[k:]``."""
    codes = tokens.codes
    unigrams = np.bincount(codes, minlength=len(tokens.part)).tolist()
    width = len(tokens.part)
    needed = np.unique(
        np.array([g[i] * width + g[i + 1] for g in grams if len(g) == 3 for i in (0, 1)] or [0])
    )
    # only runs of parts can be needed: the others are never counted
    within = (tokens.rest[:-1] >= 2) & tokens.part[codes[:-1]] & tokens.part[codes[1:]]
    pairs = codes[:-1][within].astype(np.int64) * width + codes[1:][within]
    slot = np.minimum(np.searchsorted(needed, pairs), len(needed) - 1)
    hit = needed[slot] == pairs
    counted = np.bincount(slot[hit], minlength=len(needed))
    bigrams = dict(zip(needed.tolist(), counted.tolist(), strict=True))

    def count(part: list[int]) -> int:
        return unigrams[part[0]] if len(part) == 1 else bigrams[part[0] * width + part[1]]

    return [[(count(g[:k]), count(g[k:])) for k in range(1, len(g))] for g in grams]


def _lexicon_overlaps(
    index: TokenIndex, lexical: np.ndarray, chars: np.ndarray, terms: list[str], *, max_len: int
) -> list[int]:
    """For each term: over its occurrences in the lines (as a string, anywhere), the number
    of lexicon tokens of the cut it partly overlaps (meets without holding it whole).

    The lines are read in batches of about ``OVERLAP_BATCH_TOKENS`` tokens, each turned
    into one array of character digits (``_digits``) with a line end after each line.
    """
    counts = np.zeros(len(terms), dtype=np.int64)
    if not terms:
        return counts.tolist()
    table = _digit_table("".join(terms))
    matchers = _term_matchers(terms, table)
    # One more code, len(vocab), for the end of a line: a character in no term.
    pieces = np.append(index.vocab, "\n")
    sizes = np.append(chars, 1)
    lexical = np.append(lexical, False)
    for first, last in _batches(index.lengths(), OVERLAP_BATCH_TOKENS):
        lo, hi = index.offsets[first], index.offsets[last]
        line_ends = index.offsets[first + 1 : last + 1] - lo
        codes = np.insert(index.codes[lo:hi], line_ends, len(index.vocab))
        text = _digits("".join(pieces[codes].tolist()), table)
        ends = np.cumsum(sizes[codes])[lexical[codes]]
        starts = ends - sizes[codes[lexical[codes]]]
        near = _near(starts, ends, len(text), max_len)
        for size, (which, digits) in matchers.items():
            at, row = _find(text, digits, near, len(table))
            meets = np.searchsorted(starts, at + size) - np.searchsorted(ends, at, side="right")
            holds = np.searchsorted(ends, at + size, side="right") - np.searchsorted(starts, at)
            weights = meets - np.maximum(holds, 0)
            counts += np.bincount(which[row], weights, len(terms)).round().astype(np.int64)
    return counts.tolist()


def _digit_table(alphabet: str) -> np.ndarray:
    """Code point -> 1-based rank among the characters of ``alphabet``; 0 for the others
    (the last entry stands for every code point beyond the table)."""
    points = sorted({ord(c) for c in alphabet})
    table = np.zeros(points[-1] + 2, dtype=np.int64)
    table[points] = np.arange(1, len(points) + 1)
    return table


def _digits(text: str, table: np.ndarray) -> np.ndarray:
    """Each character of ``text`` as its digit in ``table`` (see :func:`_digit_table`)."""
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return table[np.minimum(points, len(table) - 1)]


def _term_matchers(terms: list[str], table: np.ndarray) -> dict[int, tuple[np.ndarray, ...]]:
    """Terms by length: their indices in ``terms`` and their digits (one row per term)."""
    matchers = {}
    for size in sorted({len(term) for term in terms}):
        which = np.array([i for i, term in enumerate(terms) if len(term) == size])
        digits = _digits("".join(terms[i] for i in which), table)
        matchers[size] = (which, digits.reshape(len(which), size))
    return matchers


def _batches(sizes: np.ndarray, limit: int) -> Iterable[tuple[int, int]]:
    """Consecutive ranges of lines of about ``limit`` in all (one line at least), given each
    line's size."""
    ends = np.cumsum(sizes + 1)
    first = 0
    while first < len(sizes):
        done = int(ends[first - 1]) if first else 0
        last = max(first + 1, int(np.searchsorted(ends, done + limit, side="right")))
        yield first, last
        first = last


def _near(starts: np.ndarray, ends: np.ndarray, length: int, max_len: int) -> np.ndarray:
    """Positions where a string of up to ``max_len`` characters can meet a token
    ``[start, end)``: from ``start - max_len + 1`` to ``end - 1``."""
    opened = np.bincount(np.maximum(starts - max_len + 1, 0), minlength=length + 1)
    closed = np.bincount(ends, minlength=length + 1)
    return np.flatnonzero(np.cumsum(opened - closed)[:length] > 0)


def _find(
    text: np.ndarray, terms: np.ndarray, near: np.ndarray, base: int
) -> tuple[np.ndarray, np.ndarray]:
    """Where, among the positions ``near``, the rows of ``terms`` (digits, all of one length)
    occur in ``text``: positions and row numbers.

    Positions are first sifted character by character (is this character in some term at
    this place?), then matched exactly with the digits packed into int64 keys, a few
    characters at a time.
    """
    count, size = terms.shape
    at = near[near <= len(text) - size]
    for j in range(size):
        allowed = np.zeros(base, dtype=bool)
        allowed[terms[:, j]] = True
        at = at[allowed[text[at + j]]]
    width = 1
    while base ** (width + 1) < 2**63:
        width += 1
    rank = np.zeros(len(at), dtype=np.int64)  # which terms' start the text spells so far
    term_rank = np.zeros(count, dtype=np.int64)
    for lo in range(0, size, width):
        key = np.zeros(len(at), dtype=np.int64)
        term_key = np.zeros(count, dtype=np.int64)
        for j in range(lo, min(lo + width, size)):
            key = key * base + text[at + j]
            term_key = term_key * base + terms[:, j]
        keys = np.unique(term_key)
        slot = _lookup(keys, key)
        found = slot >= 0
        at, rank = at[found], rank[found] * len(keys) + slot[found]
        prefixes, term_rank = np.unique(
            term_rank * len(keys) + np.searchsorted(keys, term_key), return_inverse=True
        )
        rank = _lookup(prefixes, rank)
        at, rank = at[rank >= 0], rank[rank >= 0]
    row = np.empty(count, dtype=np.int64)
    row[term_rank] = np.arange(count)
    return at, row[rank]


def _lookup(unique: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Index of each value in the sorted array ``unique``, -1 where it is missing."""
    slot = np.minimum(np.searchsorted(unique, values), len(unique) - 1)
    return np.where(unique[slot] == values, slot, -1)


def _entropy(counts: list[int]) -> float:
    """Shannon entropy in bits of a neighbour distribution (counts of each neighbour)."""
    total = sum(counts)
    return -sum(c / total * math.log2(c / total) for c in counts) + 0.0


def discover_terms(
    documents: pd.DataFrame,
    *,
    segmenter: Segmenter,
    text_column: str = "text",
    min_count: int = 3,
    min_pmi: float = 3.0,
    min_entropy: float = 1.0,
    max_len: int = 6,
    accept_score: float = 0.0,
) -> pd.DataFrame:
    """The terms table (``terms.csv``) for a documents table; duplicates (``dup_of`` set) skipped.

    Add the accepted terms to the run's segmenter with
    ``segmenter.with_terms(terms.loc[terms.accepted, "term"])``.

    Example::

        >>> terms = discover_terms(documents, segmenter=Segmenter())
        >>> terms.columns.tolist()
        ['term', 'freq', 'pmi', 'left_entropy', 'right_entropy', 'score', 'accepted']
    """
    if "dup_of" in documents.columns:
        documents = documents[documents["dup_of"].isna()]
    texts = [text for text in documents[text_column] if isinstance(text, str)]
    discoverer = TermDiscoverer(min_count, min_pmi, min_entropy, max_len, accept_score)
    return discoverer.fit(texts, segmenter).terms_


def discover_terms_from_cuts(
    cuts: Iterable[list[str]],
    *,
    segmenter: Segmenter,
    min_count: int = 3,
    min_pmi: float = 3.0,
    min_entropy: float = 1.0,
    max_len: int = 6,
    accept_score: float = 0.0,
) -> pd.DataFrame:
    """The terms table from texts already cut by ``segmenter`` (the cached sentence cuts).

    Example::

        >>> cuts = [seg.cut(s) for s in sentences["text"]]   # 已切分的句子
        >>> discover_terms_from_cuts(cuts, segmenter=seg).head(1)
    """
    discoverer = TermDiscoverer(min_count, min_pmi, min_entropy, max_len, accept_score)
    return discoverer.fit_cuts(cuts, segmenter).terms_
