"""Split a paragraph into sentences at Chinese sentence punctuation.

A small scanner, not a regex split, because a terminator inside quotes or brackets
(“…。”, 《…》, （…。）) must not end the sentence. It works in two linear passes:

1. find the matched bracket/quote pairs (a stack; unmatched openers are ignored, so a
   stray “ cannot swallow the rest of the paragraph) and mark the characters inside them;
2. walk the text and cut after every terminator that is not inside a pair.

Terminators are 。！？；… and ';' always, and the ASCII ! ? only right after a Chinese
character or closing quote (so "3.5%", "2.1" and "a?b" are never cut; a run like "??", or a '?'
followed by a comma, is mojibake and is kept). A colon is cut only when an enumeration follows it ("以下五个方面:首先,…").
"""

from __future__ import annotations

import re

from .claims import CLAIM_MARKER

PAIRS = {"“": "”", "‘": "’", "「": "」", "『": "』", "《": "》", "（": "）", "(": ")", "【": "】"}
CLOSERS = frozenset(PAIRS.values())
# A "pair" longer than this is almost surely a mismatch (a lost closing quote), not a quote.
MAX_PAIR_CHARS = 150
# How far back to look for the opener of a closer (deeper means mismatched nesting).
MAX_NESTING = 8

FULL_STOPS = frozenset("。！？；…;")  # the ASCII ';' is this corpus's 分号 ("占x%;有xx人")
ASCII_STOPS = frozenset("!?")
COLONS = frozenset("：:")

_CLAUSE_MARKS = frozenset("、，,；;：:")  # "日??己?、专项督查": a mojibake '?', not a question
_CJK = re.compile(r"[\u3400-\u9fff”’」』》）)]")


def _inside_pairs(text: str) -> list[bool]:
    """For each character, whether it lies strictly inside a matched quote/bracket pair."""
    depth_change = [0] * (len(text) + 1)
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(text):
        if ch in PAIRS:
            stack.append((ch, i))
        elif ch in CLOSERS:
            for k in range(len(stack) - 1, max(-1, len(stack) - 1 - MAX_NESTING), -1):
                opener, start = stack[k]
                if PAIRS[opener] == ch:
                    del stack[k:]
                    if i - start <= MAX_PAIR_CHARS:
                        depth_change[start + 1] += 1
                        depth_change[i] -= 1
                    break
    inside, depth = [], 0
    for i in range(len(text)):
        depth += depth_change[i]
        inside.append(depth > 0)
    return inside


def _is_stop(text: str, i: int) -> bool:
    ch = text[i]
    if ch in FULL_STOPS:
        return True
    if ch in ASCII_STOPS:
        after_cjk = i > 0 and bool(_CJK.match(text[i - 1]))
        in_run = (i > 0 and text[i - 1] == ch) or (i + 1 < len(text) and text[i + 1] == ch)
        mid_clause = i + 1 < len(text) and text[i + 1] in _CLAUSE_MARKS
        return after_cjk and not in_run and not mid_clause
    if ch in COLONS:
        return bool(CLAIM_MARKER.match(text, i + 1))
    return False


def split_sentences(paragraph: str) -> list[str]:
    """Split one paragraph into sentences, keeping quotes, brackets and numbers whole.

    Example::

        >>> split_sentences("要建设“政治上的明白人。”占比3.5%。二是强化责任;三是……")
        ['要建设“政治上的明白人。”占比3.5%。', '二是强化责任;', '三是……']
    """
    inside = _inside_pairs(paragraph)
    sentences: list[str] = []
    start, i, n = 0, 0, len(paragraph)
    while i < n:
        if inside[i] or not _is_stop(paragraph, i):
            i += 1
            continue
        # Keep a run of terminators and stray closers with the sentence ("……", "。”").
        i += 1
        while i < n and not inside[i] and (paragraph[i] in FULL_STOPS or paragraph[i] in CLOSERS):
            i += 1
        sentences.append(paragraph[start:i])
        start = i
    sentences.append(paragraph[start:])
    return [s.strip() for s in sentences if s.strip()]
