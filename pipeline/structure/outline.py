"""Give headings their outline level, the way a reader builds a document outline.

Levels come from numbering styles in the order first seen within the article: the first
style is level 1, a style not seen before goes one level deeper, and a style already open
closes everything below it. Three exceptions keep real documents right:

- numbering that continues across a change of style is the same level (004 篇四:
  "1.…的原因" then "二、…之间的关系");
- 引言/摘要/结语/参考文献 are always outermost, and the first numbered heading after one
  of them is its sibling, not its child;
- a lead-in line ("…主要有两方面。") only covers the enumeration that follows it: it is
  closed by the next numbered heading or by a paragraph after its items.
"""

from __future__ import annotations

from dataclasses import dataclass

from .headings import Heading


@dataclass
class Open:
    """A heading that is open in the outline, with its section number and cue roles.

    Example::

        >>> from pipeline.structure.headings import parse_numbered
        >>> Open(parse_numbered("二、存在问题"), 3, frozenset({"problem"})).section
        3
    """

    heading: Heading
    section: int
    roles: frozenset[str]


class Outline:
    """The stack of open headings of one article.

    Example::

        >>> from pipeline.structure.headings import parse_numbered
        >>> o = Outline()
        >>> [o.place(parse_numbered(x), 0, frozenset()) for x in ["一、甲", "（一）乙", "二、丙"]]
        [1, 2, 1]
    """

    def __init__(self) -> None:
        self.stack: list[Open] = []

    def _level_of(self, heading: Heading) -> int | None:
        """Index in the stack this heading replaces, or None to go one level deeper."""
        styles = [entry.heading.style for entry in self.stack]
        if heading.style == "top":
            return 0
        if heading.style in styles:
            return styles.index(heading.style)
        number = heading.number
        if number is not None and number > 1:
            for i in range(len(self.stack) - 1, -1, -1):
                if self.stack[i].heading.number == number - 1:
                    return i
        if styles and styles[-1] == "top":
            return len(styles) - 1
        return None

    def place(self, heading: Heading, section: int, roles: frozenset[str]) -> int:
        """Open a heading and return its level (1 = outermost)."""
        if heading.kind != "claim" and self.stack and self.stack[-1].heading.kind == "leadin":
            self.stack.pop()
        index = self._level_of(heading)
        if index is not None:
            del self.stack[index:]
        self.stack.append(Open(heading, section, roles))
        return len(self.stack)

    def close_leadin(self) -> None:
        """A paragraph after a lead-in's items: the lead-in no longer covers the text."""
        if self.stack and self.stack[-1].heading.kind == "leadin":
            self.stack.pop()

    @property
    def leadin_open(self) -> bool:
        """Whether the innermost open heading is a lead-in."""
        return bool(self.stack) and self.stack[-1].heading.kind == "leadin"

    @property
    def section(self) -> int:
        """Section number of the innermost open heading (0 before the first heading)."""
        return self.stack[-1].section if self.stack else 0

    @property
    def part(self) -> int:
        """Section number of the outermost open heading (0 before the first heading)."""
        return self.stack[0].section if self.stack else 0

    @property
    def path(self) -> list[str]:
        """Labels of the open headings, outermost first."""
        return [entry.heading.label for entry in self.stack]

    @property
    def roles(self) -> frozenset[str]:
        """Roles named by the nearest open heading that names any."""
        for entry in reversed(self.stack):
            if entry.roles:
                return entry.roles
        return frozenset()
