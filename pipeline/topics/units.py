"""Analysis units shared by keywords, topics and graph: documents, claims and sentences.

Definitions used everywhere in the analysis stages:

* Sentences are taken in ``sent_id`` order; sentences of documents whose ``dup_of`` is set
  (near-duplicates found by ingest) are left out when ``documents`` is given.
* A *document unit* is all tokens of one ``doc_id`` (headings included).
* A *claim unit* groups sentences by ``(doc_id, section_id, claim_index)`` when
  ``claim_index >= 0`` (one enumerated point such as "（一）…" with its body), and groups the
  remaining sentences (``claim_index == -1``) of each section into one unit per
  ``(doc_id, section_id)``. When claim indices are unique within a document this is exactly
  "sentences grouped by (doc_id, claim_index), plus sections otherwise".
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain

import pandas as pd

ROLES: tuple[str, ...] = ("achievement", "problem", "cause", "countermeasure", "other")
UNITS: tuple[str, ...] = ("document", "claim")


def identity(tokens: Sequence[str]) -> Sequence[str]:
    """Analyzer for scikit-learn vectorizers: the tokens are already analysed.

    Example::

        >>> identity(["两张皮", "考核机制"])
        ['两张皮', '考核机制']
    """
    return tokens


def analysed_sentences(
    sentences: pd.DataFrame, documents: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Sentences in ``sent_id`` order, without those of duplicate documents.

    Example::

        >>> s = analysed_sentences(sentences, documents)  # 去掉重复文章的句子
        >>> s["sent_id"].is_monotonic_increasing
        True
    """
    missing = {"doc_id", "sent_id", "tokens", "role"} - set(sentences.columns)
    if missing:
        raise ValueError(
            f"sentences table lacks columns {sorted(missing)}; run the segment stage first "
            "(it fills `tokens`)"
        )
    kept = sentences
    if documents is not None and "dup_of" in documents.columns:
        dups = set(documents.loc[documents["dup_of"].notna(), "doc_id"])
        kept = sentences[~sentences["doc_id"].isin(dups)]
    return kept.sort_values("sent_id", kind="stable").reset_index(drop=True)


def _join(groups: pd.core.groupby.SeriesGroupBy) -> pd.Series:
    return groups.agg(lambda parts: list(chain.from_iterable(parts)))


def document_tokens(sentences: pd.DataFrame) -> pd.Series:
    """Tokens of each document (index ``doc_id``, sorted), sentences in order.

    Example::

        >>> s = pd.DataFrame({"doc_id": ["d1", "d1"], "sent_id": ["d1:0001", "d1:0000"],
        ...                   "tokens": [["考核机制"], ["两张皮"]]})
        >>> document_tokens(s).loc["d1"]   # 一篇文章的分析词, 按句序
        ['两张皮', '考核机制']
    """
    ordered = sentences.sort_values("sent_id", kind="stable")
    return _join(ordered.groupby("doc_id", sort=True)["tokens"])


def claim_keys(sentences: pd.DataFrame) -> pd.Series:
    """Claim-unit id of every sentence: ``doc|section|cN`` or ``doc|section|rest``.

    Example::

        >>> s = pd.DataFrame({"doc_id": ["d1", "d1"], "section_id": ["d1:s001"] * 2,
        ...                   "claim_index": [-1, 0]})
        >>> claim_keys(s).tolist()    # 论点单元
        ['d1|d1:s001|rest', 'd1|d1:s001|c000']
    """
    claim = sentences["claim_index"].astype(int)
    suffix = ("c" + claim.astype(str).str.zfill(3)).where(claim >= 0, "rest")
    return (
        sentences["doc_id"].astype(str) + "|" + sentences["section_id"].astype(str) + "|" + suffix
    )


def analysis_units(sentences: pd.DataFrame, *, unit: str = "document") -> pd.DataFrame:
    """Units of the chosen kind: columns ``unit_id, doc_id, tokens, text`` sorted by unit_id.

    ``text`` joins the unit's sentence texts (for baselines that tokenise raw text).

    Example::

        >>> analysis_units(s, unit="claim").columns.tolist()   # 按论点单元
        ['unit_id', 'doc_id', 'tokens', 'text']
    """
    if unit not in UNITS:
        raise ValueError(f"unit = {unit!r} is not one of {', '.join(UNITS)}")
    ordered = sentences.sort_values("sent_id", kind="stable")
    keys = ordered["doc_id"].astype(str) if unit == "document" else claim_keys(ordered)
    grouped = ordered.assign(unit_id=keys).groupby("unit_id", sort=True)
    return pd.DataFrame(
        {
            "doc_id": grouped["doc_id"].first(),
            "tokens": _join(grouped["tokens"]),
            "text": grouped["text"].agg("".join),
        }
    ).reset_index()
