"""Which group each article belongs to: its unit, unit type, region or year.

The documents table already carries ``unit, unit_type, region, year`` (ingest takes them from
``metadata.csv`` when given, else from the byline). An article whose value is missing is put
in an explicit "unknown" group (for example ``（未知单位）``), never dropped, so every article
counts in every comparison.
"""

from __future__ import annotations

import math

import pandas as pd

LEVELS: tuple[str, ...] = ("unit", "unit_type", "region", "year")
UNKNOWN: dict[str, str] = {
    "unit": "（未知单位）",
    "unit_type": "（未知类型）",
    "region": "（未知地区）",
    "year": "（未知年份）",
}


def check_level(by: str) -> str:
    """Return ``by`` if it is a grouping column, else raise a ValueError naming the choices.

    Example::

        >>> check_level("unit_type")      # 按单位类型比较
        'unit_type'
    """
    if by not in LEVELS:
        raise ValueError(f"by = {by!r} is not a grouping column; choose one of {', '.join(LEVELS)}")
    return by


def _label(value: object, by: str) -> str:
    """Display label of one cell: a year as '2019', blanks and NaN as the unknown label."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return UNKNOWN[by]
    if by == "year" and isinstance(value, int | float):
        return str(int(value))
    text = str(value).strip()
    return text or UNKNOWN[by]


def group_labels(documents: pd.DataFrame, by: str = "unit") -> pd.Series:
    """The group label of every article (index ``doc_id``), unknown values labelled, not dropped.

    Example::

        >>> group_labels(documents, "unit").value_counts()["（未知单位）"]   # 没有单位的文章
        5
    """
    check_level(by)
    if by not in documents.columns:
        raise ValueError(
            f"documents table has no {by!r} column; give corpus metadata.csv a {by} column "
            "or run the ingest stage, which adds unit, unit_type, region and year"
        )
    labels = [_label(value, by) for value in documents[by]]
    return pd.Series(labels, index=pd.Index(documents["doc_id"], name="doc_id"), name=by)


def is_known(label: str, by: str) -> bool:
    """False for the unknown-group label of ``by``.

    Example::

        >>> is_known("（未知单位）", "unit")
        False
    """
    return label != UNKNOWN[by]


def kept_documents(documents: pd.DataFrame) -> pd.DataFrame:
    """Articles that are not near-duplicates of another (``dup_of`` empty).

    Example::

        >>> len(kept_documents(documents))   # 去重后的文章
        14
    """
    if "dup_of" not in documents.columns:
        return documents
    return documents[documents["dup_of"].isna()]


def sentence_groups(sentences: pd.DataFrame, labels: pd.Series) -> pd.Series:
    """Group label of each sentence (aligned with ``sentences``), via its ``doc_id``.

    Raises when a sentence's article is not in the documents table.

    Example::

        >>> sentence_groups(sentences, group_labels(documents, "unit_type")).iloc[0]
        '支部'
    """
    mapped = sentences["doc_id"].map(labels)
    if mapped.isna().any():
        missing = sentences.loc[mapped.isna(), "doc_id"].iloc[0]
        raise ValueError(
            f"sentence of article {missing!r} has no row in the documents table; pass the "
            "documents table of the same run"
        )
    return mapped
