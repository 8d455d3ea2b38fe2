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
from itertools import chain

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..parallel import Backend, LocalBackend
from ..tokens import TokenIndex
from .segmenter import Segmenter

# Joins a text's cut for the cache: one string stores ~10x faster than a list. Tokens never
# hold control characters: the lexicon rejects them and the backends tag them 'x' (split on
# them as separate tokens).
SEP = "\x1f"
CHUNK = 2000  # texts per task
TAIL = 4  # with several workers, the last chunks hold 1/(TAIL * workers) of what is left
MIN_CHUNK = 100  # texts
INDEX_BATCH = 50_000  # texts split at a time by :func:`cuts_index`


def segment(
    sentences: pd.DataFrame,
    *,
    segmenter: Segmenter,
    text_column: str = "text",
    workers: int = 1,
    chunk_size: int = CHUNK,
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
    result = sentences.copy()
    result["tokens"] = analyse_texts(
        text_values(sentences[text_column]),
        segmenter=segmenter,
        workers=workers,
        chunk_size=chunk_size,
        backend=backend,
    )
    return result


def text_values(column: pd.Series) -> pa.Array | list[str]:
    """A text column as an Arrow string array when it is stored as one (no Python strings
    are made here: each worker converts its own chunks), else as a list (``''`` for
    anything not a string).

    Example::

        >>> text_values(pd.Series(["推进专职化", None], dtype=object))
        ['推进专职化', '']
    """
    if isinstance(column.dtype, pd.StringDtype | pd.ArrowDtype):
        values = pa.array(column)
        if pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
            return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    return [text if isinstance(text, str) else "" for text in column.tolist()]


def analyse_texts(
    texts: Sequence[str] | pa.Array,
    *,
    segmenter: Segmenter,
    workers: int = 1,
    chunk_size: int = CHUNK,
    backend: Backend | None = None,
) -> list[list[str]]:
    """Analysed tokens of each text (``''`` or None: none), in order, computed in chunks on
    ``backend``. The texts reach pool processes with ``shared`` (no pickling with fork);
    each task names a range of them. Equal tokens of a chunk are one string object (the
    segmenter's), and pickle sends each once per chunk.

    Example::

        >>> analyse_texts(["完善考核机制", "推进专职化"], segmenter=Segmenter(), workers=2)
        [['完善', '考核机制'], ['推进', '专职化']]
    """
    backend = backend or LocalBackend(workers)
    lists = backend.map(
        _analyse_span,
        spans(len(texts), chunk_size, workers=backend.workers),
        shared=(segmenter, texts),
    )
    return list(chain.from_iterable(lists))


def _analyse_span(
    shared: tuple[Segmenter, Sequence[str] | pa.Array], span: tuple[int, int]
) -> list[list[str]]:
    segmenter, texts = shared
    chunk = texts[span[0] : span[1]]
    if isinstance(chunk, pa.Array):
        chunk = chunk.to_pylist()
    return [segmenter.analyse(text) if text else [] for text in chunk]


def spans(count: int, size: int, *, workers: int = 1) -> list[tuple[int, int]]:
    """``(start, stop)`` ranges of ``size`` items covering ``range(count)``; with several
    workers the last ones shrink (down to ``MIN_CHUNK``) so that all processes run out of
    work at about the same time.

    Example::

        >>> [stop - start for start, stop in spans(10_000, 2000, workers=2)][-3:]
        [100, 100, 94]
    """
    ranges, start = [], 0
    while start < count:
        left = count - start
        step = size if workers == 1 else min(size, max(MIN_CHUNK, left // (TAIL * workers)))
        ranges.append((start, min(start + step, count)))
        start += step
    return ranges


def split_tokens(joined: str) -> list[str]:
    """Tokens back from their ``SEP``-joined form (``''`` is no tokens).

    Example::

        >>> split_tokens("考核机制\x1f专职化")
        ['考核机制', '专职化']
    """
    return joined.split(SEP) if joined else []


def cuts_index(joined: Sequence[str], *, batch: int = INDEX_BATCH) -> TokenIndex:
    """A :class:`~pipeline.tokens.TokenIndex` of ``SEP``-joined cuts (``''`` is no tokens),
    split by Arrow ``batch`` texts at a time, without making a Python list per text.

    Example::

        >>> cuts_index(["考核机制\x1f专职化", ""]).lengths().tolist()
        [2, 0]
    """
    vocab: dict[str, int] = {}
    codes, lengths = [], []
    for start in range(0, len(joined), batch):
        texts = pa.array(
            [text or None for text in joined[start : start + batch]], pa.large_string()
        )
        split = pc.split_pattern(texts, SEP)
        lengths.append(pc.fill_null(pc.list_value_length(split), 0).to_numpy(zero_copy_only=False))
        encoded = pc.list_flatten(split).dictionary_encode()
        words = encoded.dictionary.to_pylist()
        known = np.array([vocab.setdefault(word, len(vocab)) for word in words], dtype=np.int32)
        codes.append(known[encoded.indices.to_numpy(zero_copy_only=False)])
    words = np.array(list(vocab), dtype=object)
    order = np.argsort(words, kind="stable")  # the index's vocabulary is sorted
    rank = np.empty(len(order), dtype=np.int32)
    rank[order] = np.arange(len(order), dtype=np.int32)
    counts = np.concatenate([np.zeros(0, dtype=np.int64), *lengths])
    offsets = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    flat = np.concatenate(codes) if codes else np.zeros(0, dtype=np.int32)
    return TokenIndex(words[order], rank[flat], offsets)


def cut_chunk(segmenter: Segmenter, texts: list[str]) -> list[str]:
    """Each text's full cut (punctuation included) joined by ``SEP``: per-document work.

    Example::

        >>> cut_chunk(Segmenter(), ["完善考核机制。"])
        ['完善\\x1f考核机制\\x1f。']
    """
    return [SEP.join(segmenter.cut(text)) for text in texts]


def analyse_chunk(
    shared: tuple[Segmenter, frozenset[str], Sequence[str], Sequence[str]],
    span: tuple[int, int],
) -> list[list[str]]:
    """Analysed tokens of ``texts[start:stop]`` given their ``SEP``-joined cuts, accepted
    terms merged.

    ``shared`` is the run's segmenter (its lexicon holding the accepted terms, for tags),
    the accepted terms, and all texts and cuts (which reach pool processes once).

    Example::

        >>> seg = Segmenter().with_terms(["党建联系点"])
        >>> shared = (seg, frozenset({"党建联系点"}), ["建立党建联系点"], ["建立\\x1f党建\\x1f联系点"])
        >>> analyse_chunk(shared, (0, 1))
        [['建立', '党建联系点']]
    """
    segmenter, terms, texts, cuts = shared
    prefixes = term_prefixes(terms)
    start, stop = span
    return [
        segmenter.analyse_tokens(text, merge_terms(split_tokens(cut), terms, prefixes))
        for text, cut in zip(texts[start:stop], cuts[start:stop], strict=True)
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
    if not terms or prefixes.isdisjoint(tokens):
        return tokens
    merged: list[str] = []
    done, n = 0, len(tokens)  # tokens before ``done`` are in ``merged``
    for i in [i for i, token in enumerate(tokens) if token in prefixes]:
        if i < done:
            continue
        two = tokens[i] + tokens[i + 1] if i + 1 < n else ""
        if i + 2 < n and (three := two + tokens[i + 2]) in terms:
            size, term = 3, three
        elif two in terms:
            size, term = 2, two
        else:
            continue
        merged += tokens[done:i]
        merged.append(term)
        done = i + size
    return merged + tokens[done:] if done else tokens
