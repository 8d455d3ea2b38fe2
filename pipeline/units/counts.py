"""Term counts per group: one sparse row of token counts per unit (or unit type, region, year)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from ..tokens import TokenIndex
from ..topics.units import analysed_sentences
from .groups import group_labels, sentence_groups


@dataclass(frozen=True)
class TermCounts:
    """Analysed sentences with their group label, and their term-count matrix.

    ``rows`` holds ``sent_id, doc_id, role, group`` of every non-duplicate sentence (sent_id
    order); ``matrix`` row i counts the tokens of ``rows`` row i over ``vocab`` (sorted);
    ``codes`` is each row's position in :meth:`groups`.

    Example::

        >>> tc = TermCounts.build(sentences, documents, by="unit")   # 按单位计数
        >>> tc.matrix.shape[0] == len(tc.rows)
        True
    """

    rows: pd.DataFrame
    vocab: np.ndarray
    matrix: sparse.csr_matrix
    codes: np.ndarray

    @classmethod
    def build(cls, sentences: pd.DataFrame, documents: pd.DataFrame, *, by: str) -> TermCounts:
        """Count the tokens of every non-duplicate sentence, grouped ``by`` a documents column.

        Example::

            >>> TermCounts.build(sentences, documents, by="unit_type").groups()[:2]
            ['中央机关', '区直机关']
        """
        columns = [c for c in ("doc_id", "sent_id", "tokens", "role") if c in sentences]
        kept = analysed_sentences(sentences[columns], documents)
        index = TokenIndex.build(kept["tokens"])
        if not len(index.codes):
            raise ValueError(
                "no sentence has analysed tokens; run the segment stage (it fills `tokens`) "
                "before comparing units"
            )
        rows = kept[["sent_id", "doc_id", "role"]]
        return cls(rows, index.vocab, index.counts(), np.zeros(0)).regroup(documents, by=by)

    def regroup(self, documents: pd.DataFrame, *, by: str) -> TermCounts:
        """The same sentences and counts grouped by another documents column.

        Example::

            >>> TermCounts.build(sentences, documents, by="unit").regroup(documents, by="year")
        """
        labels = group_labels(documents, by)
        position = labels.index.get_indexer(self.rows["doc_id"])
        if (position < 0).any():
            sentence_groups(self.rows, labels)  # raises, naming the article
        doc_names, doc_codes = np.unique(labels.to_numpy(dtype=object), return_inverse=True)
        present, codes = np.unique(doc_codes[position], return_inverse=True)
        rows = self.rows.assign(group=doc_names[present][codes])
        return TermCounts(rows, self.vocab, self.matrix, codes.astype(np.int64))

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
        chosen = np.arange(len(self.codes))
        if role is not None:
            chosen = np.flatnonzero((self.rows["role"] == role).to_numpy())
        indicator = sparse.csr_matrix(
            (np.ones(len(chosen)), (self.codes[chosen], chosen)),
            shape=(int(self.codes.max(initial=-1)) + 1, len(self.codes)),
        )
        return (indicator @ self.matrix).tocsr()

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
