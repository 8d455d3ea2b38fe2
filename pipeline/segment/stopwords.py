"""Stop words: general function words (matched as tokens) and formulaic phrases (matched in text).

File format (both files): UTF-8, one entry per line, ``#`` starts a comment, blank lines
ignored, surrounding whitespace stripped.

- ``models/stopwords_zh.txt``: a token equal to an entry is dropped.
- ``models/stopwords_formulaic.txt``: phrases of the genre's boilerplate. They are matched
  as *regular expressions over the sentence text*, not as tokens: a literal phrase such as
  ``高度重视`` marks its characters, and a pattern with ``…`` such as ``以…为指导`` matches
  its literal parts around a gap of 1..``max_gap`` characters without punctuation
  (``以习近平新时代中国特色社会主义思想为指导`` marks ``以`` and ``为指导``; the gap keeps its
  content words). A token lying wholly inside marked characters is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

GAP = "…"
_GAP_CHARS = r"[^\s，。；：！？、,.;:!?“”‘’\"'（）()《》]"


class StopWordsError(ValueError):
    """A stop-word file is missing, not UTF-8 or has an unusable entry."""


@dataclass(frozen=True)
class StopWords:
    """Token stop words plus formulaic phrases/patterns; ``StopWords()`` drops nothing.

    Example::

        >>> stop = StopWords(words=frozenset({"的"}), phrases=("高度重视", "以…为指导"))
        >>> stop.spans("部党组高度重视，以党章为指导")
        [(3, 7), (8, 9), (11, 14)]
    """

    words: frozenset[str] = frozenset()
    phrases: tuple[str, ...] = ()
    max_gap: int = 24
    _literals: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    _tails: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    _patterns: tuple[re.Pattern[str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        literals, tails, patterns = _compile(self.phrases, self.max_gap)
        object.__setattr__(self, "_literals", literals)
        object.__setattr__(self, "_tails", tails)
        object.__setattr__(self, "_patterns", patterns)

    @classmethod
    def load(cls, words: str | Path | None, formulaic: str | Path | None = None) -> StopWords:
        """Read a token stop-word file and a formulaic-phrase file (either may be ``None``).

        Example::

            >>> stop = StopWords.load("models/stopwords_zh.txt", "models/stopwords_formulaic.txt")
            >>> "的" in stop.words
            True
        """
        return cls(
            frozenset(_read_entries(words)) if words else frozenset(),
            tuple(_read_entries(formulaic)) if formulaic else (),
        )

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Character spans of ``text`` covered by formulaic phrases, in order.

        Example::

            >>> StopWords(phrases=("进一步",)).spans("进一步加强")
            [(0, 3)]
        """
        found: list[tuple[int, int]] = []
        if self._literals is not None:
            found.extend(match.span() for match in self._literals.finditer(text))
        if self._tails is not None and self._tails.search(text):
            for pattern in self._patterns:
                for match in pattern.finditer(text):
                    found.extend(match.span(group) for group in range(1, pattern.groups + 1))
        return sorted(found)


def _read_entries(path: str | Path) -> list[str]:
    """Entries of a one-per-line file with ``#`` comments, in file order, without duplicates."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise StopWordsError(f"{file}: stop-word file not found; pass an existing path") from None
    except UnicodeDecodeError as exc:
        raise StopWordsError(f"{file}: not UTF-8 ({exc}); re-save it as UTF-8") from None
    entries: dict[str, None] = {}
    for lineno, line in enumerate(text.splitlines(), 1):
        entry = line.split("#", 1)[0].strip()
        if not entry:
            continue
        if any(char.isspace() for char in entry):
            raise StopWordsError(
                f"{file}:{lineno}: {entry!r} contains whitespace; put one entry per line"
            )
        if entry.strip(GAP) != entry or GAP * 2 in entry:
            raise StopWordsError(
                f"{file}:{lineno}: {entry!r}: '…' must stand between two literal parts"
            )
        entries[entry] = None
    return list(entries)


def _compile(
    phrases: Iterable[str], max_gap: int
) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None, tuple[re.Pattern[str], ...]]:
    """Regexes for the phrases: literals, the last parts of ``…`` patterns, ``…`` patterns.

    The literals form one alternation without groups, which keeps re's fast literal scan.
    A ``…`` pattern is slow to scan (its lazy gap is tried after every 以 or 在), so it runs
    only on texts where the fast alternation of the patterns' last parts (为指导, 的领导下)
    finds one. In a ``…`` pattern each literal part is a group; the gaps are not.
    """
    unique = sorted(set(phrases))
    literals = [p for p in unique if GAP not in p]
    gapped = [p.split(GAP) for p in unique if GAP in p]
    gap = f"{_GAP_CHARS}{{1,{max_gap}}}?"
    patterns = tuple(
        re.compile(gap.join(f"({re.escape(part)})" for part in parts)) for parts in gapped
    )
    return _alternation(literals), _alternation(parts[-1] for parts in gapped), patterns


def _alternation(words: Iterable[str]) -> re.Pattern[str] | None:
    """One regex matching any of ``words``, or ``None`` for no words.

    Longest first: re takes the first alternative that matches, not the longest.
    """
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return re.compile("|".join(map(re.escape, ordered))) if ordered else None
