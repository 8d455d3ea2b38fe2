"""Structure stage: headings, sections, sentences, enumerated claims and roles.

Example::

    >>> from pipeline.structure import structure
    >>> sentences = structure(documents)  # 文档表 -> 句子表
"""

from .classifier import RoleClassifier
from .stage import assemble_sentences, structure, walk_document

__all__ = ["RoleClassifier", "assemble_sentences", "structure", "walk_document"]
