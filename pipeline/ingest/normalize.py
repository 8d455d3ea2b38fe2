"""Normalise decoded report text: Unicode, spaces, punctuation, script, mojibake, line breaks.

Steps, in order: NFC (not NFKC, which would turn Chinese punctuation into ASCII); one
line-break character; record and cut web mojibake (runs of '?' inside Chinese text, U+FFFD,
private-use characters, with the garbled characters stuck to them) before the punctuation
step can turn a stray '?' into '？'; remove invisible characters; map odd spaces and tabs to
one space; full-width letters and digits to ASCII; Chinese punctuation next to Chinese text;
Traditional -> Simplified (OpenCC t2s) when the text is Traditional; strip lines, drop
empty ones and join broken lines (headings broken in two, paragraphs broken mid-sentence).
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial

import numpy as np
import opencc

from .charsets import (
    CJK,
    CJK_PUNCT,
    IDEOGRAPH_RANGES,
    IDEOGRAPHS,
    code_points,
    common_characters,
    from_code_points,
)

# Share of characters t2s changes: Simplified text ~0.001, Traditional ~0.2.
TRADITIONAL_SHARE = 0.05
SNIPPET_CONTEXT = 5  # characters kept either side of a mojibake spot
MERGE_GAP = 4  # mojibake hits closer than this are one spot
ANCHOR_CHARS = 6  # length of the normalised text used to find a spot's article again
FRAGMENT_CHARS = 4  # garbled characters cut at most on each side of a mojibake run
LINE_START_CLOSERS = "”’，。、；：）》」』？！"
TERMINAL = "。！？；：，、…"
MAX_HEADING_CHARS = 20  # a heading broken over two lines is short ...
MAX_TAIL_CHARS = 10  # ... and so is its tail ('一、推动党建与业务工作' + '“真”融合')
PARAGRAPH_MIN = 40  # a broken paragraph line is this long (headings and titles are shorter)
# A line ending in one of these is whole: a sentence, a clause, a closing bracket or quote.
PARAGRAPH_END = tuple("。！？!?；;：:…”’」』）)】].．")

_LINE_BREAKS = re.compile(r"[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")  # once \r\n is \n
_MOJIBAKE = re.compile(
    rf"(?<=[{IDEOGRAPHS}{CJK_PUNCT}])[?？]{{2,}}|[?？]{{2,}}(?={CJK})"  # '共解??茖W'
    rf"|(?<=[{IDEOGRAPHS}])\?(?=[{IDEOGRAPHS}{CJK_PUNCT};])"  # '一二?九', '破題?;鶎'
    r"|^[ \t]*[?？]+[ \t]*$"  # a line of question marks only
    r"|[\ufffd\ue000-\uf8ff]+",  # replacement character, private-use characters
    re.MULTILINE,
)
# Every _MOJIBAKE hit holds one of these, and no hit crosses a line: only lines with one
# of them are searched.
_SUSPECT = re.compile("[?？\ufffd\ue000-\uf8ff]")
# What a UTF-8 text read as GBK leaves beside its '?' runs ('共解??茖W考核'): ASCII letters and
# punctuation, and rare ideographs (see _is_garbled).
_ASCII_GARBLE = frozenset(string.ascii_letters + string.punctuation)
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f"
    "\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufe00-\ufe0f\ufeff\ufff9-\ufffb]"
)
_SPACES = re.compile("[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_MULTI_SPACE = re.compile(" {2,}")
_FULLWIDTH_CHAR = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_FULLWIDTH = str.maketrans(
    {
        chr(code): chr(code - 0xFEE0)
        for start, end in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
        for code in range(start, end + 1)
    }
)
_PUNCT = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
# , ; : ? ! after or before Chinese text (the mark first, so the regex engine skips to it).
_ADJACENT_PUNCT = re.compile(rf"[,;:?!](?:(?<={CJK}[,;:?!])|(?={CJK}))")
_PARENS = re.compile(r"\(([^()\n]*)\)")
_DOUBLE_QUOTES = re.compile(r'"([^"\n]*)"')
_SINGLE_QUOTES = re.compile(r"'([^'\n]*)'")
_IDEOGRAPH = re.compile(f"[{IDEOGRAPHS}]")
# Lines that start an enumerated heading or item: 一、 （一） 1、 1. 2.1 ① 一是 第一，
HEADING_RE = re.compile(
    r"^(?:[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]+\s*[）)]"
    r"|\d{1,2}(?:\.\d{1,2})*\s*[、.．](?!\d)|\d{1,2}(?:\.\d{1,2})+"  # 1、 1. 2.1
    r"|\d{1,2}(?=[\u4e00-\u9fff])(?![年月日号个名人次家项条位万亿元岁])"  # "1国有企业…", not "11月"
    r"|[①-⑳]|[一二三四五六七八九十]+是"
    r"|第[一二三四五六七八九十\d]+[，,、：:是]|◎)"
)
# Lines never joined to the line before them: those, parts ("第一部分") and article markers
# ("第三篇：…"; kept out of HEADING_RE, whose lines split.looks_like_title rejects as titles).
_SECTION_START = re.compile(rf"{HEADING_RE.pattern}|^第[一二三四五六七八九十百零\d]+[章节部分篇条]")
# A reference-list item: "[2]刘博.国有企业党建…".
_REFERENCE_ITEM = re.compile(r"^[\[［【]\s*\d{1,3}\s*[\]］】]")
_SENTENCE_END = re.compile("[。！？；]")
_CLAUSE_MARK = re.compile("[，。！？；]")


@dataclass(frozen=True)
class Mojibake:
    """One garbled spot: ``snippet`` as found in the file (with a little context), and
    ``anchor``, a few characters of normalised text next to it (to find its article).

    Example::

        >>> Mojibake("問題共解??茖W考核", "问题共解").snippet
        '問題共解??茖W考核'
    """

    snippet: str
    anchor: str


@dataclass(frozen=True)
class NormalizedText:
    """Result of :func:`normalize_text`.

    Example::

        >>> NormalizedText("机关党建", "simplified", ()).script
        'simplified'
    """

    text: str
    script: str
    mojibake: tuple[Mojibake, ...]


def make_converter() -> opencc.OpenCC:
    """A new Traditional -> Simplified converter; create one per stage call, not per line.

    Example::

        >>> make_converter().convert("機關黨建")
        '机关党建'
    """
    return opencc.OpenCC("t2s")


def normalize_text(text: str, *, converter: opencc.OpenCC) -> NormalizedText:
    """Normalise decoded text to clean Simplified Chinese, one paragraph per line.

    Example::

        >>> conv = make_converter()
        >>> r = normalize_text("問題共解??茖W考核\\n一、推動黨建\\n“真”融合", converter=conv)
        >>> r.text, r.script, r.mojibake[0].snippet
        ('问题共解考核\\n一、推动党建“真”融合', 'traditional', '問題共解??茖W考核')
    """
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n")
    text = _LINE_BREAKS.sub("\n", text)
    text, spots = _cut_mojibake(text)
    script = detect_script(text, converter=converter)
    clean = partial(normalize_fragment, script=script, converter=converter)
    lines = join_lines(clean(text).split("\n"))
    mojibake = tuple(
        Mojibake(snippet, _anchor(left, right, clean)) for snippet, left, right in spots
    )
    return NormalizedText("\n".join(lines), script, mojibake)


def normalize_fragment(text: str, *, script: str, converter: opencc.OpenCC) -> str:
    """Character clean-up of a piece of text (a title, a line) of known ``script``.

    Example::

        >>> normalize_fragment("黨建工作,ＡＢＣ", script="traditional", converter=make_converter())
        '党建工作，ABC'
    """
    text = clean_characters(text)
    return converter.convert(text) if script == "traditional" else text


def clean_characters(text: str) -> str:
    """Character-level clean-up: invisible characters, spaces, full-width ASCII, punctuation.

    Example::

        >>> clean_characters("党建\\u200b工作,ＡＢＣ１２３\\u3000\\u3000(一)")
        '党建工作，ABC123 （一）'
    """
    text = _INVISIBLE.sub("", text)
    text = _SPACES.sub(" ", text)
    if "  " in text:
        text = _MULTI_SPACE.sub(" ", text)
    if _FULLWIDTH_CHAR.search(text):
        text = text.translate(_FULLWIDTH)
    return chinese_punctuation(text)


def chinese_punctuation(text: str) -> str:
    """ASCII , ; : ? ! ( ) next to Chinese text, and straight quotes around it, to Chinese forms.

    Example::

        >>> chinese_punctuation('编辑:张三,(精选4篇) "两张皮" 2021:11')
        '编辑：张三，（精选4篇） “两张皮” 2021:11'
    """
    text = _ADJACENT_PUNCT.sub(lambda m: _PUNCT[m.group()], text)
    text = _PARENS.sub(lambda m: _wrap(m, "（", "）"), text)
    text = _DOUBLE_QUOTES.sub(lambda m: _wrap(m, "“", "”"), text)
    return _SINGLE_QUOTES.sub(lambda m: _wrap(m, "‘", "’"), text)


def _wrap(match: re.Match[str], opening: str, closing: str) -> str:
    """Replace the delimiters of ``match`` when it holds or touches Chinese text."""
    inner, whole, start, end = match.group(1), match.string, match.start(), match.end()
    touching = whole[start - 1 : start] + whole[end : end + 1]
    if _IDEOGRAPH.search(inner) or re.search(CJK, touching):
        return f"{opening}{inner}{closing}"
    return match.group()


def detect_script(text: str, *, converter: opencc.OpenCC) -> str:
    """'traditional' when OpenCC t2s changes enough of the characters, else 'simplified'.

    Example::

        >>> detect_script("堅持問題導向", converter=make_converter())
        'traditional'
    """
    chars, counts = ideograph_counts(text)
    if not chars:
        return "simplified"
    changed = _changed_count(chars, counts, converter)
    return "traditional" if changed >= TRADITIONAL_SHARE * int(counts.sum()) else "simplified"


def _changed_count(chars: str, counts: np.ndarray, converter: opencc.OpenCC) -> int:
    """How many of the counted characters ``converter`` changes (each converted alone)."""
    joined = "\n".join(chars)
    converted = converter.convert(joined)
    before = code_points(joined)
    after = code_points(converted)
    newline = ord("\n")
    if len(after) == len(before) and (after[1::2] == newline).all() and newline not in after[::2]:
        return int(counts[before[::2] != after[::2]].sum())  # still one character per line
    lines = converted.split("\n")
    return sum(n for a, b, n in zip(chars, lines, counts.tolist(), strict=False) if a != b)


def ideograph_counts(text: str) -> tuple[str, np.ndarray]:
    """The distinct CJK ideographs of ``text`` (in code point order) and how often each occurs.

    Example::

        >>> chars, counts = ideograph_counts("党建，党建工作")
        >>> chars, counts.tolist()
        ('工建党', [1, 2, 2])
    """
    codes = code_points(text)
    distinct, counts = np.unique(codes, return_counts=True)
    wanted = np.zeros(len(distinct), dtype=bool)
    for first, last in IDEOGRAPH_RANGES:
        wanted |= (distinct >= first) & (distinct <= last)
    return from_code_points(distinct[wanted]), counts[wanted]


def join_lines(lines: Iterable[str]) -> list[str]:
    """Strip lines, drop empty ones, and join lines that continue the previous one.

    A line continues the previous one when it starts with closing punctuation, when it is
    the short tail of a short numbered heading broken in two, or when it carries on a
    paragraph broken mid-sentence (see :func:`continues_paragraph`). Headings are never
    joined to the paragraph after them.

    Example::

        >>> join_lines(["一、推动党建与业务工作", "“真”融合", "", "科学处理好党建和业务的关系。"])
        ['一、推动党建与业务工作“真”融合', '科学处理好党建和业务的关系。']
    """
    out: list[str] = []
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if out and (
            line[0] in LINE_START_CLOSERS
            or _continues_heading(out[-1], line)
            or continues_paragraph(out[-1], line)
        ):
            out[-1] += line
        else:
            out.append(line)
    return out


def continues_paragraph(previous: str, line: str) -> bool:
    """True when ``line`` carries on the sentence ``previous`` broke off (a page or web break).

    ``previous`` must be a long line of prose (at least PARAGRAPH_MIN characters, holding a
    sentence, or clauses without a heading number) that does not end a sentence, clause or
    bracket; ``line`` must be prose too (a title, page number or junk line is not) and not
    start a heading, an enumerated item (一、 （一） 1. 一是 第一 …) or a reference.

    Example::

        >>> previous = "通过组织党员干部认真研读中央和地方各项"
        >>> continues_paragraph("加强理论学习。" * 4 + previous, "文件，思想上行动上与党中央保持一致。")
        True
        >>> continues_paragraph("加强理论学习。" * 4 + previous, "二、扎实推进机关党建")
        False
    """
    prose = _SENTENCE_END.search(previous) is not None or (
        _CLAUSE_MARK.search(previous) is not None and _SECTION_START.match(previous) is None
    )
    return (
        len(previous) >= PARAGRAPH_MIN
        and not previous.endswith(PARAGRAPH_END)
        and prose
        and _CLAUSE_MARK.search(line) is not None
        and _SECTION_START.match(line) is None
        and _REFERENCE_ITEM.match(line) is None
    )


def _continues_heading(previous: str, line: str) -> bool:
    return (
        _SECTION_START.match(previous) is not None
        and len(previous) <= MAX_HEADING_CHARS
        and previous[-1] not in TERMINAL
        and len(line) <= MAX_TAIL_CHARS
        and _SECTION_START.match(line) is None
        and line[-1] not in TERMINAL
    )


def _cut_mojibake(text: str) -> tuple[str, list[tuple[str, str, str]]]:
    """``text`` without its mojibake, and (snippet, text left of it, text right of it) per spot.

    The left and right context are taken from the cut text, on the spot's line.
    """
    spans = _garbled_spans(text)
    pieces, at, position, length = [], [], 0, 0  # at: where each span was, in the cut text
    for start, end in spans:
        pieces.append(text[position:start])
        length += start - position
        at.append(length)
        position = end
    pieces.append(text[position:])
    cut = "".join(pieces)
    spots = []
    for first, last in _group_spans(text, spans):
        start, end = spans[first][0], spans[last][1]
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        snippet = text[
            max(line_start, start - SNIPPET_CONTEXT) : min(line_end, end + SNIPPET_CONTEXT)
        ]
        left_at, right_at = at[first], at[last]
        cut_start = cut.rfind("\n", 0, left_at) + 1
        cut_end = cut.find("\n", right_at)
        cut_end = len(cut) if cut_end < 0 else cut_end
        left = cut[max(cut_start, left_at - 4 * ANCHOR_CHARS) : left_at]
        right = cut[right_at : min(cut_end, right_at + 4 * ANCHOR_CHARS)]
        spots.append((snippet.strip(), left, right))
    return cut, spots


def _garbled_spans(text: str) -> list[tuple[int, int]]:
    """Sorted, disjoint (start, end) of each mojibake hit widened by the garbled characters
    directly beside it (at most FRAGMENT_CHARS each side)."""
    spans: list[tuple[int, int]] = []
    for match in _mojibake_hits(text):
        start, end = match.span()
        while match.start() - start < FRAGMENT_CHARS and start > 0 and _is_garbled(text[start - 1]):
            start -= 1
        while end - match.end() < FRAGMENT_CHARS and end < len(text) and _is_garbled(text[end]):
            end += 1
        if spans and start <= spans[-1][1]:
            spans[-1] = (min(start, spans[-1][0]), max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def _mojibake_hits(text: str) -> Iterator[re.Match[str]]:
    """``_MOJIBAKE.finditer(text)``, searching only the lines that hold a suspect character."""
    position = 0
    while (suspect := _SUSPECT.search(text, position)) is not None:
        start = text.rfind("\n", 0, suspect.start()) + 1
        end = text.find("\n", suspect.end())
        end = len(text) if end < 0 else end
        yield from _MOJIBAKE.finditer(text, start, end)
        position = end + 1


def _is_garbled(ch: str) -> bool:
    """An ASCII letter or punctuation mark, or an ideograph outside the common characters."""
    if ch.isascii():
        return ch in _ASCII_GARBLE
    return _IDEOGRAPH.match(ch) is not None and ch not in common_characters()


def _group_spans(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(first, last) index of the spans that make one spot: closer than MERGE_GAP, one line."""
    groups: list[tuple[int, int]] = []
    for index, (start, _) in enumerate(spans):
        if groups:
            previous_end = spans[groups[-1][1]][1]
            gap = text[previous_end:start]
            if len(gap) <= MERGE_GAP and "\n" not in gap:
                groups[-1] = (groups[-1][0], index)
                continue
        groups.append((index, index))
    return groups


def _anchor(left: str, right: str, clean: Callable[[str], str]) -> str:
    """A few normalised characters beside a mojibake spot ('' when there are none)."""
    before = clean(left).strip()[-ANCHOR_CHARS:]
    if len(before) >= ANCHOR_CHARS // 2:
        return before
    return clean(right).strip()[:ANCHOR_CHARS]
