"""Tokenizer backends: each instance owns its own dictionary (no module-level jieba state).

Both backends expose the same four operations. ``jieba`` is the reference implementation;
``rjieba`` (Rust jieba-rs) cuts the same way several times faster.
"""

from __future__ import annotations

from typing import Protocol

import jieba
import jieba.posseg
import rjieba

BACKENDS = ("rjieba", "jieba")


class Backend(Protocol):
    """What :class:`~pipeline.segment.Segmenter` needs from a tokenizer."""

    name: str

    def cut(self, text: str) -> list[str]:
        """All tokens of ``text`` (punctuation and spaces included)."""

    def tag_word(self, word: str) -> str:
        """POS tag of one token as the backend's tagger gives it."""

    def add_word(self, word: str, freq: int, tag: str) -> None:
        """Add or re-weight a dictionary word (replacing, not adding to, its frequency)."""

    def suggest_freq(self, word: str) -> int:
        """The smallest frequency that keeps ``word`` whole when cut on its own."""


class JiebaBackend:
    """A private ``jieba.Tokenizer`` plus a ``POSTokenizer`` bound to it.

    Example::

        >>> JiebaBackend(hmm=False).cut("党建工作")
        ['党建', '工作']
    """

    name = "jieba"

    def __init__(self, *, hmm: bool) -> None:
        self._hmm = hmm
        self._tokenizer = jieba.Tokenizer()
        self._tokenizer.initialize()
        self._pos = jieba.posseg.POSTokenizer(self._tokenizer)

    def cut(self, text: str) -> list[str]:
        return self._tokenizer.lcut(text, HMM=self._hmm)

    def tag_word(self, word: str) -> str:
        pairs = self._pos.lcut(word, HMM=self._hmm)
        return pairs[0].flag if len(pairs) == 1 else "x"

    def add_word(self, word: str, freq: int, tag: str) -> None:
        old = self._tokenizer.FREQ.get(word, 0)
        self._tokenizer.add_word(word, freq, tag)
        # jieba adds a re-weighted word's new frequency on top of the total; jieba-rs
        # replaces it. Mirror jieba-rs so both backends see identical probabilities.
        self._tokenizer.total -= old

    def suggest_freq(self, word: str) -> int:
        return int(self._tokenizer.suggest_freq(word, tune=False))


class RjiebaBackend:
    """A private ``rjieba.Jieba`` instance (Rust jieba-rs with jieba's dictionary).

    Example::

        >>> RjiebaBackend(hmm=False).cut("党建工作")
        ['党建', '工作']
    """

    name = "rjieba"

    def __init__(self, *, hmm: bool) -> None:
        self._hmm = hmm
        self._jieba = rjieba.Jieba()

    def cut(self, text: str) -> list[str]:
        return self._jieba.cut(text, self._hmm)

    def tag_word(self, word: str) -> str:
        pairs = self._jieba.tag(word, self._hmm)
        return pairs[0][1] if len(pairs) == 1 else "x"

    def add_word(self, word: str, freq: int, tag: str) -> None:
        self._jieba.add_word(word, freq, tag)

    def suggest_freq(self, word: str) -> int:
        return int(self._jieba.suggest_freq(word))


def make_backend(name: str, *, hmm: bool) -> Backend:
    """A fresh backend by name (``'rjieba'`` or ``'jieba'``).

    Example::

        >>> make_backend("jieba", hmm=False).name
        'jieba'
    """
    if name == "rjieba":
        return RjiebaBackend(hmm=hmm)
    if name == "jieba":
        return JiebaBackend(hmm=hmm)
    raise ValueError(f"backend {name!r} is not one of {', '.join(BACKENDS)}; pick one of those")
