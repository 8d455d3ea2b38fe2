"""Per-document work through the cache: look up each item's key, compute only the misses.

Misses are computed in batches on the run's backend and each batch is stored in the cache
as soon as it is done, so a run killed halfway resumes from the finished batches.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .cache import Cache
from .parallel import Backend

BATCH_ITEMS = 256  # items per backend call, and per cache transaction


def cached_map(
    stage: str,
    fn: Callable[[Any, Any], Any],
    items: Sequence[Any],
    keys: Sequence[str | None],
    *,
    shared: Any,
    backend: Backend,
    cache: Cache | None,
    encode: Callable[[Any], Any] = lambda value: value,
    decode: Callable[[Any], Any] = lambda value: value,
    done: Callable[[int], None] | None = None,
) -> tuple[list[Any], dict[str, int]]:
    """``[fn(shared, item) ...]`` with cached results reused; also ``{"reused", "computed"}``.

    ``keys[i]`` is the content key of ``items[i]`` (None: never cached). ``encode`` turns a
    result into JSON-safe data for the cache and ``decode`` turns it back.

    Example::

        >>> results, reuse = cached_map("structure", walk_document, items, keys,
        ...                             shared=None, backend=LocalBackend(), cache=cache)
        >>> reuse   # 复用统计
        {'reused': 15, 'computed': 0}
    """
    hits = cache.get_many(stage, [k for k in keys if k]) if cache is not None else {}
    results: list[Any] = [None] * len(items)
    todo: list[int] = []
    for index, key in enumerate(keys):
        if key is not None and key in hits:
            results[index] = decode(hits[key])
        else:
            todo.append(index)
    if done and len(items) > len(todo):
        done(len(items) - len(todo))
    for start in range(0, len(todo), BATCH_ITEMS):
        batch = todo[start : start + BATCH_ITEMS]
        computed = backend.map(fn, [items[i] for i in batch], shared=shared, done=done)
        fresh = {}
        for index, value in zip(batch, computed, strict=True):
            results[index] = value
            if keys[index] is not None:
                fresh[keys[index]] = encode(value)
        if cache is not None and fresh:
            cache.put_many(stage, fresh)
    return results, {"reused": len(items) - len(todo), "computed": len(todo)}
