"""Per-document work through the cache: look up each item's key, compute only the misses.

Misses are computed in one map over the run's backend (one pool for the whole stage) and
stored in the cache in batches as they finish, so a run killed halfway resumes from the
stored batches.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from .cache import Cache
from .parallel import Backend

BATCH_ITEMS = 256  # finished items per cache transaction


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
    del hits
    if done and len(items) > len(todo):
        done(len(items) - len(todo))
    fresh: dict[str, Any] = {}
    finished: dict[int, Any] = {}  # results that arrived before an earlier item's
    stored = 0  # todo[:stored] are handed to the cache, in item order

    def finish(indexed: tuple[int, Any]) -> None:
        nonlocal stored
        position, value = indexed
        results[todo[position]] = value
        if cache is None:
            return
        finished[position] = value
        while stored in finished:  # store in item order: the cache file is the same each run
            key = keys[todo[stored]]
            value = finished.pop(stored)
            if key is not None:
                fresh[key] = encode(value)
            stored += 1
            if len(fresh) >= BATCH_ITEMS:
                cache.put_many(stage, fresh)
                fresh.clear()

    backend.map(
        partial(_indexed, fn),
        [(position, items[i]) for position, i in enumerate(todo)],
        shared=shared,
        done=done,
        finish=finish,
    )
    if fresh:
        cache.put_many(stage, fresh)
    return results, {"reused": len(items) - len(todo), "computed": len(todo)}


def _indexed(fn: Callable[[Any, Any], Any], shared: Any, item: tuple[int, Any]) -> tuple[int, Any]:
    position, value = item
    return position, fn(shared, value)
