"""How alike the groups write: cosine similarity of their TF-IDF term profiles."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.metrics.pairwise import cosine_similarity

from .counts import TermCounts

SIMILARITY_COLUMNS: tuple[str, ...] = ("level", "unit_a", "unit_b", "similarity")


def group_similarity(counts: TermCounts, *, level: str) -> pd.DataFrame:
    """Cosine similarity of every ordered pair of groups (diagonal included), long format.

    Each group is the pooled term counts of its non-duplicate articles, weighted with
    sublinear TF-IDF where the "documents" are the groups (a term every group uses weighs
    little). Columns :data:`SIMILARITY_COLUMNS`; ``similarity`` is in [0, 1].

    Example::

        >>> sim = group_similarity(TermCounts.build(sentences, documents, by="unit"), level="unit")
        >>> sim.pivot(index="unit_a", columns="unit_b", values="similarity")   # 单位相似度矩阵
    """
    groups = counts.groups()
    weights = TfidfTransformer(sublinear_tf=True).fit_transform(counts.by_group())
    matrix = np.clip(cosine_similarity(weights), 0.0, 1.0)
    np.fill_diagonal(matrix, 1.0)
    a, b = np.meshgrid(np.arange(len(groups)), np.arange(len(groups)), indexing="ij")
    names = np.asarray(groups, dtype=object)
    return pd.DataFrame(
        {
            "level": level,
            "unit_a": names[a.ravel()],
            "unit_b": names[b.ravel()],
            "similarity": matrix.ravel().round(6),
        }
    )
