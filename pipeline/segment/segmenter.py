"""The :class:`Segmenter`: one private tokenizer, a checked lexicon, stop words and a POS filter."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from itertools import accumulate
from pathlib import Path

from .backends import make_backend
from .lexicon import Lexicon
from .stopwords import StopWords
from .tuning import install_lexicon

MODELS = Path(__file__).resolve().parents[2] / "models"
DEFAULT_LEXICON = MODELS / "lexicon.txt"
DEFAULT_STOPWORDS = MODELS / "stopwords_zh.txt"
DEFAULT_FORMULAIC = MODELS / "stopwords_formulaic.txt"
DEFAULT_POS_KEEP = ("n", "nr", "ns", "nt", "nz", "nw", "vn", "v", "i", "l", "j")
DISCOVERED_TAG = "nw"
# jieba's fine-grained person-name tags (习近平 is 'nrfg') count as 'nr' for ``pos_keep``.
TAG_ALIASES = {"nrfg": "nr", "nrt": "nr"}


class Segmenter:
    """Chinese word segmentation with its own tokenizer and the party-building lexicon.

    ``backend`` is ``'rjieba'`` (fast, default) or ``'jieba'`` (reference). ``lexicon`` is a
    :class:`Lexicon`, a path to a jieba user dictionary, or ``None``; ``stopwords`` a
    :class:`StopWords`, a ``(token_file, formulaic_file)`` pair, or ``None``. Analysed
    tokens are those whose POS tag is in ``pos_keep`` (``nrfg``/``nrt`` count as ``nr``) or
    that are lexicon words, with at least ``min_token_chars`` characters, not stop words
    and not inside a formulaic phrase. ``hmm`` lets jieba's HMM guess unknown words (off by
    default: reproducible, and faster). The input must already be Simplified Chinese
    (normalise with OpenCC t2s first).

    Segmenters never share state: each builds its own tokenizer, and :meth:`with_terms`
    returns a new one. A Segmenter pickles as its parameters and rebuilds its tokenizer
    when unpickled (for process pools).

    Example::

        >>> seg = Segmenter(backend="rjieba")
        >>> seg.cut("党建和业务两张皮")
        ['党建', '和', '业务', '两张皮']
        >>> seg.analyse("认真落实三会一课制度")
        ['三会一课', '制度']
    """

    def __init__(
        self,
        backend: str = "rjieba",
        lexicon: Lexicon | str | Path | None = DEFAULT_LEXICON,
        stopwords: StopWords | tuple[str | Path, str | Path] | None = (
            DEFAULT_STOPWORDS,
            DEFAULT_FORMULAIC,
        ),
        pos_keep: Iterable[str] = DEFAULT_POS_KEEP,
        min_token_chars: int = 2,
        hmm: bool = False,
    ) -> None:
        if min_token_chars < 1:
            raise ValueError(f"min_token_chars = {min_token_chars} must be at least 1")
        self.backend = backend
        self.lexicon = _as_lexicon(lexicon)
        self.stopwords = _as_stopwords(stopwords)
        self.pos_keep = tuple(pos_keep)
        self.min_token_chars = min_token_chars
        self.hmm = hmm
        self._tokenizer = make_backend(backend, hmm=hmm)
        installed = install_lexicon(self._tokenizer, self.lexicon)
        self.installed_lexicon = installed.lexicon
        self.failed_terms = installed.failed
        self._terms = frozenset(self.lexicon.words)
        self._keep_set = frozenset(self.pos_keep)
        self._tags: dict[str, str] = {}
        # token -> the one string object kept for it, or '' when it is dropped
        self._kept: dict[str, str] = {}

    def __reduce__(self) -> tuple:
        return (
            Segmenter,
            (
                self.backend,
                self.lexicon,
                self.stopwords,
                self.pos_keep,
                self.min_token_chars,
                self.hmm,
            ),
        )

    def __repr__(self) -> str:
        return (
            f"Segmenter(backend={self.backend!r}, lexicon={self.lexicon.source!r} "
            f"({len(self.lexicon)} terms), hmm={self.hmm})"
        )

    def with_terms(self, terms: Iterable[str], *, tag: str = DISCOVERED_TAG) -> Segmenter:
        """A new Segmenter whose lexicon also holds ``terms``; this one is unchanged.

        Example::

            >>> seg.with_terms(["党建联系点"]).cut("建立党建联系点")
            ['建立', '党建联系点']
        """
        return Segmenter(
            self.backend,
            self.lexicon.with_terms(terms, tag=tag),
            self.stopwords,
            self.pos_keep,
            self.min_token_chars,
            self.hmm,
        )

    def cut(self, text: str) -> list[str]:
        """All tokens, punctuation included; ``''.join(tokens) == text``.

        Example::

            >>> seg.cut("完善考核机制")
            ['完善', '考核机制']
        """
        return self._tokenizer.cut(text)

    def tag(self, text: str) -> list[tuple[str, str]]:
        """``(token, POS tag)`` pairs; lexicon words carry their lexicon tag.

        Example::

            >>> seg.tag("推进专职化")
            [('推进', 'v'), ('专职化', 'vn')]
        """
        return [(word, self.tag_of(word)) for word in self._tokenizer.cut(text)]

    def tag_of(self, word: str) -> str:
        """POS tag of one token: its lexicon tag, else the backend's (memoised per Segmenter).

        Looking tags up per distinct token keeps POS filtering at the speed of ``cut``
        (``jieba.posseg`` is 4–6x slower than ``lcut``; rjieba's ``tag`` 5x slower than its
        ``cut``). Tokens come from the same dictionary walk, so the tags are the ones the
        backend's tagger gives in context (tested on the sample).
        """
        tag = self._tags.get(word)
        if tag is None:
            tag = self.lexicon.tag_of(word) or self._tokenizer.tag_word(word)
            self._tags[word] = tag
        return tag

    def analyse(self, text: str) -> list[str]:
        """Analysed tokens: POS filter, stop words, formulaic phrases, minimum length.

        Example::

            >>> seg.analyse("高度重视党务干部队伍建设")
            ['党务干部队伍', '建设']
        """
        return self.analyse_tokens(text, self._tokenizer.cut(text))

    def analyse_tokens(self, text: str, tokens: list[str]) -> list[str]:
        """:meth:`analyse` of ``text`` given its cut ``tokens`` (``''.join(tokens) == text``).

        Example::

            >>> seg.analyse_tokens("推进专职化", ["推进", "专职化"])
            ['推进', '专职化']
        """
        spans = self.stopwords.spans(text)
        if spans:
            tokens = _outside(tokens, spans)
        # Equal kept tokens come out as one shared string object (a corpus has millions of
        # occurrences of tens of thousands of tokens).
        try:
            return list(filter(None, map(self._kept.__getitem__, tokens)))
        except KeyError:  # a token not seen before: decide it
            kept = self._kept
            return [k for w in tokens if (k := kept[w] if w in kept else self._decide(w))]

    def is_term(self, word: str) -> bool:
        """Whether ``word`` is a lexicon word."""
        return word in self._terms

    def _decide(self, word: str) -> str:
        keep = (
            len(word) >= self.min_token_chars
            and word not in self.stopwords.words
            and (word in self._terms or _base_tag(self.tag_of(word)) in self._keep_set)
        )
        self._kept[word] = word if keep else ""
        return self._kept[word]


def _outside(tokens: list[str], spans: list[tuple[int, int]]) -> list[str]:
    """``tokens`` without those lying wholly inside the (ordered) character ``spans``."""
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    ends = list(accumulate(map(len, tokens)))
    result: list[str] = []
    done = 0  # tokens before this one are settled
    for start, end in merged:
        first = bisect_left(ends, start + 1)  # the first token ending after ``start``
        if first < len(tokens) and ends[first] - len(tokens[first]) < start:
            first += 1  # it begins before the span: kept
        last = bisect_right(ends, end)  # tokens before ``last`` end within the span
        if first < last:
            result += tokens[done:first]
            done = last
    return result + tokens[done:] if done else tokens


def _base_tag(tag: str) -> str:
    return TAG_ALIASES.get(tag, tag)


def _as_lexicon(lexicon: Lexicon | str | Path | None) -> Lexicon:
    if lexicon is None:
        return Lexicon()
    if isinstance(lexicon, Lexicon):
        return lexicon
    return Lexicon.load(lexicon)


def _as_stopwords(stopwords: StopWords | tuple[str | Path, str | Path] | None) -> StopWords:
    if stopwords is None:
        return StopWords()
    if isinstance(stopwords, StopWords):
        return stopwords
    words, formulaic = stopwords
    return StopWords.load(words, formulaic)
