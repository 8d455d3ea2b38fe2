"""Mention roles: how a sentence frames each graph term it mentions.

The role profile of a term could simply be the roles of the sentences containing it. But the
name of a problem is also mentioned in cause sentences (导致“两张皮”的原因) and countermeasure
sentences (破解“两张皮”问题), where it is still framed as the problem. So every occurrence of a
term in a sentence's ``text`` is a *mention* with a role of its own:

* ``'problem'`` when the text frames it explicitly as a problem:

  - the term, possibly followed by closing quotes (”’」』), is directly followed by
    问题/现象/倾向/顽疾/短板, optionally after 的 or 等 (“两张皮”问题, 两张皮的现象, 形式主义等问题);
  - or the term ends the object of a problem-handling verb (:data:`PROBLEM_VERBS`, e.g.
    破解党建业务“两张皮”, 导致“两张皮”。): the verb comes at most ``max_gap`` characters before
    it (opening quotes not counted) in the same clause (no ，。；：！？ between), and the term is
    followed by a closing quote, clause punctuation or the end of the sentence.

* otherwise the role of its sentence.

Two choices were measured on corpus/sample (780 terms seen in >= 3 sentences, 9,294
sentence-term pairs): with the verb rule alone (any term within 6 characters after the verb)
374 pairs were framed, most of them wrongly (形成推动中心工作, 导致党建工作无法…, 解决党建工作和…:
the first words of the verb's object); requiring the term to *end* the object leaves 153, nearly
all right, and 两张皮 keeps the same problem share (0.89). 形成 is left out of the verbs: 9 of
its 11 remaining hits were positive (形成浓厚的学习氛围, 形成课题成果); pass ``verbs`` to change
the list.

A (sentence, term) pair weighs 1 however often the term occurs in the sentence: when ``k`` of
its ``n`` occurrences in the text are framed, ``k / n`` of the weight goes to 'problem' and the
rest to the sentence's role. Role masses thus stay on the sentence basis of ``freq``, and a term
that is never framed keeps exactly its sentence-role profile. Occurrences are found as plain
substrings of the text (so 党建 inside 党建工作 counts as an occurrence of 党建); a pair whose
term is in the tokens but not found in the text keeps its sentence's role.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import sparse

PROBLEM_NOUNS: tuple[str, ...] = ("问题", "现象", "倾向", "顽疾", "短板")
PROBLEM_VERBS: tuple[str, ...] = (
    "破解",
    "解决",
    "克服",
    "防止",
    "避免",
    "纠正",
    "整治",
    "导致",
    "造成",
    "存在",
    "出现",
    "产生",
)
CLOSE_QUOTES = "”’」』\"'"
OPEN_QUOTES = "“‘「『\"'"
CLAUSE_STOPS = "，。；：！？,;:!?\n"
_NOUN_LINK = CLOSE_QUOTES + "的等"  # what may stand between a term and a noun cue


class _Framing:
    """The compiled patterns of one call: cue words, noun after a term, verb before a term."""

    def __init__(self, nouns: Sequence[str], verbs: Sequence[str], max_gap: int) -> None:
        never = r"(?!)"
        noun_alt = "|".join(map(re.escape, nouns)) or never
        verb_alt = "|".join(map(re.escape, verbs)) or never
        close, opening = re.escape(CLOSE_QUOTES), re.escape(OPEN_QUOTES)
        self.cue = re.compile(f"{noun_alt}|{verb_alt}")
        self.noun_after = re.compile(rf"[{close}]*(?:的|等)?(?:{noun_alt})")
        gap = rf"[^{re.escape(CLAUSE_STOPS)}{opening}]{{0,{max_gap}}}"
        self.verb_before = re.compile(rf"(?:{verb_alt}){gap}[{opening}]*\Z")
        self.object_end = re.compile(rf"[{close}{re.escape(CLAUSE_STOPS)}]|\Z")
        self.reach = max(map(len, verbs), default=0) + max_gap + 4
        self.noun_at = re.compile(f"(?=(?:{noun_alt}))")
        self.verb_at = re.compile(f"(?=(?:{verb_alt}))")
        self.end_char = re.compile(rf"[{close}{re.escape(CLAUSE_STOPS)}]")
        self.shortest_verb = min(map(len, verbs), default=0)

    def suffixes(self, text: str, longest: int) -> str:
        """Where a framed mention of a term of at most ``longest`` characters can end.

        The text pieces a framed mention must end, each followed by NUL: before a noun cue
        (past closing quotes and 的/等), and after a verb cue up to each closing quote or clause
        stop within reach (or the end). ``term + "\\0"`` not found in it means no occurrence of
        the term in ``text`` is framed: an exact, cheap pre-test of :meth:`framed_share`.
        """
        parts = []
        for cue in self.noun_at.finditer(text):
            end = start = cue.start()
            while start and text[start - 1] in _NOUN_LINK:
                start -= 1
            parts += [text[max(0, p - longest) : p] for p in range(start, end + 1)]
        verbs = [cue.start() for cue in self.verb_at.finditer(text)]
        if verbs:
            ends = [stop.start() for stop in self.end_char.finditer(text)] + [len(text)]
            for v in verbs:
                first = v + self.shortest_verb
                reach = ends[
                    bisect_right(ends, first) : bisect_right(ends, v + self.reach + longest)
                ]
                parts += [text[max(first, e - longest) : e] for e in reach]
        return "\0".join(parts) + "\0"

    def framed_share(self, text: str, term: str) -> float:
        """Share of the occurrences of ``term`` in ``text`` that are framed as a problem."""
        total = framed = 0
        start = text.find(term)
        while start >= 0:
            end = start + len(term)
            total += 1
            if self.noun_after.match(text, end) or (
                self.object_end.match(text, end)
                and self.verb_before.search(text, max(0, start - self.reach), start)
            ):
                framed += 1
            start = text.find(term, end)
        return framed / total if total else 0.0


def problem_mentions(
    texts: Sequence[str] | pd.Series,
    incidence: sparse.spmatrix,
    terms: Sequence[str],
    *,
    nouns: Sequence[str] = PROBLEM_NOUNS,
    verbs: Sequence[str] = PROBLEM_VERBS,
    max_gap: int = 6,
) -> sparse.csr_matrix:
    """(sentences x terms) share of each present term's mentions framed as a problem (0..1).

    ``incidence`` is the binary (sentences x terms) matrix saying which term is in which
    sentence's tokens; only those pairs are looked at, and only in sentences whose text holds
    a cue word at all (the patterns are compiled once per call).

    Example::

        >>> x = sparse.csr_matrix([[1, 1]])
        >>> problem_mentions(["破解“两张皮”问题，完善考核机制"], x, ["两张皮", "考核机制"]).toarray()
        array([[1., 0.]])
    """
    framing = _Framing(nouns, verbs, max_gap)
    if isinstance(texts, pd.Series):
        texts = texts.reset_index(drop=True)
    else:
        texts = pd.Series(list(texts), dtype=object)
    marks = sparse.csr_matrix(incidence)
    has_cue = texts.str.contains(framing.cue, na=False).to_numpy(dtype=bool)
    candidates = np.flatnonzero(has_cue & (np.diff(marks.indptr) > 0))
    terms = list(terms)
    longest = max(map(len, terms), default=0)
    ended = [term + "\0" for term in terms]
    rows, cols, values = [], [], []
    for row, text in zip(candidates.tolist(), texts.take(candidates).tolist(), strict=True):
        ends = framing.suffixes(text, longest)
        for col in marks.indices[marks.indptr[row] : marks.indptr[row + 1]].tolist():
            if ended[col] in ends and (share := framing.framed_share(text, terms[col])):
                rows.append(row)
                cols.append(col)
                values.append(share)
    return sparse.csr_matrix((values, (rows, cols)), shape=marks.shape, dtype=float)


def mention_role_mass(
    incidence: sparse.spmatrix, framed: sparse.spmatrix, onehot: np.ndarray, problem: int
) -> np.ndarray:
    """(terms x roles) mention-role mass: sentence roles, with framed shares moved to problem.

    ``onehot`` is the (sentences x roles) role indicator and ``problem`` the column of
    'problem' in it.

    Example::

        >>> onehot = np.array([[0.0, 0.0, 1.0]])            # 一句“原因”句
        >>> mention_role_mass(sparse.csr_matrix([[1]]), sparse.csr_matrix([[1.0]]), onehot, 0)
        array([[1., 0., 0.]])
    """
    mass = np.asarray(sparse.csr_matrix(incidence, dtype=float).T @ onehot)
    mass -= np.asarray(sparse.csr_matrix(framed).T @ onehot)
    mass[:, problem] += np.asarray(framed.sum(axis=0)).ravel()
    return mass
