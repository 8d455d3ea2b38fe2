"""Units stage: compare what units (and unit types, regions, years) write about themselves.

Role composition, topic prevalence, distinctive terms (weighted log-odds with an informative
Dirichlet prior, overall and within each role), similarity between units, a substance score
(concrete content against formulaic slogans), concordances with unit and role columns.

Example::

    >>> from pipeline.units import units, compare, kwic
    >>> result = units(documents, sentences, doc_topics)               # 单位比较表
    >>> compare(sentences, documents, "国企", "中央机关", by="unit_type", role="countermeasure")
    >>> kwic(sentences, documents, "考核机制", window=10)               # 关键词语境
"""

from .concordance import KWIC_COLUMNS, kwic
from .counts import TermCounts
from .groups import LEVELS, UNKNOWN, group_labels
from .similarity import group_similarity
from .stage import UnitResult, units
from .substance import concrete_kinds, formulaic_share, sentence_substance, substance_summary
from .terms import COMPARE_COLUMNS, ROLE_SCOPES, TERM_COLUMNS, compare, distinctive_terms

__all__ = [
    "COMPARE_COLUMNS",
    "KWIC_COLUMNS",
    "LEVELS",
    "ROLE_SCOPES",
    "TERM_COLUMNS",
    "UNKNOWN",
    "TermCounts",
    "UnitResult",
    "compare",
    "concrete_kinds",
    "distinctive_terms",
    "formulaic_share",
    "group_labels",
    "group_similarity",
    "kwic",
    "sentence_substance",
    "substance_summary",
    "units",
]
