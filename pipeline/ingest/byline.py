"""Bylines of an article: the author unit, the date and the source publication.

Reports put this metadata on short lines at the head (``石家庄市直机关工委课题组``,
``2020年06月23日08:49``, ``党员生活·下 2024年2期``) or the tail (``（来源：《机关党建研究》
2019年第9期）``, ``（课题组成员：…）``) of the article. :func:`find_byline` reads it and
:func:`strip_byline` removes those lines from the analysed text. Only whole short lines
are trusted (and a title starting "XX党委关于…"): a unit named inside a paragraph is
never taken, because None beats a wrong unit.
"""

from __future__ import annotations

import re

HEAD_LINES = 8  # metadata is read from the first lines ...
TAIL_LINES = 5  # ... and the last lines of an article

# Characters a unit name may contain (no punctuation except · and brackets).
_NAME = r"[\u4e00-\u9fffA-Za-z0-9·（）()]"
# Endings of organisation names that write or sign party-building reports.
_ORG_END = (
    r"(?:联合课题组|课题组|调研组|党支部|党总支|总支部|党委|党组|工委|纪工委|纪委|委员会"
    r"|研究室|政研室|研究中心|研究院|研究所|党校|办公室|办公厅|组织部|宣传部|统战部|大学|学院)"
)
_ORG = rf"{_NAME}{{3,30}}?{_ORG_END}"
_ORG_IN_TEXT = re.compile(rf"[\u4e00-\u9fffA-Za-z0-9·]{{3,30}}{_ORG_END}")  # longest, no brackets
_ORG_LINE = re.compile(rf"^(?:(?:作者单位|单位|作者)\s*[：:]\s*)?(?P<org>{_ORG})$")
# "(作者单位：…)": whatever is inside is the unit.
_UNIT_LINE = re.compile(r"^[（(]?\s*(?:作者单位|单位)\s*[：:]\s*(?P<org>[^）)]{2,40})[）)]?$")
# "作者：张三（湖北省委党校）", "文/张三": a byline; the unit only when an organisation is named.
_AUTHOR_LINE = re.compile(r"^[（(]?\s*(?:作者|文|撰稿|执笔人?)\s*[：:/／]\s*(?P<who>.{1,40})$")
# "(课题组成员：…)", "执笔：…", "作者简介：…".
_MEMBERS_LINE = re.compile(
    r"^[（(]?\s*(?:课题组(?:成员|组长|负责人)?|调研组成员|课题负责人|成员|作者简介)\s*[：:]"
)
# Year-month-day in Chinese or numeric form: 2020年06月23日, 2024-03-03, 2021/11/21.
_DATE = (
    r"(?P<y>(?:19|20)\d{2})\s*(?:年\s*(?P<m1>\d{1,2})\s*月(?:\s*(?P<d1>\d{1,2})\s*日)?"
    r"|[-/.](?P<m2>\d{1,2})[-/.](?P<d2>\d{1,2}))"
)
_TIME = r"(?:\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)"
# A line led by a date (and time), optionally labelled, followed by little else:
# "2020年06月23日08:49", "发布时间：2021-11-21", "2024-03-03 03:14湖北省委直属机关工委课题组".
_DATE_LINE = re.compile(
    rf"^(?:(?:发布|发表|更新|录入)?(?:时间|日期)\s*[：:]?\s*)?{_DATE}\s*{_TIME}?\s*"
    r"(?P<rest>[^，。；！？,;!?]{0,40})$"
)
# A labelled date anywhere on a short head line: "… 发布时间: 2021-11-21 22:18:36 …".
_LABELLED_DATE = re.compile(rf"(?:发布|发表|更新|录入)?(?:时间|日期)\s*[：:]\s*{_DATE}")
_ANY_DATE = re.compile(_DATE)
# A page metadata line ("【字体：大 中 小】 2023-05-06 来源：某某日报 浏览次数：1234"): any date on
# it is the publication date, and its "来源：" names the source.
_META_LABEL = re.compile(r"(?:来源|作者|编辑|责编|发布|浏览|点击|阅读)\s*[：:]")
_SOURCE_IN_LINE = re.compile(r"来源\s*[：:]\s*(?P<src>[^\s）)]{2,30})")
_WEEKDAY = re.compile(r"^(?:星期|周)[一二三四五六日天]$")
# "(来源：《机关党建研究》2019年第9期)", "来源：人民网".
_SOURCE_LINE = re.compile(
    r"^[（(]?\s*(?:本文|文章)?(?:来源|来自|出处|原载|转自|刊于|刊载于)\s*[：:]\s*"
    r"(?P<src>[^）)]{2,60}?)\s*[）)]?$"
)
# A journal issue on its own line: "党员生活·下 2024年2期", "《党建研究》2019年第9期".
_JOURNAL_LINE = re.compile(
    r"^(?P<src>[^\s，。：；！？、]{2,20}\s*(?P<y>(?:19|20)\d{2})\s*年\s*(?:第\s*)?\d{1,3}\s*期)$"
)
_YEAR = re.compile(r"(?:19|20)\d{2}(?=\s*年)")
# Sources that say nothing about the publication.
_GENERIC_SOURCE = re.compile(r"^(?:网络|互联网|网友|本站|原创|转载|网络整理|网络收集|投稿)")
# A unit named at the start of a title: "XX市委组织部关于……的调研报告".
_TITLE_ORG = re.compile(rf"^(?P<org>{_ORG})关于")
_KEYWORDS_LINE = re.compile(r"^(?:关键词|关键字|主题词)\s*[：:]\s*(?P<kw>.*)$")
_KEYWORD_SEP = re.compile(r"[；;，,、\s]+")


def find_byline(title: str, text: str) -> dict[str, str | None]:
    """Unit, date and source of an article, from its head/tail byline lines (None if unknown).

    ``date`` is ISO ``YYYY-MM-DD``, or ``YYYY-MM`` / ``YYYY`` when only that is known (the
    year of a journal issue, or a year in the title).

    Example::

        >>> find_byline("标题", "石家庄市直机关工委课题组\\n2020年06月23日08:49\\n正文。")
        {'unit': '石家庄市直机关工委课题组', 'date': '2020-06-23', 'source': None}
    """
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    head, tail = lines[:HEAD_LINES], lines[-TAIL_LINES:]
    source, source_year = _find_source(head + tail)
    return {
        "unit": _find_unit(head + tail) or _title_unit(title),
        "date": _find_date(head) or source_year or _title_date(title),
        "source": source,
    }


def strip_byline(text: str) -> str:
    """Remove the byline, date, source, keyword and team-member lines at the article's ends.

    The leading and trailing runs of such lines go, and a ``关键词：`` line among the first
    lines (it often follows the abstract); the same kind of line elsewhere is left alone.

    Example::

        >>> strip_byline("湖北省委直属机关工委课题组\\n正文。\\n（来源：《党建研究》2019年第9期）")
        '正文。'
    """
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    start, end = 0, len(lines)
    while start < end and is_byline_line(lines[start]):
        start += 1
    while end > start and is_byline_line(lines[end - 1]):
        end -= 1
    keywords = {i for i in range(start, min(end, HEAD_LINES)) if _KEYWORDS_LINE.match(lines[i])}
    return "\n".join(lines[i] for i in range(start, end) if i not in keywords)


def find_keywords(text: str) -> list[str]:
    """The keywords of a ``关键词：`` line in the article head, or [] when there is none.

    Example::

        >>> find_keywords("摘要：……\\n关键词：国有企业；党建工作；深度融合")
        ['国有企业', '党建工作', '深度融合']
    """
    for line in text.split("\n")[:HEAD_LINES]:
        match = _KEYWORDS_LINE.match(line.strip())
        if match:
            return [word for word in _KEYWORD_SEP.split(match["kw"]) if word]
    return []


def is_byline_line(line: str) -> bool:
    """True for a metadata line: unit, date, source, author, keywords or team members.

    Example::

        >>> is_byline_line("2024-03-03 03:14湖北省委直属机关工委课题组"), is_byline_line("一、成效")
        (True, False)
    """
    line = line.strip()
    date_line = _DATE_LINE.match(line)
    if date_line:
        rest = date_line["rest"].strip()
        return not rest or any(p.match(rest) for p in (_ORG_LINE, _SOURCE_LINE, _WEEKDAY))
    patterns = (_ORG_LINE, _UNIT_LINE, _AUTHOR_LINE, _MEMBERS_LINE, _KEYWORDS_LINE)
    return any(p.match(line) for p in (*patterns, _SOURCE_LINE, _JOURNAL_LINE))


def _find_unit(lines: list[str]) -> str | None:
    for line in lines:
        date_line = _DATE_LINE.match(line)
        candidate = date_line["rest"].strip() if date_line else line
        match = _ORG_LINE.match(candidate) or _UNIT_LINE.match(candidate)
        if match:
            return match["org"].strip()
        author = _AUTHOR_LINE.match(candidate)
        named = _ORG_IN_TEXT.search(author["who"]) if author else None
        if named:
            return named.group()
    return None


def _find_date(lines: list[str]) -> str | None:
    for line in lines:
        match = (
            (is_byline_line(line) and _DATE_LINE.match(line))
            or _LABELLED_DATE.search(line)
            or (_META_LABEL.search(line) and _ANY_DATE.search(line))
        )
        if match:
            iso = _iso_date(match)
            if iso:
                return iso
    return None


def _find_source(lines: list[str]) -> tuple[str | None, str | None]:
    """(source, year of the source) from a source or journal-issue line."""
    for line in lines:
        match = _SOURCE_LINE.match(line) or _JOURNAL_LINE.match(line)
        if not match and _META_LABEL.search(line):
            match = _SOURCE_IN_LINE.search(line)
        if match and not _GENERIC_SOURCE.match(match["src"]):
            year = _YEAR.search(match["src"])
            return match["src"], year.group() if year else None
    return None, None


def _title_unit(title: str) -> str | None:
    match = _TITLE_ORG.match(title.strip())
    return match["org"] if match else None


def _title_date(title: str) -> str | None:
    match = _ANY_DATE.search(title)
    if match:
        return _iso_date(match)
    year = _YEAR.search(title)
    return year.group() if year else None


def _iso_date(match: re.Match[str]) -> str | None:
    """'YYYY-MM-DD' / 'YYYY-MM' from a _DATE match, or None for an impossible date."""
    year = match["y"]
    month = match["m1"] or match["m2"]
    day = match["d1"] or match["d2"]
    if not 1 <= int(month) <= 12 or (day and not 1 <= int(day) <= 31):
        return None
    return f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day else "")
