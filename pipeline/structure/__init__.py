"""Structure stage: headings, sections, sentences, enumerated claims and roles.

Example::

    >>> from pipeline.structure import structure
    >>> sentences = structure(documents)  # 文档表 -> 句子表
"""

from .classifier import RoleClassifier
from .stage import structure

__all__ = ["RoleClassifier", "structure"]
