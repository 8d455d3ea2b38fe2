"""Turn an article's text into paragraph lines fit for heading detection.

Two repairs for text that came out of PDFs and web pages:

- a line broken mid-sentence (it ends with a comma, or it is long and has no closing
  punctuation) is joined to the next one, unless the next one starts with a number;
- headings glued to the text before them ("…向前发展。2、业务工作…",
  "…辩证关系1、机关党建…") are put back on their own lines.
"""

from __future__ import annotations

import re

from .headings import MAX_LEADIN_CHARS, starts_with_marker

_CN = "一二三四五六七八九十"
# Where a numbered heading starts inside a line: after a full stop (the heading starts where
# this match ends), or a digit marker glued to a Chinese character, not "第1、2条" (the heading
# starts where it begins). Both start with a character class, which Python's re scans fast.
_AFTER_STOP = re.compile(rf"[。；;！？](?=[{_CN}]{{1,3}}、|\d{{1,2}}、|[（(][{_CN}\d]{{1,2}}[）)])")
_GLUED_DIGIT = re.compile(r"\d(?<=[\u4e00-\u9fff]\d)(?<!第\d)(?=\d?、[\u4e00-\u9fff])")
_CLOSED = re.compile(r"[。！？；;!?…：:”」》）)]$")
_COMMA_END = re.compile(r"[，,、“（(]$")
_HAS_STOP = re.compile(r"[。！？；;]")
_SHORT_TAIL = re.compile(r"[“”‘’\u4e00-\u9fff]{1,6}")  # "“真”融合" after "一、推动党建与业务工作"


def _unglue(line: str) -> list[str]:
    """The line cut where a glued numbered heading starts ("…发展。2、业务…")."""
    points = {match.end() for match in _AFTER_STOP.finditer(line)}
    points.update(match.start() for match in _GLUED_DIGIT.finditer(line))
    if not points:
        return [line]
    bounds = [0, *sorted(points), len(line)]
    return [line[start:end] for start, end in zip(bounds, bounds[1:], strict=False)]


def _continues(prev: str, line: str) -> bool:
    """Whether ``line`` is the rest of ``prev`` (a line break that is not a paragraph break)."""
    if starts_with_marker(line):
        return False
    if _COMMA_END.search(prev):
        return True
    if _CLOSED.search(prev):
        return False
    if starts_with_marker(prev) and not _HAS_STOP.search(prev):
        # An unpunctuated heading: only a very short tail continues it.
        return bool(_SHORT_TAIL.fullmatch(line))
    return len(prev) > MAX_LEADIN_CHARS


def article_lines(text: str) -> list[str]:
    r"""Non-empty, repaired paragraph lines of an article's text.

    Example::

        >>> article_lines("一、推动党建与业务工作\n“真”融合\n思想要重视。办公厅…向前发展。2、业务")
        ['一、推动党建与业务工作“真”融合', '思想要重视。办公厅…向前发展。', '2、业务']
    """
    lines: list[str] = []
    for raw in text.splitlines():
        for piece in _unglue(raw.strip()):
            piece = piece.strip()
            if not piece:
                continue
            if lines and _continues(lines[-1], piece):
                lines[-1] += piece
            else:
                lines.append(piece)
    return lines
