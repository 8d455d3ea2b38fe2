"""Term counts per group: one sparse row of token counts per unit (or unit type, region, year)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer

from ..topics.units import analysed_sentences, identity
from .groups import group_labels, sentence_groups


@dataclass(frozen=True)
class TermCounts:
    """Analysed sentences with their group label, and their term-count matrix.

    ``rows`` holds ``sent_id, doc_id, role, group`` of every non-duplicate sentence (sent_id
    order); ``matrix`` row i counts the tokens of ``rows`` row i over ``vocab`` (sorted).

    Example::

        >>> tc = TermCounts.build(sentences, documents, by="unit")   # 按单位计数
        >>> tc.matrix.shape[0] == len(tc.rows)
        True
    """

    rows: pd.DataFrame
    vocab: np.ndarray
    matrix: sparse.csr_matrix

    @classmethod
    def build(cls, sentences: pd.DataFrame, documents: pd.DataFrame, *, by: str) -> TermCounts:
        """Count the tokens of every non-duplicate sentence, grouped ``by`` a documents column.

        Example::

            >>> TermCounts.build(sentences, documents, by="unit_type").groups()[:2]
            ['中央机关', '区直机关']
        """
        kept = analysed_sentences(sentences, documents)
        rows = kept[["sent_id", "doc_id", "role"]].assign(
            group=sentence_groups(kept, group_labels(documents, by)).to_numpy()
        )
        if not any(len(tokens) for tokens in kept["tokens"]):
            raise ValueError(
                "no sentence has analysed tokens; run the segment stage (it fills `tokens`) "
                "before comparing units"
            )
        vectorizer = CountVectorizer(analyzer=identity, lowercase=False)
        matrix = vectorizer.fit_transform(kept["tokens"]).tocsr()
        return cls(rows, vectorizer.get_feature_names_out(), matrix)

    def groups(self) -> list[str]:
        """The group labels present, sorted.

        Example::

            >>> "（未知单位）" in TermCounts.build(sentences, documents, by="unit").groups()
            True
        """
        return sorted(self.rows["group"].unique())

    def total(self) -> pd.Series:
        """Counts of every term over all analysed sentences (the background for the prior).

        Example::

            >>> TermCounts.build(sentences, documents, by="unit").total()["两张皮"] > 0
            True
        """
        return pd.Series(np.asarray(self.matrix.sum(axis=0)).ravel(), index=self.vocab)

    def by_group(self, role: str | None = None) -> sparse.csr_matrix:
        """Group × term counts, rows in :meth:`groups` order; only ``role`` sentences if given.

        Example::

            >>> tc = TermCounts.build(sentences, documents, by="unit")
            >>> tc.by_group("problem").shape == (len(tc.groups()), len(tc.vocab))   # 问题句
            True
        """
        groups = self.groups()
        mask = np.ones(len(self.rows), dtype=bool)
        if role is not None:
            mask = (self.rows["role"] == role).to_numpy()
        codes = pd.Categorical(self.rows["group"][mask], categories=groups).codes
        indicator = sparse.csr_matrix(
            (np.ones(len(codes)), (codes, np.arange(len(codes)))),
            shape=(len(groups), len(codes)),
        )
        return (indicator @ self.matrix[mask]).tocsr()

    def row(self, group: str, role: str | None = None) -> pd.Series:
        """Term counts of one group (index = vocab), optionally one role only.

        Example::

            >>> tc = TermCounts.build(sentences, documents, by="unit")
            >>> tc.row("宁波海关", "problem").sum() > 0          # 宁波海关的问题句
            True
        """
        groups = self.groups()
        if group not in groups:
            raise ValueError(f"no articles of {group!r}; known groups: {', '.join(groups)}")
        counts = self.by_group(role)[groups.index(group)].toarray().ravel()
        return pd.Series(counts, index=self.vocab)
