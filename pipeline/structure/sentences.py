"""Split a paragraph into sentences at Chinese sentence punctuation.

A terminator inside quotes or brackets (“…。”, 《…》, （…。）) must not end the sentence, so
this is a small scanner rather than a regex split. It touches only the few characters that
matter, found by compiled regexes (no per-character Python loop):

1. find the matched bracket/quote pairs (a stack over the bracket characters; unmatched
   openers are ignored, so a stray “ cannot swallow the rest of the paragraph) and keep the
   spans strictly inside them;
2. cut after every terminator that is not inside such a span.

Terminators are 。！？；… and ';' always, and the ASCII ! ? only right after a Chinese
character or closing quote (so "3.5%", "2.1" and "a?b" are never cut; a run like "??", or a '?'
followed by a comma, is mojibake and is kept). A colon is cut only when an enumeration follows
it ("以下五个方面:首先,…").
"""

from __future__ import annotations

import re
from bisect import bisect_right

from .claims import CLAIM_MARKER

PAIRS = {"“": "”", "‘": "’", "「": "」", "『": "』", "《": "》", "（": "）", "(": ")", "【": "】"}
CLOSERS = frozenset(PAIRS.values())
# A "pair" longer than this is almost surely a mismatch (a lost closing quote), not a quote.
MAX_PAIR_CHARS = 150
# How far back to look for the opener of a closer (deeper means mismatched nesting).
MAX_NESTING = 8

FULL_STOPS = "。！？；…;"  # the ASCII ';' is this corpus's 分号 ("占x%;有xx人")
_AFTER_CJK = "[\u3400-\u9fff”’」』》）)]"  # an ASCII ! or ? right after these ends a sentence
_CLAUSE_MARKS = "、，,；;：:"  # "日??己?、专项督查": a mojibake '?', not a question
_ENUMERATION = re.sub(r"\(\?P<\w+>", "(?:", CLAIM_MARKER.pattern)  # without group names

_BRACKETS = re.compile("[" + re.escape("".join(PAIRS) + "".join(PAIRS.values())) + "]")
# A terminator (a colon only before an enumeration marker) and what stays with its sentence:
# more terminators and stray closers ("……", "。”"). Each branch starts with its literal
# character (look-behinds after it), so that Python's re skips from candidate to candidate.
_CUT = re.compile(
    "(?:"
    + "|".join(
        [
            *FULL_STOPS,
            rf"!(?<={_AFTER_CJK}!)(?![!{_CLAUSE_MARKS}])",
            rf"\?(?<={_AFTER_CJK}\?)(?![?{_CLAUSE_MARKS}])",
            f"：(?={_ENUMERATION})",
            f":(?={_ENUMERATION})",
        ]
    )
    + ")["
    + re.escape(FULL_STOPS + "".join(PAIRS.values()))
    + "]*"
)


def _inside_spans(text: str) -> tuple[list[int], list[int]]:
    """Sorted, disjoint spans [start, end) of characters strictly inside a matched pair."""
    pairs: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    for match in _BRACKETS.finditer(text):
        ch, i = match.group(), match.start()
        if ch in PAIRS:
            stack.append((ch, i))
            continue
        for k in range(len(stack) - 1, max(-1, len(stack) - 1 - MAX_NESTING), -1):
            opener, start = stack[k]
            if PAIRS[opener] == ch:
                del stack[k:]
                if 1 < i - start <= MAX_PAIR_CHARS:
                    pairs.append((start + 1, i))  # the characters strictly inside
                break
    starts: list[int] = []
    ends: list[int] = []
    for start, end in pairs:  # in closing order: inner pairs come before the pair around them
        while starts and starts[-1] > start:
            starts.pop()
            ends.pop()
        starts.append(start)
        ends.append(end)
    return starts, ends


def _cuts(paragraph: str) -> list[int]:
    """Positions right after each sentence's last character."""
    starts, ends = _inside_spans(paragraph)
    if not starts:
        return [match.end() for match in _CUT.finditer(paragraph)]
    cuts: list[int] = []
    match = _CUT.search(paragraph)
    while match:
        i, end = match.span()
        k = bisect_right(starts, i) - 1
        if k >= 0 and i < ends[k]:  # inside a pair: go on after it
            match = _CUT.search(paragraph, ends[k])
            continue
        if k + 1 < len(starts):
            end = min(end, starts[k + 1])  # a closer inside the next pair stays there
        cuts.append(end)
        match = _CUT.search(paragraph, end)
    return cuts


def split_sentences(paragraph: str) -> list[str]:
    """Split one paragraph into sentences, keeping quotes, brackets and numbers whole.

    Example::

        >>> split_sentences("要建设“政治上的明白人。”占比3.5%。二是强化责任;三是……")
        ['要建设“政治上的明白人。”占比3.5%。', '二是强化责任;', '三是……']
    """
    bounds = [0, *_cuts(paragraph), len(paragraph)]
    pieces = (paragraph[a:b].strip() for a, b in zip(bounds, bounds[1:], strict=False))
    return [piece for piece in pieces if piece]
