"""Strip web-page chrome and spam from normalised report text.

Pages scraped from the web carry navigation, site metadata, promotion, UI controls,
recommendation lists and junk around the report. The rules below are general patterns
for such material, not the literal strings of any one page. Byline lines (unit, date,
``（来源：…）``) are kept: :mod:`.byline` reads and removes them per article.
"""

from __future__ import annotations

import re

from .normalize import HEADING_RE, continues_paragraph

# Breadcrumbs: "当前位置：首页 > 新闻", "首页 > 实用范文 > 调研报告", "A » B » C".
_BREADCRUMB = re.compile(
    r"^(?:当前位置|您的位置|你的位置|您现在的位置|所在位置)\s*[：:]"
    r"|^(?:首页|主页|网站首页)\s*[>＞»›]"
    r"|^[^。，！？>＞»›]{1,20}(?:\s*[>＞»›]\s*[^。，！？>＞»›]{1,20}){2,}$"
)
# Site metadata that never belongs to a report: editor, ID, view counters, font size.
# ("编辑:… 识别码:… 发布时间:… 来源:网络", "（责编：…）"); kept lines: see _SITE_META_MAX.
_SITE_META = re.compile(
    r"(?:责任编辑|责编|编辑|识别码|浏览次数|浏览量|浏览|阅读量|阅读次数|点击数|点击量|点击率"
    r"|访问量|字号)\s*[：:]"
)
_SITE_META_MAX = 120  # longer lines with such a label are prose, not metadata
# Copyright and registration footers ("Copyright", "ICP备…" in any case; see _is_footer).
_FOOTER = re.compile(r"版权所有|©|公网安备|技术支持\s*[：:]")
_FOOTER_LATIN = re.compile(r"copyright|icp[备证]", re.IGNORECASE)
# Previous/next navigation: "上一篇：…", "下一篇：…".
_NAVIGATION = re.compile(r"^(?:上一篇|下一篇|上一页|下一页|上一条|下一条|上篇|下篇)\s*[：:]")
# UI controls that are removed wherever they appear.
# (Every alternative of these patterns starts with a literal character, so the regex engine
# skips ahead to the characters that can start a match: several times faster on prose.)
_UI_INLINE = re.compile(
    r"【\s*字[体号]\s*[：:]?\s*大\s*中\s*小\s*[】\]]|\[\s*字[体号]\s*[：:]?\s*大\s*中\s*小\s*[】\]]"
    r"|字[体号]\s*[：:]\s*大\s*中\s*小"
    r"|文字缩放\s*[：:]?|打印本页|打印此页|打印文章|关闭窗口|返回顶部|回到顶部|收藏本页|收藏本文"
    r"|加入收藏|分享到\s*[：:]?|扫一扫[^。]{0,12}?(?:手机|微信)[^。\s]{0,8}"
    r"|【(?:打印|关闭|收藏|纠错|返回|顶部)[^】\]]{0,4}[】\]]"
    r"|\[(?:打印|关闭|收藏|纠错|返回|顶部)[^】\]]{0,4}[】\]]"
)
# UI words that are chrome only when a line consists of nothing else ("TOP", "打印 | 关闭").
_UI_LINE = re.compile(
    r"^(?:TOP|顶部|打印|关闭|分享|收藏|纠错|返回|点赞|阅读原文|微信|微博|QQ空间|QQ好友|朋友圈"
    r"|更多|展开全文|[\s|｜/、])+$",
    re.IGNORECASE,
)
# Promotion. A "下面是小编为大家整理的…" sentence goes from its first word to its end,
# even when glued to other text; other sentences go when they carry one strong promo
# phrase or two weak ones.
_PROMO_SPAN = re.compile(r"(?:下面|以下|下文)(?:是|为)?小编[^。！？!?]*[。！？!?]?")
_PROMO_STRONG = re.compile(
    r"小编|为您精选|为你精选|网友为您|复制下载|免费下载|下载本文|点击下载|转载请注明|本站整理|本站收集"
)
_PROMO_WEAK = re.compile(
    r"供(?:您|你|大家)[^。！？]{0,8}参考|希望对(?:您|你|大家)有所帮助|文档资料|精选|喜欢就|整理的|范文"
)
_SENTENCE_END = re.compile(r"(?<=[。！？!?])")
# Keyboard junk: a digit repeated six times or more ("精选资料1111111111111345挂豆腐干豆腐吧");
# 0 is left out because 1000000 is a number.
_REPEATED_DIGIT = re.compile(r"([1-9])\1{5,}")
_JUNK_TOKEN_MAX = 40
_DIGIT_RUN = re.compile(r"\d*([1-9])\1{5,}\d*")
# Lines that are only punctuation/symbols ("?", "……") or a page number ("2", "- 3 -", "第2页").
_NO_WORD = re.compile(r"^[\W_]+$")
_PAGE_NUMBER = re.compile(
    r"^[-—－\s]*\d{1,4}[-—－\s]*$|^第\s*\d{1,4}\s*页(?:\s*/?\s*共\s*\d+\s*页)?$"
)
# Adult-site spam: strong keywords, or site names chained with '-'.
_SPAM = re.compile(
    r"无码|有码|国产精品|人人爽|人人澡|人人喊|夜夜[爽澡撸干射]|久久[爱热久精]"
    r"|a[vV](?:在线|女优|电影)|A[vV](?:在线|女优|电影)"
    r"|成人(?:网站|视频|电影|影院)|色情|黄色(?:网站|视频)|日韩|欧美(?:综合|日韩|亚洲|一区)"
    r"|亚洲(?:综合|一区|欧美|日韩)|偷拍|自拍|伦理片|三级片|午夜(?:影院|福利|剧场)|一区二区"
    r"|高清(?:国产|无码|在线)|线观看|免费观看|香蕉(?:视频|高清|在线)"
)
_CHAIN_SEP = re.compile(r"\s*[-_|｜]\s*")
_MULTI_WS = re.compile(r"\s{2,}")
_CHAIN_MIN = 4  # "a-b-c-d" site-name chains
# Recommendation tails: the heading, and the link list after it.
_TAIL_HEADING = re.compile(
    r"^(?:猜你喜欢|猜您喜欢|推荐访问|推荐阅读|相关链接|相关文章|相关阅读|相关推荐|热门推荐|热门文章"
    r"|热门阅读|延伸阅读|精彩推荐|更多推荐|为你推荐|为您推荐|大家都在看|最新文章"
    r"|[你您]可能(?:还)?(?:感兴趣|喜欢)|看了(?:本文|此文|这篇文章)的人还看了)(?:\s*[：:].*|\s*)$"
)
_LINK_MAX = 60  # a recommended link is a short line ...
_PARAGRAPH_END = ("。", "；")  # ... not a sentence
_HEADER_LINES = 3  # lines whose repetition at the page end is a page-title footer


# Pattern -> a pattern that must match somewhere in the page for it to match in a line.
# A line as read is a substring of the page and none of these patterns has anchors or
# lookarounds, so a pattern the page does not hold is not tried on such a line (most pages
# hold no chrome at all); a line changed by a cut is checked with every pattern.
_PAGE_HINTS = {
    _DIGIT_RUN: _REPEATED_DIGIT,
    _UI_INLINE: _UI_INLINE,
    _PROMO_SPAN: _PROMO_SPAN,
    _PROMO_STRONG: _PROMO_STRONG,
    _PROMO_WEAK: _PROMO_WEAK,
    _MULTI_WS: _MULTI_WS,
    _SITE_META: _SITE_META,
    _FOOTER: _FOOTER,
    _SPAM: _SPAM,
}
_EVERY_PATTERN = frozenset(_PAGE_HINTS)
_INLINE_PATTERNS = frozenset(
    (_DIGIT_RUN, _UI_INLINE, _PROMO_SPAN, _PROMO_STRONG, _PROMO_WEAK, _MULTI_WS)
)


def strip_chrome(text: str) -> tuple[str, list[str]]:
    """Remove page chrome and spam; return the cleaned text and what was removed.

    ``removed`` lists whole lines and inline fragments (junk strings, promo sentences) in
    page order. A paragraph cut in two by a removed junk line is joined again.

    Example::

        >>> strip_chrome("首页 > 实用范文 > 调研报告\\n一、成效\\n正文。\\nTOP")
        ('一、成效\\n正文。', ['首页 > 实用范文 > 调研报告', 'TOP'])
    """
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    page = "\n".join(lines)  # lines are stripped, so no whitespace run crosses a line break
    present = frozenset(p for p, hint in _PAGE_HINTS.items() if hint.search(page))
    junk = _junk_tokens(lines) if _DIGIT_RUN in present else []
    removed: list[tuple[int, str]] = []  # (line index, removed text)
    kept: list[str | None] = []
    for index, line in enumerate(lines):
        clean, fragments = _strip_inline(line, junk, present)
        if not clean or _is_chrome_line(clean, present if clean == line else _EVERY_PATTERN):
            kept.append(None)
            removed.append((index, line))
        else:
            kept.append(clean)
            removed.extend((index, fragment) for fragment in fragments)
    _cut_tails(lines, kept, removed)
    _cut_footer_titles(lines, kept, removed)
    removed.sort(key=lambda item: item[0])  # stable: fragments of a line keep their order
    return "\n".join(_join_fragments(kept)), [text for _, text in removed]


def _junk_tokens(lines: list[str]) -> list[str]:
    """Junk strings of this page: whole lines or space-separated tokens with a digit run.

    Learned per page so the same string glued to real text ("…豆腐吧推进机关党建…")
    can be cut out exactly. Longest first.
    """
    tokens = set()
    for line in lines:
        for token in line.split():
            if len(token) <= _JUNK_TOKEN_MAX and _REPEATED_DIGIT.search(token):
                tokens.add(token)
    return sorted(tokens, key=lambda token: (-len(token), token))


def _strip_inline(
    line: str, junk: list[str], present: frozenset[re.Pattern[str]] = _EVERY_PATTERN
) -> tuple[str, list[str]]:
    """The line without junk strings, UI controls and promo sentences, and what went.

    ``present``: the patterns that may match ``line`` as read (see _PAGE_HINTS).
    """
    if not junk and present.isdisjoint(_INLINE_PATTERNS):  # nothing to cut on this page
        return ("" if _NO_WORD.match(line) else line), []
    fragments: list[str] = []
    original = line

    def may(pattern: re.Pattern[str]) -> bool:
        return pattern in present or line != original

    for token in junk:
        if token in line:
            fragments.append(token)
            line = line.replace(token, "")
    for pattern in (_DIGIT_RUN, _UI_INLINE, _PROMO_SPAN):
        if may(pattern) and pattern.search(line):
            fragments.extend(m.group() for m in pattern.finditer(line))
            line = pattern.sub("", line)
    if may(_PROMO_STRONG) or may(_PROMO_WEAK):
        line = _drop_promo_sentences(line, fragments)
    if may(_MULTI_WS):
        line = _MULTI_WS.sub(" ", line).strip()
    return ("" if _NO_WORD.match(line or "_") else line), [f.strip() for f in fragments]


def _drop_promo_sentences(line: str, fragments: list[str]) -> str:
    """``line`` without its promotion sentences, which go to ``fragments``."""
    sentences = []
    for sentence in _SENTENCE_END.split(line):
        weak = len(set(_PROMO_WEAK.findall(sentence))) >= 2 and _SENTENCE_END.search(sentence)
        promo = _PROMO_STRONG.search(sentence) or weak
        (fragments if promo else sentences).append(sentence)
    return "".join(sentences)


def _is_chrome_line(line: str, present: frozenset[re.Pattern[str]] = _EVERY_PATTERN) -> bool:
    """Whole-line chrome: breadcrumb, site metadata, footer, navigation, UI, junk, spam.

    ``present``: the patterns that may match ``line`` (see _PAGE_HINTS).
    """
    short = len(line) <= _SITE_META_MAX and "。" not in line
    return bool(
        _BREADCRUMB.search(line)
        or (short and _SITE_META in present and _SITE_META.search(line))
        or (short and _is_footer(line, present))
        or _NAVIGATION.match(line)
        or _UI_LINE.match(line)
        or _PAGE_NUMBER.match(line)
        or _is_spam(line, maybe_spam=_SPAM in present)
    )


def _is_footer(line: str, present: frozenset[re.Pattern[str]]) -> bool:
    # Both Latin footers hold a 'c', and only 'c' and 'C' match 'c' ignoring case.
    latin = ("c" in line or "C" in line) and _FOOTER_LATIN.search(line)
    return bool((_FOOTER in present and _FOOTER.search(line)) or latin)


def _is_spam(line: str, *, maybe_spam: bool = True) -> bool:
    hits = set(_SPAM.findall(line)) if maybe_spam else set()
    if not hits and ("。" in line or "，" in line):
        return False  # no spam word, and punctuation that no site-name chain has
    parts = [part for part in _CHAIN_SEP.split(line) if part and not part.isdigit()]
    chained = len(parts) >= _CHAIN_MIN and not re.search("[。，]", line)
    return len(hits) >= 2 or (len(hits) == 1 and len(parts) >= 3) or chained


def _cut_tails(lines: list[str], kept: list[str | None], removed: list[tuple[int, str]]) -> None:
    """Remove a recommendation heading and the short link lines that follow it."""
    for index, line in enumerate(lines):
        if kept[index] is None or not _TAIL_HEADING.match(line):
            continue
        end = index + 1
        while end < len(lines) and (kept[end] is None or _is_link(lines[end])):
            end += 1
        for position in range(index, end):
            if kept[position] is not None:
                kept[position] = None
                removed.append((position, lines[position]))


def _is_link(line: str) -> bool:
    return (
        len(line) <= _LINK_MAX and not line.endswith(_PARAGRAPH_END) and not HEADING_RE.match(line)
    )


def _cut_footer_titles(
    lines: list[str], kept: list[str | None], removed: list[tuple[int, str]]
) -> None:
    """Remove trailing lines that repeat one of the page's first kept lines (its title)."""
    first = [index for index, line in enumerate(kept) if line is not None][:_HEADER_LINES]
    if not first:
        return
    header = {_squeeze(kept[index]) for index in first}
    for index in range(len(kept) - 1, first[-1], -1):
        line = kept[index]
        if line is None:
            continue
        if _squeeze(line) not in header:
            break
        kept[index] = None
        removed.append((index, lines[index]))


def _squeeze(line: str | None) -> str:
    return re.sub(r"\s+", "", line or "")


def _join_fragments(kept: list[str | None]) -> list[str]:
    """Kept lines, a paragraph split by removed lines joined back together."""
    out: list[str] = []
    gap = False
    for line in kept:
        if line is None:
            gap = True
            continue
        if gap and out and continues_paragraph(out[-1], line):
            out[-1] += line
        else:
            out.append(line)
        gap = False
    return out
