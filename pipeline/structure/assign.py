"""Give every sentence a role: from its headings where they say, from the sentence otherwise.

Order of precedence for a sentence:

1. quoting a leader or talking about the report itself is background: ``other``;
2. under a heading whose cue words name one role, that role (``role_source='heading'``),
   unless the sentence's own words outweigh it: in a recommendation section an example
   ("如,xx党支部…开展…") is an achievement, and a sentence with no prescriptive word but
   completed-action or several shortfall words ("目前关区已涌现出…") is decided from the
   sentence; in a background section (摘要, 重要性, 结语) so is a prescriptive sentence;
3. otherwise the sentence classifier, among the roles the nearest heading allows (all when
   it names none), shifted towards achievement in sections written as a report of past
   work and towards countermeasure in sections written as prescriptions.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from sklearn.base import clone

from .classifier import RoleClassifier
from .roles import cue_count, cue_label, cue_role, is_background, tense

HEADING_CONFIDENCE = 0.9  # a role read off a heading's cue words
RULE_CONFIDENCE = 0.7  # a role fixed by a rule (quotation, example)
MAX_TRAINING = 10_000  # sentences the role classifier trains on at most (fit time grows with it)
MIN_TRAINING = 20  # fewer heading-labelled sentences than this: train on cue words instead

_EXAMPLE = re.compile(r"(?:如|例如|比如|又如)[,，:：]")


def section_tense(table: pd.DataFrame, tenses: list[tuple[int, int]] | None = None) -> pd.Series:
    """Per sentence, how much its top-level section reports past work (+1) or prescribes (-1).

    ``tenses``: each sentence's :func:`tense`, when the caller has them already.

    Example::

        >>> t = pd.DataFrame({"doc_id": ["d", "d"], "_part": [1, 1],
        ...                   "text": ["先后进行了18次集中学习。", "制定活动方案。"]})
        >>> section_tense(t).round(2).tolist()
        [0.75, 0.75]
    """
    if tenses is None:
        tenses = [tense(text) for text in table["text"]]
    counts = pd.DataFrame(tenses, columns=["past", "modal"], index=table.index)
    keys = [table["doc_id"].to_numpy(), table["_part"].to_numpy()]
    totals = counts.groupby(keys).transform("sum")
    return (totals["past"] - totals["modal"]) / (totals["past"] + totals["modal"] + 1)


def _own_evidence(text: str, heading_role: str, tenses: tuple[int, int]) -> bool:
    """Whether the sentence's own words outweigh its heading's role.

    In a recommendation section, a sentence with no prescriptive word that reports done
    work or several shortfalls; in a background section (摘要, 引言, 重要性, 结语), a
    sentence that prescribes.
    """
    if heading_role == "countermeasure":
        if cue_count(text, "countermeasure"):
            return False
        return tenses[0] >= 1 or cue_count(text, "problem") >= 2
    if heading_role == "other":
        return tenses[1] > 0
    return False


def _training_set(table: pd.DataFrame, fixed: pd.Series) -> tuple[list[str], list[str]]:
    """Sentences to train on: those a heading labelled, else those cue words label."""
    if fixed.sum() >= MIN_TRAINING and table.loc[fixed, "role"].nunique() >= 2:
        return table.loc[fixed, "text"].tolist(), table.loc[fixed, "role"].tolist()
    pairs = [(text, cue_label(text)) for text in table["text"]]
    return [text for text, role in pairs if role], [role for _, role in pairs if role]


def _fitted(
    classifier: RoleClassifier | None, texts: list[str], roles: list[str], seed: int
) -> RoleClassifier | None:
    """A fitted classifier: the one given if already fitted, else one trained here."""
    if classifier is not None and hasattr(classifier, "classes_"):
        return classifier
    if len(texts) < MIN_TRAINING or len(set(roles)) < 2:
        return None
    model = clone(classifier) if classifier is not None else RoleClassifier(random_state=seed)
    if len(texts) > MAX_TRAINING:  # a seeded sample: more sentences add time, not accuracy
        rows = np.sort(np.random.default_rng(seed).choice(len(texts), MAX_TRAINING, replace=False))
        texts, roles = [texts[i] for i in rows], [roles[i] for i in rows]
    return model.fit(texts, roles)


def _rules(texts: list[str], heading_role: pd.Series, tenses: list[tuple[int, int]]) -> pd.Series:
    """Role fixed by a rule ('' where no rule applies)."""
    index = heading_role.index
    background = pd.Series(map(is_background, texts), index=index)
    reporting = heading_role.isin(["countermeasure", "other"])
    examples = [bool(_EXAMPLE.match(t)) and m == 0 for t, (_, m) in zip(texts, tenses, strict=True)]
    example = reporting & pd.Series(examples, index=index)
    rule = pd.Series("", index=index)
    rule[example] = "achievement"
    rule[background] = "other"
    return rule


def assign_roles(
    table: pd.DataFrame,
    classifier: RoleClassifier | None,
    *,
    use_headings: bool,
    use_classifier: bool,
    seed: int,
) -> pd.DataFrame:
    """Fill role, role_source and role_confidence of a sentences table (see module doc).

    ``table`` needs the internal columns ``_cues`` (roles the nearest heading names) and
    ``_part`` (top-level section number).

    Example::

        >>> t = pd.DataFrame({"doc_id": ["d"] * 2, "_part": [1, 1],
        ...     "_cues": [frozenset({"problem"}), frozenset()],
        ...     "text": ["一是主动性不够足。", "要强化责任意识。"]})
        >>> assign_roles(t, None, use_headings=True, use_classifier=False, seed=0)[
        ...     ["role", "role_source"]].values.tolist()
        [['problem', 'heading'], ['countermeasure', 'sentence']]
    """
    none = pd.Series([frozenset()] * len(table), index=table.index)
    cues = table["_cues"] if use_headings else none
    heading_role = cues.map(lambda c: next(iter(c)) if len(c) == 1 else "")
    all_texts = table["text"].tolist()
    tenses = [tense(text) for text in all_texts]
    rule = _rules(all_texts, heading_role, tenses)
    own = pd.Series(map(_own_evidence, all_texts, heading_role, tenses), index=table.index)
    fixed = (heading_role != "") & (rule == "") & ~own
    table["role"] = heading_role.where(fixed, rule)
    table["role_source"] = "heading"
    table["role_confidence"] = HEADING_CONFIDENCE

    model = None
    if use_classifier:
        model = _fitted(classifier, *_training_set(table, fixed), seed)
    rest = ~fixed & (rule == "")
    texts = table.loc[rest, "text"].tolist()
    allowed = [frozenset() if o else c for c, o in zip(cues[rest], own[rest], strict=True)]
    if model is not None:
        roles, confidences = model.decide(
            texts, allowed, section_tense(table, tenses)[rest].tolist()
        )
    else:
        pairs = [cue_role(t, a or None) for t, a in zip(texts, allowed, strict=True)]
        roles, confidences = [r for r, _ in pairs], [c for _, c in pairs]
    table.loc[rest, "role"] = roles
    table.loc[rest, "role_confidence"] = confidences
    table.loc[~fixed, "role_source"] = "sentence"
    table.loc[rule != "", "role_confidence"] = RULE_CONFIDENCE
    return table
