"""Segmentation stage: a private-tokenizer :class:`Segmenter`, the party-building lexicon,
stop words, POS filtering, new-term discovery and the ``segment`` stage function.

Files (plain UTF-8, editable):

- ``models/lexicon.txt``: jieba user dictionary, ``word freq tag`` per line, single spaces,
  no comments (see :class:`Lexicon` for the checks).
- ``models/stopwords_zh.txt``: general function words, dropped as whole tokens.
- ``models/stopwords_formulaic.txt``: boilerplate phrases of the genre, matched in the text;
  ``…`` marks a gap (``以…为指导``). ``#`` comments in both stop-word files.

Example::

    >>> from pipeline.segment import Segmenter, segment, discover_terms
    >>> seg = Segmenter(backend="rjieba")
    >>> seg.analyse("破解党建与业务工作“两张皮”问题")
    ['破解', '党建', '业务工作', '两张皮', '问题']
"""

from .backends import BACKENDS
from .discovery import TermDiscoverer, discover_terms, discover_terms_from_cuts
from .lexicon import Lexicon, LexiconEntry, LexiconError
from .segmenter import (
    DEFAULT_FORMULAIC,
    DEFAULT_LEXICON,
    DEFAULT_POS_KEEP,
    DEFAULT_STOPWORDS,
    Segmenter,
)
from .stage import analyse_chunk, analyse_texts, cut_chunk, segment
from .stopwords import StopWords, StopWordsError

__all__ = [
    "BACKENDS",
    "DEFAULT_FORMULAIC",
    "DEFAULT_LEXICON",
    "DEFAULT_POS_KEEP",
    "DEFAULT_STOPWORDS",
    "Lexicon",
    "LexiconEntry",
    "LexiconError",
    "Segmenter",
    "StopWords",
    "StopWordsError",
    "TermDiscoverer",
    "analyse_chunk",
    "analyse_texts",
    "cut_chunk",
    "discover_terms",
    "discover_terms_from_cuts",
    "segment",
]
