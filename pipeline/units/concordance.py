"""Keyword in context (KWIC): every occurrence of a term with its sentence's role and unit."""

from __future__ import annotations

import re

import pandas as pd

from ..topics.units import analysed_sentences
from .groups import group_labels, sentence_groups

KWIC_COLUMNS: tuple[str, ...] = (
    "doc_id", "sent_id", "unit", "unit_type", "role", "left", "term", "right",
)  # fmt: skip
HEADING_BREAK = "／"  # stands between a heading and the next sentence in the context


def _document_rows(doc: pd.DataFrame, pattern: re.Pattern[str], window: int) -> list[dict]:
    """Occurrences in one article; context may run into the neighbouring sentences."""
    texts = [t if isinstance(t, str) else "" for t in doc["text"]]
    headings = doc["is_heading"].tolist() if "is_heading" in doc else [False] * len(doc)
    pieces = [t + (HEADING_BREAK if h else "") for t, h in zip(texts, headings, strict=True)]
    full = "".join(pieces)
    rows = []
    start = 0
    for index, (text, piece) in enumerate(zip(texts, pieces, strict=True)):
        for match in pattern.finditer(text):
            a, b = start + match.start(), start + match.end()
            rows.append(
                {
                    "position": index,
                    "left": full[max(0, a - window) : a],
                    "term": match.group(0),
                    "right": full[b : b + window],
                }
            )
        start += len(piece)
    return rows


def kwic(
    sentences: pd.DataFrame,
    documents: pd.DataFrame,
    term: str,
    *,
    window: int = 10,
    role: str | None = None,
    include_duplicates: bool = False,
) -> pd.DataFrame:
    """Concordance of ``term``: each occurrence with ``window`` characters either side.

    The context runs on across sentence boundaries within the article (a heading is followed by
    ``／``). Columns ``doc_id, sent_id, unit, unit_type, role, left, term, right``, in reading
    order; articles without a unit show ``（未知单位）``. ``role`` keeps one role's sentences;
    near-duplicate articles are left out unless ``include_duplicates``.

    Example::

        >>> from pipeline.api import kwic
        >>> k = kwic(sentences, documents, "两张皮", window=8)    # “两张皮”的语境
        >>> k[["unit", "role", "left", "term", "right"]].head()
    """
    if not isinstance(term, str) or not term.strip():
        raise ValueError("kwic needs a non-empty term, e.g. kwic(sentences, documents, '两张皮')")
    if window < 0:
        raise ValueError(f"window = {window} must be >= 0")
    kept = sentences if include_duplicates else analysed_sentences(sentences, documents)
    kept = kept.sort_values("sent_id", kind="stable").reset_index(drop=True)
    pattern = re.compile(re.escape(term.strip()))
    found = []
    for _doc_id, doc in kept.groupby("doc_id", sort=True):
        for row in _document_rows(doc, pattern, window):
            found.append({"index": doc.index[row.pop("position")], **row})
    if not found:
        return pd.DataFrame(columns=list(KWIC_COLUMNS))
    hits = pd.DataFrame(found)
    rows = kept.loc[hits["index"]].reset_index(drop=True)
    table = pd.DataFrame(
        {
            "doc_id": rows["doc_id"],
            "sent_id": rows["sent_id"],
            "unit": sentence_groups(rows, group_labels(documents, "unit")).to_numpy(),
            "unit_type": sentence_groups(rows, group_labels(documents, "unit_type")).to_numpy(),
            "role": rows["role"],
            "left": hits["left"],
            "term": hits["term"],
            "right": hits["right"],
        }
    )
    if role is not None:
        table = table[table["role"] == role].reset_index(drop=True)
    return table
