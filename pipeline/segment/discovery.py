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
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable

import pandas as pd

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
        lines = (segmenter.cut(line) for text in texts for line in text.split("\n"))
        return self.fit_cuts(lines, segmenter)

    def fit_cuts(self, cuts: Iterable[list[str]], segmenter: Segmenter) -> TermDiscoverer:
        """Like :meth:`fit`, over texts already cut by ``segmenter`` (one token list each).

        Example::

            >>> TermDiscoverer(min_count=2).fit_cuts([seg.cut(t) for t in texts], seg)
        """
        if self.min_count < 1 or self.max_len < 3:
            raise ValueError(
                f"TermDiscoverer: min_count = {self.min_count} must be >= 1 and "
                f"max_len = {self.max_len} must be >= 3"
            )
        counts = _NgramCounts(self.max_len, segmenter)
        for tokens in cuts:
            counts.add(tokens)
        rows = [
            self._score(gram, counts)
            for gram, freq in counts.candidates.items()
            if freq >= self.min_count
        ]
        frame = pd.DataFrame(rows, columns=COLUMNS).astype({"freq": "int64", "accepted": bool})
        # Two token runs can spell the same term (党建+业务, 党+建业务): keep the best scored.
        frame = frame.sort_values(
            ["score", "term", "freq"], ascending=[False, True, False], kind="mergesort"
        ).drop_duplicates("term")
        self.terms_ = frame.reset_index(drop=True)
        self.accepted_ = self.terms_.loc[self.terms_["accepted"], "term"].tolist()
        return self

    def _score(self, gram: tuple[str, ...], counts: _NgramCounts) -> list[object]:
        freq = counts.candidates[gram]
        pmi = min(
            math.log2(freq * counts.total / (counts.ngrams[gram[:k]] * counts.ngrams[gram[k:]]))
            for k in range(1, len(gram))
        )
        left = _entropy(counts.left[gram])
        right = _entropy(counts.right[gram])
        score = math.log2(freq) * min(left, right) + pmi
        term = "".join(gram)
        overlaps = counts.lexicon_overlaps[term]
        accepted = (
            pmi >= self.min_pmi
            and min(left, right) >= self.min_entropy
            and score >= self.accept_score
            and overlaps == 0
        )
        values = (round(pmi, 6), round(left, 6), round(right, 6), round(score, 6))
        return [term, freq, *values, accepted, overlaps]


class _NgramCounts:
    """Token 1–3-gram counts, candidate counts and the candidates' neighbour counts."""

    def __init__(self, max_len: int, segmenter: Segmenter) -> None:
        self.max_len = max_len
        self.segmenter = segmenter
        self.total = 0
        self.ngrams: Counter[tuple[str, ...]] = Counter()
        self.candidates: Counter[tuple[str, ...]] = Counter()
        self.left: defaultdict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
        self.right: defaultdict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
        self.lexicon_overlaps: Counter[str] = Counter()
        self._roles: dict[str, tuple[bool, bool]] = {}

    def add(self, tokens: list[str]) -> None:
        """Count one line's tokens."""
        n = len(tokens)
        self.total += n
        self._count_overlaps(tokens)
        roles = [self._role(token) for token in tokens]
        for i in range(n):
            for size in range(1, min(3, n - i) + 1):
                gram = tuple(tokens[i : i + size])
                self.ngrams[gram] += 1
                if size > 1 and self._is_candidate(gram, roles[i : i + size]):
                    self.candidates[gram] += 1
                    self.left[gram][tokens[i - 1] if i else BOUNDARY] += 1
                    self.right[gram][tokens[i + size] if i + size < n else BOUNDARY] += 1

    def _count_overlaps(self, tokens: list[str]) -> None:
        """Count the strings (3..max_len chars) that partly overlap a lexicon token."""
        line = "".join(tokens)
        start = 0
        for token in tokens:
            end = start + len(token)
            if self.segmenter.is_term(token):
                for a in range(max(0, start - self.max_len + 1), end):
                    for b in range(max(a + 3, start + 1), min(len(line), a + self.max_len) + 1):
                        if not (a <= start and b >= end):
                            self.lexicon_overlaps[line[a:b]] += 1
            start = end

    def _is_candidate(self, gram: tuple[str, ...], roles: list[tuple[bool, bool]]) -> bool:
        return (
            roles[0][1]
            and all(part for part, _ in roles)
            and 3 <= sum(map(len, gram)) <= self.max_len
        )

    def _role(self, token: str) -> tuple[bool, bool]:
        """(may be part of a term, may open a term), memoised per token.

        A part is pure CJK, not a stop word, not a lexicon word (the curated terms stay
        whole: 环保业务工作 would hide 业务工作) and a content word by its POS tag. A plain
        verb may not open a term.
        """
        role = self._roles.get(token)
        if role is None:
            seg = self.segmenter
            if token in seg.stopwords.words or seg.is_term(token) or _CJK.fullmatch(token) is None:
                role = (False, False)
            else:
                tag = seg.tag_of(token)
                part = tag[:1] in CONTENT_TAGS and tag not in ADVERBIAL_TAGS
                role = (part, part and tag != VERB_TAG)
            self._roles[token] = role
        return role


def _entropy(counter: Counter[str]) -> float:
    """Shannon entropy in bits of a neighbour distribution."""
    total = sum(counter.values())
    return -sum(c / total * math.log2(c / total) for c in counter.values()) + 0.0


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
