"""The ``segment`` stage: add analysed ``tokens`` to the sentences table, optionally in parallel."""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor

import pandas as pd

from .segmenter import Segmenter

# The segmenter of a pool worker process, set once by _init_worker (one per process).
_worker_segmenter: Segmenter | None = None
# Joins a text's tokens on the way back from a worker. Analysed tokens never hold control
# characters: the lexicon rejects them and the backends tag them 'x', which is filtered out.
_SEP = "\x1f"


def segment(
    sentences: pd.DataFrame,
    *,
    segmenter: Segmenter,
    text_column: str = "text",
    workers: int = 1,
    chunk_size: int = 2000,
) -> pd.DataFrame:
    """Copy of ``sentences`` with ``tokens`` (list[str]: analysed tokens of ``text_column``).

    With ``workers > 1`` the texts are analysed in chunks of ``chunk_size`` rows by a pool
    of ``workers`` processes, each given the segmenter once (see :func:`analyse_texts`);
    the result is identical to one worker. Missing texts give ``[]``.

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
        texts, segmenter=segmenter, workers=workers, chunk_size=chunk_size
    )
    return result


def analyse_texts(
    texts: Sequence[str], *, segmenter: Segmenter, workers: int = 1, chunk_size: int = 2000
) -> list[list[str]]:
    """Analysed tokens of each text, in order; a pool of ``workers`` processes when > 1.

    Chunks of ``chunk_size`` texts (plain strings, not table rows) go to the workers, which
    got the segmenter once through the pool initializer; each returns one string per text.

    Example::

        >>> analyse_texts(["完善考核机制", "推进专职化"], segmenter=Segmenter(), workers=2)
        [['完善', '考核机制'], ['推进', '专职化']]
    """
    chunks = [list(texts[i : i + chunk_size]) for i in range(0, len(texts), chunk_size)]
    if workers == 1 or len(chunks) < 2:
        return [segmenter.analyse(text) for text in texts]
    with ProcessPoolExecutor(
        max_workers=min(workers, len(chunks)),
        mp_context=_pool_context(),
        initializer=_init_worker,
        initargs=(segmenter,),
    ) as pool:
        return [
            joined.split(_SEP) if joined else []
            for chunk in pool.map(_analyse_chunk, chunks)
            for joined in chunk
        ]


def _pool_context() -> multiprocessing.context.BaseContext:
    """``fork`` where available: workers inherit the built segmenter instead of rebuilding it.

    Elsewhere (spawn) the segmenter is pickled once per worker as its parameters and
    rebuilt there by the initializer.
    """
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)


def _init_worker(segmenter: Segmenter) -> None:
    global _worker_segmenter
    _worker_segmenter = segmenter


def _analyse_chunk(texts: list[str]) -> list[str]:
    """Each text's analysed tokens joined by ``_SEP``: one string pickles ~10x faster than a list."""
    assert _worker_segmenter is not None, "worker started without _init_worker"
    return [_SEP.join(_worker_segmenter.analyse(text)) for text in texts]
