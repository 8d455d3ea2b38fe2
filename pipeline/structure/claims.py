"""Enumerated claims: 一是…二是…, 一要…二要…, 第一，…第二，…, 首先…其次…最后…, 一方面…另一方面….

Each item of an enumeration is a claim unit. Its index comes from the marker's numeral
(一是 -> 0, 三要 -> 2, 第四 -> 3), so an enumeration that mixes families (第一,… 二要…)
or starts again (一是…四是… then 一是…三是…) still gets the right index. Words without
a numeral (其次/再次/最后, 另一方面) continue an enumeration opened by 首先/一方面 and are
ordinary words otherwise ("其次,一些基层党员认为…" with no 首先 before it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUMERAL = "一二三四五六七八九十"

# An enumeration marker at the very start of a sentence (or of a line).
CLAIM_MARKER = re.compile(
    rf"\s*(?:(?P<num>[{_NUMERAL}]{{1,3}})(?:是|要)(?!否)"
    rf"|第(?P<ord>[{_NUMERAL}]{{1,3}})[，,、：:]"
    r"|(?P<start>首先|一方面)"
    r"|(?P<next>其次|再次|再者|最后|另一方面))"
)


def chinese_number(numeral: str) -> int:
    """Value of a small Chinese numeral (一 … 九十九).

    Example::

        >>> chinese_number("十二"), chinese_number("二十")
        (12, 20)
    """
    if "十" not in numeral:
        return _NUMERAL.index(numeral) + 1
    tens, _, units = numeral.partition("十")
    return (chinese_number(tens) if tens else 1) * 10 + (chinese_number(units) if units else 0)


@dataclass(frozen=True)
class Marker:
    """An enumeration marker: ``index`` is 0-based, or None for a continuation word.

    Example::

        >>> claim_marker("二要加强理论学习。"), claim_marker("其次,要找准切入点。")
        (Marker(index=1, opens=False), Marker(index=None, opens=False))
    """

    index: int | None
    opens: bool = False


def claim_marker(sentence: str) -> Marker | None:
    """The enumeration marker a sentence starts with, if any.

    Example::

        >>> claim_marker("三是自觉性不够强。")
        Marker(index=2, opens=False)
        >>> claim_marker("首先,要充分认识到这两项工作深度融合的重要性。")
        Marker(index=0, opens=True)
    """
    match = CLAIM_MARKER.match(sentence)
    if not match:
        return None
    numeral = match.group("num") or match.group("ord")
    if numeral:
        return Marker(chinese_number(numeral) - 1)
    if match.group("start"):
        return Marker(0, opens=True)
    return Marker(None)


class ClaimTracker:
    """Walks one article and says which claim (index, id number) each sentence belongs to.

    A claim started by a heading ("一是调阅汇报材料。" on its own line) lasts until the next
    heading; a claim started inside a paragraph lasts until the paragraph ends or the next
    marker. A section heading closes every enumeration.

    Example::

        >>> t = ClaimTracker()
        >>> [t.sentence(s) for s in ["导语。", "一是主动性不够足。", "说明。", "二是积极性不够高。"]]
        [(-1, -1), (0, 0), (0, 0), (1, 1)]
    """

    def __init__(self) -> None:
        self._next_id = 0
        self._heading: tuple[int, int] | None = None
        self._paragraph: tuple[int, int] | None = None
        self._last = -1
        self._open = False

    def _new(self, index: int) -> tuple[int, int]:
        claim = (index, self._next_id)
        self._next_id += 1
        self._last = index
        return claim

    def section(self) -> None:
        """A section heading: close every claim and enumeration."""
        self._heading = self._paragraph = None
        self._last, self._open = -1, False

    def heading_claim(self, marker: Marker | None) -> tuple[int, int]:
        """A claim heading (numbered, or an unnumbered parallel lead sentence)."""
        self._paragraph = None
        index = self._resolve(marker) if marker else None
        self._heading = self._new(self._last + 1 if index is None else index)
        return self._heading

    def _resolve(self, marker: Marker) -> int | None:
        if marker.opens:
            self._open = True
        if marker.index is not None:
            return marker.index
        return self._last + 1 if self._open else None

    def sentence(self, text: str) -> tuple[int, int]:
        """(claim_index, claim number) of a body sentence, (-1, -1) outside claims."""
        marker = claim_marker(text)
        index = self._resolve(marker) if marker else None
        if index is not None:
            self._paragraph = self._new(index)
        return self._paragraph or self._heading or (-1, -1)

    def paragraph_end(self) -> None:
        """A paragraph ended: a claim begun inside it ends too."""
        self._paragraph = None

    @property
    def in_enumeration(self) -> bool:
        """Whether an enumeration has started since the last section heading."""
        return self._last >= 0
