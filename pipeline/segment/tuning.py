"""Install a lexicon into a backend and make sure every entry really stays one token.

A user-dictionary word is only a candidate: jieba keeps it whole when its frequency beats
the competing splits, alone and next to its neighbours. After adding the entries, each is
cut on its own and inside context sentences; entries that split get their frequency raised
(to jieba's ``suggest_freq``, then tenfold per round) and are reported if they still split.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace

from .backends import Backend
from .lexicon import Lexicon, LexiconEntry

CONTEXT_TEMPLATES = ("全面加强{}建设", "推动{}落到实处", "坚持{}不动摇")
MAX_ROUNDS = 4
BOOST = 10


@dataclass(frozen=True)
class InstalledLexicon:
    """The lexicon with the frequencies actually installed, and the words that still split.

    Example::

        >>> installed = install_lexicon(make_backend("rjieba", hmm=False), Lexicon.from_terms(["两张皮"]))
        >>> installed.failed
        ()
    """

    lexicon: Lexicon
    failed: tuple[str, ...]


def install_lexicon(
    backend: Backend, lexicon: Lexicon, *, templates: tuple[str, ...] = CONTEXT_TEMPLATES
) -> InstalledLexicon:
    """Add ``lexicon`` to ``backend``, tune frequencies until each entry cuts whole.

    Warns (naming the lexicon file) about entries still split after ``MAX_ROUNDS`` rounds,
    usually because they overlap another entry.

    Example::

        >>> backend = make_backend("jieba", hmm=False)
        >>> install_lexicon(backend, Lexicon.from_terms(["考核机制"])).failed
        ()
        >>> backend.cut("完善考核机制")
        ['完善', '考核机制']
    """
    freqs: dict[str, int] = {}
    for entry in lexicon.entries:
        freqs[entry.word] = entry.freq or backend.suggest_freq(entry.word)
        backend.add_word(entry.word, freqs[entry.word], entry.tag)
    failing = _split_entries(backend, lexicon, templates)
    for _ in range(MAX_ROUNDS):
        if not failing:
            break
        for entry in failing:
            freqs[entry.word] = max(backend.suggest_freq(entry.word), freqs[entry.word] * BOOST)
            backend.add_word(entry.word, freqs[entry.word], entry.tag)
        failing = _split_entries(backend, lexicon, templates)
    if failing:
        words = "、".join(entry.word for entry in failing)
        warnings.warn(
            f"{lexicon.source}: {len(failing)} lexicon entr(y/ies) still split after raising"
            f" their frequency: {words}; remove them or resolve the overlap with other entries",
            stacklevel=3,
        )
    tuned = tuple(replace(entry, freq=freqs[entry.word]) for entry in lexicon.entries)
    return InstalledLexicon(
        Lexicon(tuned, lexicon.source, lexicon.warnings),
        tuple(entry.word for entry in failing),
    )


def _split_entries(
    backend: Backend, lexicon: Lexicon, templates: tuple[str, ...]
) -> list[LexiconEntry]:
    """Entries that do not come out as one token, alone or inside a template sentence.

    Inside a sentence, an entry swallowed by a longer lexicon word (考核机制 in
    党建考核机制, when that is an entry too) counts as whole.
    """
    return [
        entry
        for entry in lexicon.entries
        if backend.cut(entry.word) != [entry.word]
        or not all(
            _whole_in(backend.cut(t.format(entry.word)), entry.word, lexicon) for t in templates
        )
    ]


def _whole_in(tokens: list[str], word: str, lexicon: Lexicon) -> bool:
    return any(token == word or (word in token and token in lexicon) for token in tokens)
