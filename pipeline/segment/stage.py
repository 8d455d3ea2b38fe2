"""The ``segment`` stage: add analysed ``tokens`` to the sentences table, optionally in parallel.

The work has three steps, so that the costly one is per document and can be cached:

1. :func:`cut_chunk` cuts texts with the run's base segmenter (curated lexicon only);
2. new terms are discovered over those cuts (:func:`.discovery.discover_terms_from_cuts`);
3. :func:`analyse_chunk` merges adjacent tokens that spell an accepted term
   (:func:`merge_terms`) and applies the POS filter and stop words.

:func:`segment` does all three for one table with a given segmenter (no discovery).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from ..parallel import Backend, LocalBackend
from .segmenter import Segmenter

# Joins a text's tokens for transfer between processes and for the cache: one string
# pickles ~10x faster than a list. Tokens never hold control characters: the lexicon
# rejects them and the backends tag them 'x' (split on them as separate tokens).
SEP = "\x1f"


def segment(
    sentences: pd.DataFrame,
    *,
    segmenter: Segmenter,
    text_column: str = "text",
    workers: int = 1,
    chunk_size: int = 2000,
    backend: Backend | None = None,
) -> pd.DataFrame:
    """Copy of ``sentences`` with ``tokens`` (list[str]: analysed tokens of ``text_column``).

    With ``workers > 1`` (or a ``backend``) the texts are analysed in chunks of
    ``chunk_size`` rows in parallel; the result is identical to one worker. Missing texts
    give ``[]``.

    Example::

        >>> table = pd.DataFrame({"text": ["党建工作与业务工作“两张皮”"]})
        >>> segment(table, segmenter=Segmenter())["tokens"][0]
        ['党建工作', '业务工作', '两张皮']
    """
    if text_column not in sentences.columns:
        raise KeyError(
            f"segment: no column {text_column!r} in the table (columns: "
            f"{', '.join(map(str, sentences.columns))}); pass text_column="
        )
    if workers < 1 or chunk_size < 1:
        raise ValueError(f"segment: workers = {workers} and chunk_size = {chunk_size} must be >= 1")
    texts = [text if isinstance(text, str) else "" for text in sentences[text_column]]
    result = sentences.copy()
    result["tokens"] = analyse_texts(
        texts, segmenter=segmenter, workers=workers, chunk_size=chunk_size, backend=backend
    )
    return result


def analyse_texts(
    texts: Sequence[str],
    *,
    segmenter: Segmenter,
    workers: int = 1,
    chunk_size: int = 2000,
    backend: Backend | None = None,
) -> list[list[str]]:
    """Analysed tokens of each text, in order, computed in chunks on ``backend``.

    Example::

        >>> analyse_texts(["完善考核机制", "推进专职化"], segmenter=Segmenter(), workers=2)
        [['完善', '考核机制'], ['推进', '专职化']]
    """
    backend = backend or LocalBackend(workers)
    chunks = [list(texts[i : i + chunk_size]) for i in range(0, len(texts), chunk_size)]
    memo: dict[str, str] = {}
    lists = backend.map(
        _analyse_plain,
        chunks,
        shared=segmenter,
        finish=lambda chunk: [split_tokens(item, memo) for item in chunk],
    )
    return [tokens for chunk in lists for tokens in chunk]


def _analyse_plain(segmenter: Segmenter, texts: list[str]) -> list[str]:
    return [SEP.join(segmenter.analyse(text)) for text in texts]


def split_tokens(joined: str, memo: dict[str, str] | None = None) -> list[str]:
    """Tokens back from their ``SEP``-joined form (``''`` is no tokens).

    With ``memo`` (one dict per table), equal tokens share one string object: a corpus has
    tens of thousands of distinct tokens but millions of occurrences, and a separate string
    per occurrence costs ~60 bytes each.

    Example::

        >>> split_tokens("考核机制\x1f专职化")
        ['考核机制', '专职化']
    """
    if not joined:
        return []
    tokens = joined.split(SEP)
    if memo is None:
        return tokens
    return [memo.setdefault(token, token) for token in tokens]


def cut_chunk(segmenter: Segmenter, texts: list[str]) -> list[str]:
    """Each text's full cut (punctuation included) joined by ``SEP``: per-document work.

    Example::

        >>> cut_chunk(Segmenter(), ["完善考核机制。"])
        ['完善\\x1f考核机制\\x1f。']
    """
    return [SEP.join(segmenter.cut(text)) for text in texts]


def analyse_chunk(
    shared: tuple[Segmenter, frozenset[str]], pairs: list[tuple[str, str]]
) -> list[str]:
    """Analysed tokens of ``(text, joined cut)`` pairs, accepted terms merged, ``SEP``-joined.

    ``shared`` is the run's segmenter (its lexicon holding the accepted terms, for tags)
    and the accepted terms.

    Example::

        >>> seg = Segmenter().with_terms(["党建联系点"])
        >>> analyse_chunk((seg, frozenset({"党建联系点"})), [("建立党建联系点", "建立\\x1f党建\\x1f联系点")])
        ['建立\\x1f党建联系点']
    """
    segmenter, terms = shared
    prefixes = term_prefixes(terms)
    return [
        SEP.join(segmenter.analyse_tokens(text, merge_terms(split_tokens(cut), terms, prefixes)))
        for text, cut in pairs
    ]


def term_prefixes(terms: Iterable[str]) -> frozenset[str]:
    """Every proper prefix of every term (where a merge may start)."""
    return frozenset(term[:k] for term in terms for k in range(1, len(term)))


def merge_terms(tokens: list[str], terms: frozenset[str], prefixes: frozenset[str]) -> list[str]:
    """Join runs of 2–3 adjacent tokens that spell an accepted term (longest first).

    Discovered terms are runs of 2–3 tokens of the base cut, so merging them here gives
    the term wherever discovery counted it, without cutting every text again.

    Example::

        >>> merge_terms(["建立", "党建", "联系点"], frozenset({"党建联系点"}),
        ...             term_prefixes(["党建联系点"]))
        ['建立', '党建联系点']
    """
    if not terms:
        return tokens
    merged: list[str] = []
    i, n = 0, len(tokens)
    while i < n:
        token = tokens[i]
        if token in prefixes:
            two = token + tokens[i + 1] if i + 1 < n else ""
            three = two + tokens[i + 2] if i + 2 < n else ""
            if three in terms:
                merged.append(three)
                i += 3
                continue
            if two in terms:
                merged.append(two)
                i += 2
                continue
        merged.append(token)
        i += 1
    return merged
