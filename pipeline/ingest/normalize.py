"""Normalise decoded report text: Unicode, spaces, punctuation, script, mojibake, line breaks.

Steps, in order: NFC (not NFKC, which would turn Chinese punctuation into ASCII); one
line-break character; record and cut web mojibake (runs of '?' inside Chinese text, U+FFFD,
private-use characters) before the punctuation step can turn a stray '?' into '？'; remove
invisible characters; map odd spaces and tabs to one space; full-width letters and digits
to ASCII; Chinese punctuation next to Chinese text; Traditional -> Simplified (OpenCC t2s)
when the text is Traditional; strip lines, drop empty ones and join broken lines.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

import opencc

IDEOGRAPHS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
CJK_PUNCT = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2018\u2019\u201c\u201d\u2014\u2026\u00b7"
CJK = f"[{IDEOGRAPHS}{CJK_PUNCT}]"
# Share of characters t2s changes: Simplified text ~0.001, Traditional ~0.2.
TRADITIONAL_SHARE = 0.05
SNIPPET_CONTEXT = 5  # characters kept either side of a mojibake spot
MERGE_GAP = 4  # mojibake hits closer than this are one spot
ANCHOR_CHARS = 6  # length of the normalised text used to find a spot's article again
LINE_START_CLOSERS = "”’，。、；：）》」』？！"
TERMINAL = "。！？；：，、…"
MAX_HEADING_CHARS = 20  # a heading broken over two lines is short ...
MAX_TAIL_CHARS = 10  # ... and so is its tail ('一、推动党建与业务工作' + '“真”融合')

_LINE_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_MOJIBAKE = re.compile(
    rf"(?<=[{IDEOGRAPHS}{CJK_PUNCT}])[?？]{{2,}}|[?？]{{2,}}(?={CJK})"  # '共解??茖W'
    rf"|(?<=[{IDEOGRAPHS}])\?(?=[{IDEOGRAPHS}{CJK_PUNCT};])"  # '一二?九', '破題?;鶎'
    r"|^[ \t]*[?？]+[ \t]*$"  # a line of question marks only
    r"|[\ufffd\ue000-\uf8ff]+",  # replacement character, private-use characters
    re.MULTILINE,
)
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f"
    "\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufe00-\ufe0f\ufeff\ufff9-\ufffb]"
)
_SPACES = re.compile("[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_MULTI_SPACE = re.compile(" {2,}")
_FULLWIDTH = str.maketrans(
    {
        chr(code): chr(code - 0xFEE0)
        for start, end in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
        for code in range(start, end + 1)
    }
)
_PUNCT = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
_ADJACENT_PUNCT = re.compile(rf"(?<={CJK})[,;:?!]|[,;:?!](?={CJK})")
_PARENS = re.compile(r"\(([^()\n]*)\)")
_DOUBLE_QUOTES = re.compile(r'"([^"\n]*)"')
_SINGLE_QUOTES = re.compile(r"'([^'\n]*)'")
_HAS_CJK = re.compile(f"[{IDEOGRAPHS}]")
_IDEOGRAPH = re.compile(f"[{IDEOGRAPHS}]")
_HEADING = re.compile(
    r"^(?:第[一二三四五六七八九十百零\d]+[章节部分篇条]|[一二三四五六七八九十]+[、.．]"
    r"|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．](?!\d)|◎)"
)


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
        ('问题共解茖W考核\\n一、推动党建“真”融合', 'traditional', '問題共解??茖W考核')
    """
    text = _LINE_BREAKS.sub("\n", unicodedata.normalize("NFC", text))
    spots = _find_mojibake(text)
    text = _MOJIBAKE.sub("", text)
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
    text = _MULTI_SPACE.sub(" ", _SPACES.sub(" ", text))
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
    if _HAS_CJK.search(inner) or re.search(CJK, touching):
        return f"{opening}{inner}{closing}"
    return match.group()


def detect_script(text: str, *, converter: opencc.OpenCC) -> str:
    """'traditional' when OpenCC t2s changes enough of the characters, else 'simplified'.

    Example::

        >>> detect_script("堅持問題導向", converter=make_converter())
        'traditional'
    """
    counts = Counter(_IDEOGRAPH.findall(text))
    if not counts:
        return "simplified"
    chars = list(counts)
    converted = converter.convert("\n".join(chars)).split("\n")
    changed = sum(counts[a] for a, b in zip(chars, converted, strict=False) if a != b)
    return "traditional" if changed >= TRADITIONAL_SHARE * counts.total() else "simplified"


def join_lines(lines: Iterable[str]) -> list[str]:
    """Strip lines, drop empty ones, and join lines that continue the previous one.

    A line continues the previous one when it starts with closing punctuation, or when it
    is the short tail of a short numbered heading broken in two. Headings are never joined
    to the paragraph after them.

    Example::

        >>> join_lines(["一、推动党建与业务工作", "“真”融合", "", "科学处理好党建和业务的关系。"])
        ['一、推动党建与业务工作“真”融合', '科学处理好党建和业务的关系。']
    """
    out: list[str] = []
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if out and (line[0] in LINE_START_CLOSERS or _continues_heading(out[-1], line)):
            out[-1] += line
        else:
            out.append(line)
    return out


def _continues_heading(previous: str, line: str) -> bool:
    return (
        _HEADING.match(previous) is not None
        and len(previous) <= MAX_HEADING_CHARS
        and previous[-1] not in TERMINAL
        and len(line) <= MAX_TAIL_CHARS
        and _HEADING.match(line) is None
        and line[-1] not in TERMINAL
    )


def _find_mojibake(text: str) -> list[tuple[str, str, str]]:
    """(snippet, clean text left of it, clean text right of it) for each garbled spot."""
    spans: list[list[int]] = []
    for match in _MOJIBAKE.finditer(text):
        start, end = match.span()
        if spans and start - spans[-1][1] <= MERGE_GAP and "\n" not in text[spans[-1][1] : start]:
            spans[-1][1] = end
        else:
            spans.append([start, end])
    spots = []
    for start, end in spans:
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        snippet = text[
            max(line_start, start - SNIPPET_CONTEXT) : min(line_end, end + SNIPPET_CONTEXT)
        ]
        left = _MOJIBAKE.sub("", text[max(line_start, start - 4 * ANCHOR_CHARS) : start])
        right = _MOJIBAKE.sub("", text[end : min(line_end, end + 4 * ANCHOR_CHARS)])
        spots.append((snippet.strip(), left, right))
    return spots


def _anchor(left: str, right: str, clean: Callable[[str], str]) -> str:
    """A few normalised characters beside a mojibake spot ('' when there are none)."""
    before = clean(left).strip()[-ANCHOR_CHARS:]
    if len(before) >= ANCHOR_CHARS // 2:
        return before
    return clean(right).strip()[:ANCHOR_CHARS]
