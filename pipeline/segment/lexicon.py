"""The curated lexicon: a jieba user dictionary (``word freq tag``), loaded with checks.

jieba reads user dictionaries leniently: a BOM glued to the first word, a ``\\r`` left by
Windows line endings, a tab or a full-width space, a stray comma — each silently turns
into a different word or drops the frequency. :meth:`Lexicon.load` refuses such lines
(``strict=True``) or cleans what can be cleaned and skips the rest (``strict=False``),
always naming the file and line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_TAG = "nz"
_TAG = re.compile(r"[a-z]{1,4}")
_FREQ = re.compile(r"[1-9][0-9]{0,9}")


class LexiconError(ValueError):
    """A lexicon file has entries jieba would misread; the message lists file:line problems."""


@dataclass(frozen=True)
class LexiconEntry:
    """One lexicon word with its jieba frequency (``None``: let the tokenizer suggest one).

    Example::

        >>> LexiconEntry("三会一课", 3000, "j").word
        '三会一课'
    """

    word: str
    freq: int | None = None
    tag: str = DEFAULT_TAG


@dataclass(frozen=True)
class Lexicon:
    """An ordered, duplicate-free set of lexicon entries and where they came from.

    ``warnings`` lists what ``load(strict=False)`` cleaned or skipped.

    Example::

        >>> lex = Lexicon.from_terms(["两张皮", "考核机制"])
        >>> "两张皮" in lex
        True
    """

    entries: tuple[LexiconEntry, ...] = ()
    source: str = "<terms>"
    warnings: tuple[str, ...] = field(default=(), compare=False)
    _index: dict[str, LexiconEntry] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, LexiconEntry] = {}
        for entry in self.entries:
            if entry.word in index:
                raise LexiconError(f"{self.source}: duplicate entry {entry.word!r}; keep one line")
            index[entry.word] = entry
        object.__setattr__(self, "_index", index)

    @classmethod
    def load(cls, path: str | Path, *, strict: bool = True) -> Lexicon:
        """Read a UTF-8 jieba user dictionary, checking every line.

        Each line is ``word [freq] [tag]`` separated by single spaces; a missing tag
        becomes ``nz``. ``strict=True`` raises :class:`LexiconError` listing every bad
        line; ``strict=False`` strips a BOM, ``\\r`` and stray whitespace, skips lines
        that cannot be repaired and records each fix in ``warnings``.

        Example::

            >>> lex = Lexicon.load("models/lexicon.txt")   # 党建词典
            >>> lex.tag_of("三会一课")
            'j'
        """
        file = Path(path)
        try:
            raw = file.read_bytes().decode("utf-8")
        except FileNotFoundError:
            raise LexiconError(f"{file}: lexicon file not found; pass an existing path") from None
        except UnicodeDecodeError as exc:
            raise LexiconError(f"{file}: not UTF-8 ({exc}); re-save the file as UTF-8") from None
        entries: list[LexiconEntry] = []
        problems: list[str] = []
        first_line: dict[str, int] = {}
        for lineno, line in enumerate(raw.split("\n"), 1):
            entry, issues, fatal = _parse_line(line)
            if entry is not None and entry.word in first_line:
                issues.append(f"duplicate of line {first_line[entry.word]}; delete one")
                fatal = True
            problems.extend(f"{file}:{lineno}: {issue}" for issue in issues)
            if entry is not None and not fatal:
                first_line[entry.word] = lineno
                entries.append(entry)
        if problems and strict:
            raise LexiconError(
                f"{file}: {len(problems)} problem(s) jieba would silently misread:\n"
                + "\n".join(problems)
            )
        return cls(tuple(entries), str(file), tuple(problems))

    @classmethod
    def from_terms(cls, terms: Iterable[str], *, tag: str = DEFAULT_TAG) -> Lexicon:
        """Lexicon of plain terms (frequency suggested by the tokenizer), checked like a file.

        Example::

            >>> Lexicon.from_terms(["生产经营"], tag="nw").entries[0].tag
            'nw'
        """
        return cls(()).with_terms(terms, tag=tag)

    def with_terms(self, terms: Iterable[str], *, tag: str = DEFAULT_TAG) -> Lexicon:
        """A new lexicon with ``terms`` appended (terms already present are skipped).

        Example::

            >>> Lexicon.from_terms(["两张皮"]).with_terms(["党建联系点"]).words
            ('两张皮', '党建联系点')
        """
        entries = list(self.entries)
        known = set(self.words)
        for term in terms:
            issue = _word_problem(term)
            if issue:
                raise LexiconError(f"term {term!r}: {issue}")
            if term not in known:
                known.add(term)
                entries.append(LexiconEntry(term, None, tag))
        added = len(entries) - len(self.entries)
        source = f"{self.source} + {added} added terms" if added and self.entries else self.source
        return Lexicon(tuple(entries), source, self.warnings)

    @property
    def words(self) -> tuple[str, ...]:
        """The words in file order."""
        return tuple(entry.word for entry in self.entries)

    def tag_of(self, word: str) -> str | None:
        """The POS tag of ``word``, or ``None`` when it is not in the lexicon."""
        entry = self._index.get(word)
        return entry.tag if entry else None

    def __contains__(self, word: object) -> bool:
        return word in self._index

    def __len__(self) -> int:
        return len(self.entries)


def _parse_line(line: str) -> tuple[LexiconEntry | None, list[str], bool]:
    """Parse one line: (entry or None, problems found, whether the line must be skipped)."""
    issues: list[str] = []
    if "\ufeff" in line:
        issues.append("byte-order mark (BOM) inside the line; save the file as UTF-8 without BOM")
        line = line.replace("\ufeff", "")
    if line.endswith("\r"):
        issues.append("CRLF line ending; save the file with LF line endings")
        line = line[:-1]
    fields = line.split()
    if " ".join(fields) != line:
        issues.append(
            "stray whitespace (tab, double or full-width space, leading or trailing space);"
            " separate fields by single spaces"
        )
    if not line.strip():
        return None, issues, False
    if len(fields) > 3:
        return None, [*issues, f"{len(fields)} fields; expected 'word [freq] [tag]'"], True
    word, rest = fields[0], fields[1:]
    problem = _word_problem(word)
    if problem:
        return None, [*issues, f"word {word!r}: {problem}"], True
    freq: int | None = None
    tag = DEFAULT_TAG
    if rest and _FREQ.fullmatch(rest[0]):
        freq = int(rest.pop(0))
    if rest and _TAG.fullmatch(rest[0]):
        tag = rest.pop(0)
    if rest:
        expected = "expected a positive integer frequency, then a lower-case POS tag"
        return None, [*issues, f"cannot read {' '.join(rest)!r}; {expected}"], True
    return LexiconEntry(word, freq, tag), issues, False


def _word_problem(word: str) -> str:
    """Why ``word`` cannot be a jieba dictionary word ('' when it can)."""
    if not word:
        return "empty word"
    for char in word:
        category = unicodedata.category(char)
        if category == "Cc":
            return f"ASCII control character U+{ord(char):04X}; delete it"
        if category == "Cf":
            return f"invisible format character U+{ord(char):04X}; delete it"
        if category[0] == "Z":
            return "contains whitespace; jieba words cannot contain spaces"
        if category[0] in "PS":
            return f"punctuation or symbol {char!r}; jieba splits words at punctuation, delete it"
    return ""
