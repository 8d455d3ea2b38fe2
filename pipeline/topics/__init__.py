"""Topics stage: NMF or gensim LDA over document or claim units, k chosen by coherence."""

from __future__ import annotations

from .coherence import CoherenceScorer
from .io import ModelIntegrityError
from .model import TopicModel
from .selection import select_k, stability
from .stage import TopicResult, topics
from .units import ROLES, analysis_units

__all__ = [
    "ROLES",
    "ModelIntegrityError",
    "TopicModel",
    "TopicResult",
    "analysis_units",
    "CoherenceScorer",
    "select_k",
    "stability",
    "topics",
]
