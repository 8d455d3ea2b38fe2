"""Split a cleaned page into articles, each with its own title.

Compilation pages (范文合集) number their articles with markers such as
``党建与业务工作深度融合不够【第一篇】``, ``第一篇：…``, ``篇二：…``, ``范文3：…`` or
``…调研报告范本2``. A page is a compilation when one marker style numbers at least two
articles 1, 2, 3, …; the text before the first marker (the page's header and promo) is
not an article. Any other page is one article titled by its first title-like line.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .byline import is_byline_line
from .normalize import HEADING_RE

# An ordinal in Chinese or Arabic numerals.
_ORD = r"[一二三四五六七八九十百零〇两\d]{1,4}"
# Article markers; each style is numbered separately. ``title`` is the text on the marker line.
_MARKERS = {
    # "标题【第一篇】", "【第二篇】标题", "（第3篇）"
    "bracket": re.compile(
        rf"^(?P<before>.*?)\s*[【\[（(]\s*(?:第\s*(?P<n>{_ORD})\s*篇|篇\s*(?P<n2>{_ORD}))\s*[】\]）)]"
        r"\s*(?P<after>.*)$"
    ),
    # "第一篇：标题", "第2篇 标题", "第五篇"
    "di_pian": re.compile(rf"^第\s*(?P<n>{_ORD})\s*篇(?:\s*[：:、.．]\s*|\s+|$)(?P<after>.*)$"),
    # "篇一：标题"
    "pian": re.compile(rf"^篇\s*(?P<n>{_ORD})(?:\s*[：:、.．]\s*|\s+|$)(?P<after>.*)$"),
    # "范文一：标题", "材料1：标题", "范本（二）标题"
    "kind_first": re.compile(
        rf"^(?:参考)?(?:范文|范本|范例|例文|样文|模板|材料|文章)\s*[（(]?(?P<n>{_ORD})[）)]?"
        r"(?:\s*[：:、.．]\s*|\s+|$)(?P<after>.*)$"
    ),
    # "党支部调研报告范本2", "调研报告范文（三）"
    "kind_last": re.compile(
        rf"^(?P<before>.{{2,60}}?(?:范文|范本|范例|例文|样文|模板))\s*[（(]?(?P<n>{_ORD})[）)]?$"
    ),
}
_KIND_WORD = re.compile("范文|范本|范例|例文|样文|模板|材料|文章")  # the kinds the markers name
# Labelled front-matter lines that are never titles.
_LABEL_RE = re.compile(r"^(?:内容)?(?:摘\s*要|关键词|关键字|引言|作者|来源|前言)\s*[：:]?")
# A title glued to the abstract: "党建思想工作和业务工作融合研究摘要：……".
_GLUED_ABSTRACT = re.compile(r"^(?P<title>.{4,60}?)\s*(?P<rest>(?:内容)?摘\s*要\s*[：:].+)$")
# Sentence punctuation a title does not contain, and endings it does not have.
_SENTENCE_PUNCT = re.compile(r"[。；;]")
_OPEN_END = ("，", ",", "、", "：", ":")
_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}

TITLE_MAX = 60  # longest title-like line
SUBTITLE_MIN = 8  # shortest line that may replace a compilation's generic article title
TITLE_SCAN = 8  # byline lines skipped before the title of a single-article page, at most


class _Marker(NamedTuple):
    line: int
    style: str
    number: int
    title: str


def split_articles(text: str, *, file_title: str | None = None) -> list[tuple[str, str]]:
    """Split cleaned page text into ``[(title, body)]``; one item when it is no compilation.

    Example::

        >>> split_articles("合集\\n第一篇：甲报告\\n正文一。\\n第二篇：乙报告\\n正文二。")
        [('甲报告', '正文一。'), ('乙报告', '正文二。')]
    """
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    run = _article_markers(lines)
    if not run:
        return [_single_article(lines, file_title)]
    articles = []
    for k, marker in enumerate(run):
        end = run[k + 1].line if k + 1 < len(run) else len(lines)
        title, body = _resolve_title(marker.title, lines[marker.line + 1 : end], file_title)
        articles.append((title, "\n".join(body)))
    return articles


def looks_like_title(line: str) -> bool:
    """True for a short line that can be a title: no sentence punctuation, no heading number.

    Example::

        >>> looks_like_title("新时期机关党建工作存在的问题及对策"), looks_like_title("一、存在问题")
        (True, False)
    """
    return (
        4 <= len(line) <= TITLE_MAX
        and not _SENTENCE_PUNCT.search(line)
        and not line.endswith(_OPEN_END)
        and not HEADING_RE.match(line)
        and not _LABEL_RE.match(line)
        and not is_byline_line(line)
    )


def _article_markers(lines: list[str]) -> list[_Marker]:
    """Markers of the longest run numbered 1, 2, 3, … in one style (the later run on ties)."""
    markers = [m for index, line in enumerate(lines) if (m := _marker(line, index))]
    runs: list[list[_Marker]] = []
    for style in _MARKERS:
        current: list[_Marker] = []
        for marker in (m for m in markers if m.style == style):
            if marker.number == 1:
                current = [marker]
                runs.append(current)
            elif current and marker.number == current[-1].number + 1:
                current.append(marker)
    runs = [run for run in runs if len(run) >= 2]
    return max(runs, key=lambda run: (len(run), run[0].line), default=[])


def _marker(line: str, index: int) -> _Marker | None:
    if "篇" not in line and not _KIND_WORD.search(line):
        return None  # every marker style names 篇 or a kind of text (a quick test first)
    for style, pattern in _MARKERS.items():
        match = pattern.match(line)
        if match:
            groups = match.groupdict()
            number = _ordinal(groups.get("n") or groups.get("n2") or "")
            title = groups.get("before") or groups.get("after") or ""
            if number:
                return _Marker(index, style, number, _clean_title(title))
    return None


def _ordinal(token: str) -> int | None:
    """1..999 from '3', '三', '十二', '二十一'; None for anything else."""
    if token.isdigit():
        return int(token)
    if not token or any(c not in _CN_DIGITS and c not in "十百" for c in token):
        return None
    total, digit = 0, 0
    for char in token:
        if char in _CN_DIGITS:
            digit = _CN_DIGITS[char]
        else:
            total += (digit or 1) * (10 if char == "十" else 100)
            digit = 0
    return (total + digit) or None


def _clean_title(title: str) -> str:
    """Single spaces, no end punctuation and no wrapping 《》 in a title."""
    title = " ".join(title.split()).rstrip("：:，,、")
    if title.startswith("《") and title.endswith("》"):
        title = title[1:-1]
    return title.strip()


def _resolve_title(
    marker_title: str, body: list[str], fallback: str | None
) -> tuple[str, list[str]]:
    """Title of a compilation article and its body without the title lines.

    A first body line repeating the marker's title is dropped; a title-like first line (of
    at least SUBTITLE_MIN characters when the marker has a title) is the article's own,
    more specific title; so is a title glued to "摘要："; otherwise the marker's title stands.
    """
    title = marker_title
    if body and _same(body[0], marker_title):
        body = body[1:]
    elif body and looks_like_title(body[0]) and len(body[0]) >= (SUBTITLE_MIN if title else 0):
        title, body = body[0], body[1:]
    elif body and (glued := _GLUED_ABSTRACT.match(body[0])) and looks_like_title(glued["title"]):
        title, body = glued["title"], [glued["rest"], *body[1:]]
    return _clean_title(title) or fallback or "", _drop_repeats(title, body)


def _single_article(lines: list[str], fallback: str | None) -> tuple[str, str]:
    """Title = the first line that is not a byline, if it looks like a title."""
    for index, line in enumerate(lines[:TITLE_SCAN]):
        if is_byline_line(line):
            continue
        glued = _GLUED_ABSTRACT.match(line)
        if looks_like_title(line):
            title, body = line, lines[:index] + lines[index + 1 :]
        elif glued and looks_like_title(glued["title"]):
            title, body = glued["title"], [*lines[:index], glued["rest"], *lines[index + 1 :]]
        else:
            break
        return _clean_title(title), "\n".join(_drop_repeats(title, body))
    return fallback or "", "\n".join(lines)


def _drop_repeats(title: str, body: list[str]) -> list[str]:
    """Drop lines repeating the title among the first two of the body."""
    head = [line for line in body[:2] if not _same(line, title)]
    return head + body[2:]


def _same(a: str, b: str) -> bool:
    return bool(b) and re.sub(r"\s+", "", a) == re.sub(r"\s+", "", b)
