"""Tooltip HTML for the keyword map: counts, role shares and example sentences, all escaped."""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from pipeline.report.escape import clean_text, esc
from pipeline.report.style import ROLES, role_style


class Example(NamedTuple):
    """One source sentence shown under a term: its text and the report it comes from."""

    text: str
    title: str
    unit: str


class SentenceInfo(NamedTuple):
    """What the tooltip needs to know about one sentence."""

    text: str
    doc_id: str
    role: str
    is_heading: bool


def fmt_number(value: object, digits: int = 0) -> str:
    """Format a number for display; missing values become ``–``.

    Example::

        >>> fmt_number(0.12345, 3), fmt_number(float("nan"))
        ('0.123', '–')
    """
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "–"
    if math.isnan(number) or math.isinf(number):
        return "–"
    return f"{number:,.{digits}f}"


def snippet(text: str, term: str, *, width: int = 80) -> str:
    """Escaped excerpt of ``text`` around ``term`` (at most ``width`` characters), term marked.

    Example::

        >>> snippet("机关党建与业务工作存在两张皮问题", "两张皮", width=10)
        '…务工作存在<mark>两张皮</mark>问题'
    """
    text = clean_text(text)
    start = max(text.find(term), 0) if term else 0
    lo = max(0, min(start - width // 3, len(text) - width))
    excerpt = text[lo : lo + width]
    prefix = "…" if lo > 0 else ""
    suffix = "…" if lo + width < len(text) else ""
    if not term:
        return prefix + html.escape(excerpt) + suffix
    marked = f"<mark>{html.escape(term)}</mark>"
    return prefix + marked.join(html.escape(part) for part in excerpt.split(term)) + suffix


def pick_examples(
    sent_ids: Sequence[str],
    *,
    role: str,
    sentences: Mapping[str, SentenceInfo],
    documents: Mapping[str, tuple[str, str]],
    n: int = 3,
) -> list[Example]:
    """Up to ``n`` distinct example sentences, body sentences of the term's dominant role first.

    Sentences from reports not quoted yet come before a second sentence of the same report;
    ``documents`` maps doc_id to (title, unit).

    Example::

        >>> s = {"d:0001": SentenceInfo("党建与业务“两张皮”。", "d", "problem", False)}
        >>> pick_examples(["d:0001"], role="problem", sentences=s, documents={"d": ("调研报告", "某党支部")})
        [Example(text='党建与业务“两张皮”。', title='调研报告', unit='某党支部')]
    """
    found: dict[str, SentenceInfo] = {}
    for sid in sent_ids:
        info = sentences.get(sid)
        if info is not None and info.text not in found:
            found[info.text] = info
    ordered = sorted(found.values(), key=lambda s: (s.is_heading, s.role != role))  # stable
    docs_seen: set[str] = set()
    first, again = [], []
    for info in ordered:
        (again if info.doc_id in docs_seen else first).append(info)
        docs_seen.add(info.doc_id)
    return [
        Example(info.text, *documents.get(info.doc_id, ("", ""))) for info in (first + again)[:n]
    ]


def role_shares_html(shares: Mapping[str, float]) -> str:
    """Role shares as coloured percentages, largest first.

    Example::

        >>> role_shares_html({"problem": 0.5, "cause": 0.25})
        '<span class="dj-share" style="color:#c62828">▲ 存在问题 50%</span><span class="dj-share" style="color:#ef6c00">◆ 原因分析 25%</span>'
    """
    ordered = sorted(
        ((role, share) for role, share in shares.items() if role in ROLES and share > 0),
        key=lambda item: (-item[1], list(ROLES).index(item[0])),
    )
    parts = []
    for role, share in ordered:
        style = role_style(role)
        parts.append(
            f'<span class="dj-share" style="color:{style.color}">'
            f"{style.glyph} {style.label} {share * 100:.0f}%</span>"
        )
    return "".join(parts)


def node_tip(
    term: str,
    *,
    stats: Sequence[tuple[str, str]],
    community: str,
    role: str,
    shares: Mapping[str, float],
    examples: Sequence[Example],
) -> str:
    """Tooltip HTML for one keyword node; every piece of report text is escaped.

    Example::

        >>> tip = node_tip("<b>两张皮</b>", stats=[("词频", "12")], community="社区1",
        ...                role="problem", shares={"problem": 1.0}, examples=[])
        >>> "&lt;b&gt;两张皮&lt;/b&gt;" in tip
        True
    """
    style = role_style(role)
    lines = [
        f'<div class="dj-tip"><b class="term">{esc(term)}</b> '
        f'<span class="src">{esc(community)} · 主要角色 {style.glyph} {style.label}</span>',
        "<br>" + " · ".join(f"{esc(label)} {esc(value)}" for label, value in stats),
        f"<br>{role_shares_html(shares)}",
    ]
    if examples:
        lines.append("<ol>")
        for ex in examples:
            source = "，".join(part for part in (clean_text(ex.title), clean_text(ex.unit)) if part)
            lines.append(
                f"<li>{snippet(ex.text, clean_text(term))}"
                f' <span class="src">——{html.escape(source or "来源不详")}</span></li>'
            )
        lines.append("</ol>")
    lines.append("</div>")
    return "".join(lines)


def edge_tip(source: str, target: str, *, stats: Mapping[str, object]) -> str:
    """Tooltip HTML for one co-occurrence edge.

    Example::

        >>> edge_tip("党建", "业务", stats={"count": 9, "npmi": 0.41, "weight": 0.41})
        '<div class="dj-tip"><b>党建</b> — <b>业务</b><br>共现 9 次 · PMI – · NPMI 0.410 · 权重 0.410</div>'
    """
    return (
        f'<div class="dj-tip"><b>{esc(source)}</b> — <b>{esc(target)}</b>'
        f"<br>共现 {fmt_number(stats.get('count'))} 次 · PMI {fmt_number(stats.get('pmi'), 3)}"
        f" · NPMI {fmt_number(stats.get('npmi'), 3)} · 权重 {fmt_number(stats.get('weight'), 3)}</div>"
    )
