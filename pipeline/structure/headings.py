"""Recognise headings in an article's lines: numbered, unnumbered, and sharing a line with body.

Kinds of heading:

- ``section``: numbered (一、 （一） 1. 1、 1． （1） ① ◎ 2.1, a bare "1标题" line) or an
  unnumbered short line with no sentence punctuation. Their cue words name roles.
- ``claim``: an item of an enumeration that stands as a heading: 第一，… and 首先，…
  (then 其次，… 最后，…) at the start of a line, "一是调阅汇报材料。" alone on a line, or a run of parallel short lead
  sentences ("思想要重视。办公厅…" / "书记要带头。支部…"). Their words are the claim itself,
  so they name no role.
- ``leadin``: a short line that announces an enumeration ("…原因主要有两方面。",
  "下一步,…有以下几点思考:"); it covers the items that follow it, not the text after them.
- ``top``: 引言/摘要/结语/参考文献…, always at the outermost level.
- ``subtitle``: an unnumbered title-like first line (a second title), outside the outline.

A heading that shares its line with body text ends at the first 。/；: "（一）工作态度上热情
不高。一是主动性不够足。…" is the heading "（一）工作态度上热情不高。" and a body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .claims import CLAIM_MARKER, Marker, chinese_number, claim_marker
from .sentences import split_sentences

_CN = "一二三四五六七八九十"

# Numbered markers at the start of a line, as (style, pattern); the first that matches wins.
_NUMBERED: tuple[tuple[str, str], ...] = (
    ("cn", rf"[{_CN}]{{1,3}}[、．.](?![\d{_CN}])"),
    ("cn_paren", rf"[（(][{_CN}]{{1,3}}[）)]"),
    ("num_dotted", r"\d{1,2}[.．]\d{1,2}(?![\d%％.．])[、.．]?"),
    ("num", r"\d{1,2}[、.．](?![\d%％])"),
    ("num_paren", r"[（(]\d{1,2}[）)]"),
    ("circled", r"[①-⑳]"),
    ("star", r"[◎●■◆★☆▲]"),
    ("ordinal", rf"第[{_CN}]{{1,3}}[，,、：:]"),
    ("order", r"(?:首先|其次|再次|再者|最后)[，,：:]"),
    # "1国有企业…" only when the whole line is a short title (checked below).
    ("num_bare", r"\d{1,2}(?=[\u4e00-\u9fff])(?![年月日号个名位项次条万亿千百人家份期届岁天])"),
)
_NUMBERED_RE = re.compile("|".join(f"(?P<{style}>{pattern})" for style, pattern in _NUMBERED))
_NUMBER_IN = re.compile(rf"\d{{1,2}}|[{_CN}]{{1,3}}|[①-⑳]")
CLAIM_STYLES = frozenset({"ordinal", "order"})


_TOP = re.compile(
    r"(?P<name>引言|前言|摘要|关键词|结语|结束语|结论|参考文献|附录)(?:[:：](?P<body>.*))?"
)
_TERMINAL = "。！？；;!?…"
_COMMAS = re.compile(r"[，,、：:；;]")
_LEADIN = re.compile(r"[:：]$|如下|以下|下列|几点|[两二三四五六七八九几多]个?方面")
# Sentences that open with a connective continue an argument; they are not headings.
_CONNECTIVE = re.compile(r"(?:但|然而|而且|因此|所以|同时|此外|另外|如|例如|比如|其中|总之)")
_STRIP = "。！？；;：:，, \u3000"

MAX_PLAIN_CHARS = 30  # an unnumbered heading line is short
MAX_LEADIN_CHARS = 40  # a line announcing an enumeration may be a little longer
MAX_LEAD_CHARS = 15  # a parallel lead sentence ("思想要重视。") is very short
MAX_BARE_CHARS = 40  # a "1标题" line


@dataclass(frozen=True)
class Heading:
    """A heading found in a line.

    ``text`` is the heading as written (with its number), ``label`` the heading without
    number and closing punctuation (what goes into ``heading_path``), ``body`` the rest
    of the line. ``number`` is the item's number when the style has one.

    Example::

        >>> h = parse_numbered("（一）工作态度上热情不高。一是主动性不够足。")
        >>> h.style, h.number, h.label, h.body
        ('cn_paren', 1, '工作态度上热情不高', '一是主动性不够足。')
    """

    style: str
    kind: str
    text: str
    label: str
    body: str = ""
    number: int | None = None
    marker: Marker | None = None


def _first_sentence(line: str, sentences: list[str]) -> tuple[str, str]:
    first = sentences[0] if sentences else line
    return first, line[len(first) :].strip()


def parse_numbered(line: str, *, sentences: list[str] | None = None) -> Heading | None:
    """A heading that starts with a number or bullet (possibly followed by body text).

    ``sentences``: the line's :func:`split_sentences`, when the caller has them already.

    Example::

        >>> parse_numbered("2.1从思想认识方面进行深度融合").style
        'num_dotted'
        >>> parse_numbered("2018年底长江三峡工程…") is None
        True
    """
    match = _NUMBERED_RE.match(line)
    if not match or not line[match.end() :].strip():
        return None
    style = match.lastgroup or ""
    number = _number_of(match.group())
    head, body = _first_sentence(line, split_sentences(line) if sentences is None else sentences)
    if style == "num_bare" and (body or len(line) > MAX_BARE_CHARS or line[-1] in _TERMINAL):
        return None
    kind = "claim" if style in CLAIM_STYLES else "section"
    label = head[match.end() :].strip().rstrip(_STRIP)
    marker = claim_marker(line) if kind == "claim" else None
    return Heading(style, kind, head, label, body, number, marker)


def _number_of(marker: str) -> int | None:
    """The item number in a marker ("（三）" -> 3, "2.1" -> 1, "◎" -> None)."""
    found = _NUMBER_IN.findall(marker)
    if not found:
        return None
    value = found[-1]
    if "①" <= value <= "⑳":
        return ord(value) - ord("①") + 1
    if value.isascii():
        return int(value)
    return chinese_number(value)


def starts_with_marker(line: str) -> bool:
    """Whether a line starts with a heading number or an enumeration marker.

    Example::

        >>> starts_with_marker("（二）工作定位上思路不清。"), starts_with_marker("中,关于")
        (True, False)
    """
    return bool(_NUMBERED_RE.match(line) or CLAIM_MARKER.match(line))


def strip_number(line: str) -> str:
    """The line without its leading heading number or bullet.

    Example::

        >>> strip_number("（三）制度机制不健全。")
        '制度机制不健全。'
    """
    match = _NUMBERED_RE.match(line)
    return line[match.end() :].lstrip() if match else line


def parse_top(line: str) -> Heading | None:
    """引言/摘要/结语/参考文献… (optionally "摘要:" followed by text).

    Example::

        >>> parse_top("摘要:本文阐述党建工作与生产经营深度融合的重要性。").body
        '本文阐述党建工作与生产经营深度融合的重要性。'
    """
    match = _TOP.fullmatch(line)
    if not match:
        return None
    body = (match.group("body") or "").strip()
    text = line[: len(line) - len(body)] if body else line
    return Heading("top", "top", text, match.group("name"), body)


def _claim_label(sentence: str) -> str:
    """A claim heading's label: without its marker ("一是调阅汇报材料。" -> "调阅汇报材料")."""
    match = CLAIM_MARKER.match(sentence)
    rest = sentence[match.end() :] if match else sentence
    return rest.strip(_STRIP) or sentence.rstrip(_STRIP)


def _standalone(line: str, sentences: list[str], *, first: bool) -> Heading | None:
    """An unnumbered line that is a heading by its shape: short, one clause, no body."""
    if len(sentences) != 1 or _CONNECTIVE.match(line):
        return None
    marker = claim_marker(line)
    label = line.rstrip(_STRIP)
    ends = line[-1]
    if first and ends not in _TERMINAL + "：:" and len(line) <= MAX_LEADIN_CHARS and not marker:
        return Heading("subtitle", "subtitle", line, label)
    if len(line) <= MAX_LEADIN_CHARS and _LEADIN.search(line) and not marker:
        return Heading("leadin", "leadin", line, label)
    if len(line) > MAX_PLAIN_CHARS:
        return None
    if ends in "。" and not _COMMAS.search(line):
        if marker:
            return Heading("shi", "claim", line, _claim_label(line), marker=marker)
        return Heading("plain", "section", line, label)
    if ends not in _TERMINAL + "：:":
        return Heading("plain", "section", line, label)
    return None


def _lead(line: str, sentences: list[str]) -> Heading | None:
    """A very short first sentence followed by body: a candidate parallel lead sentence."""
    head, body = _first_sentence(line, sentences)
    if not body or head[-1] not in "。！" or len(head) > MAX_LEAD_CHARS:
        return None
    if _COMMAS.search(head) or _CONNECTIVE.match(head):
        return None
    marker = claim_marker(head)
    style = "shi" if marker else "lead"
    return Heading(style, "claim", head, _claim_label(head), body, None, marker)


def find_headings(
    lines: list[str], *, sentences: list[list[str]] | None = None
) -> list[Heading | None]:
    """The heading of each line of an article (None for a body paragraph).

    ``sentences``: each line's :func:`split_sentences`, when the caller has them already.

    Lead sentences count only in runs: a line's short first sentence is a heading when
    the line before or after it has one too.

    Example::

        >>> lines = ["一、推动党建与业务工作“真”融合", "思想要重视。办公厅日常业务工作繁忙。",
        ...          "书记要带头。支部书记是第一责任人。"]
        >>> [h.kind if h else None for h in find_headings(lines)]
        ['section', 'claim', 'claim']
    """
    if sentences is None:
        sentences = [split_sentences(line) for line in lines]
    found: list[Heading | None] = []
    ordered = False  # 其次/最后 at the start of a line head items only after a 首先 one
    for i, line in enumerate(lines):
        heading = parse_top(line) or parse_numbered(line, sentences=sentences[i])
        if heading is not None and heading.style == "order":
            ordered = ordered or line.startswith("首先")
            heading = heading if ordered else None
        if heading is None and i + 1 < len(lines):
            heading = _standalone(line, sentences[i], first=i == 0)
        found.append(heading)
    leads = [
        None if h else _lead(line, split)
        for h, line, split in zip(found, lines, sentences, strict=True)
    ]
    for i, lead in enumerate(leads):
        neighbours = leads[max(0, i - 1) : i] + leads[i + 1 : i + 2]
        if lead and any(neighbours):
            found[i] = lead
    return found
