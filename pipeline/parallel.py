"""Where per-document work runs: this process, a local process pool, or a Dask cluster.

A backend maps a module-level function ``fn(shared, item)`` over items and returns the
results in item order, so every backend gives the same tables. ``shared`` (a segmenter,
the ingest options) reaches each worker once: inherited through ``fork`` by the local
pool, broadcast with ``Client.scatter`` on Dask.

The local pool with ``workers = N`` starts N - 1 processes and the calling process works
too, taking items from the same queue: on a 2-core machine a third, coordinating process
would compete for the cores, and only the pool's share of the results is pickled. Small
items go to the pool in runs (tasks of about ``TASK_SECONDS``), so that handing them over
costs less than computing them.
"""

from __future__ import annotations

import gc
import multiprocessing
import socket
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from typing import Any, Protocol

# The shared argument in a pool worker process, set once by _init_worker.
_shared: Any = None
QUEUE_PER_WORKER = 2  # tasks queued ahead for each pool process
TASK_SECONDS = 0.02  # work per pool task (consecutive items), timed on the caller's items
TAIL = 4  # near the end a task holds at most 1 / (TAIL * processes) of the items left


class Backend(Protocol):
    """Runs ``fn(shared, item)`` for every item; results in item order."""

    workers: int

    def map(
        self,
        fn: Callable[[Any, Any], Any],
        items: Sequence[Any],
        *,
        shared: Any = None,
        done: Callable[[int], None] | None = None,
        finish: Callable[[Any], Any] | None = None,
    ) -> list[Any]: ...

    def close(self) -> None: ...


class LocalBackend:
    """This process alone (``workers=1``) or with ``workers - 1`` forked helpers.

    Example::

        >>> LocalBackend(workers=2).map(_length, ["党建", "考核机制"])   # 并行计算
        [2, 4]
    """

    def __init__(self, workers: int = 1) -> None:
        if workers < 1:
            raise ValueError(f"workers = {workers} must be at least 1")
        self.workers = workers

    def map(
        self,
        fn: Callable[[Any, Any], Any],
        items: Sequence[Any],
        *,
        shared: Any = None,
        done: Callable[[int], None] | None = None,
        finish: Callable[[Any], Any] | None = None,
    ) -> list[Any]:
        """``[fn(shared, item) for item in items]``, shared between this process and the pool."""
        items = list(items)
        finish = finish or _same
        with _gc_paused():
            if self.workers > 1 and len(items) > 1:
                return self._pool_map(fn, items, shared, done, finish)
            results = []
            for item in items:
                results.append(finish(fn(shared, item)))
                if done:
                    done(1)
            return results

    def _pool_map(
        self,
        fn: Callable[[Any, Any], Any],
        items: list[Any],
        shared: Any,
        done: Callable[[int], None] | None,
        finish: Callable[[Any], Any],
    ) -> list[Any]:
        context = multiprocessing.get_context(
            "fork" if "fork" in multiprocessing.get_all_start_methods() else None
        )
        with ProcessPoolExecutor(
            max_workers=min(self.workers - 1, len(items) - 1),
            mp_context=context,
            initializer=_init_worker,
            initargs=(shared,),
        ) as pool:
            return _map_with_caller(pool, fn, items, shared, self.workers - 1, done, finish)

    def close(self) -> None:
        """Nothing to release: pools live only inside :meth:`map`."""


def _map_with_caller(
    pool: ProcessPoolExecutor,
    fn: Callable[[Any, Any], Any],
    items: list[Any],
    shared: Any,
    pool_workers: int,
    done: Callable[[int], None] | None,
    finish: Callable[[Any], Any],
) -> list[Any]:
    """Feed the pool a few tasks ahead and work through the rest in this process.

    A pool task is a run of consecutive items holding about ``TASK_SECONDS`` of work, as
    timed on this process's own items: small items (a short document) would otherwise
    cost more to hand over than to compute. Near the end tasks shrink, so that all
    processes finish together. ``finish`` runs here on every result as it arrives,
    between this process's own items, so that it overlaps the pool's computing.
    """
    results: list[Any] = [None] * len(items)
    pending: dict[Future, int] = {}  # task -> its first item
    next_item, own_seconds, own_items = 0, 0.0, 0

    def top_up() -> None:
        nonlocal next_item
        while len(pending) < pool_workers * QUEUE_PER_WORKER and next_item < len(items):
            per_item = own_seconds / own_items if own_seconds > 0 else TASK_SECONDS
            left = len(items) - next_item
            size = max(1, min(int(TASK_SECONDS / per_item), left // (TAIL * (pool_workers + 1))))
            batch = items[next_item : next_item + size]
            pending[pool.submit(_call_batch, fn, batch)] = next_item
            next_item += len(batch)

    def harvest(block: bool) -> None:
        finished, _ = wait(list(pending), timeout=None if block else 0, return_when=FIRST_COMPLETED)
        for future in finished:
            first = pending.pop(future)
            for offset, value in enumerate(future.result()):
                results[first + offset] = finish(value)
            if done:
                done(offset + 1)

    top_up()
    while next_item < len(items):
        index = next_item
        next_item += 1
        started = time.perf_counter()
        value = fn(shared, items[index])
        own_seconds += time.perf_counter() - started
        own_items += 1
        results[index] = finish(value)
        if done:
            done(1)
        harvest(block=False)
        top_up()
    while pending:
        harvest(block=True)
    return results


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while the pool runs (restored afterwards).

    The results are millions of new lists; each full collection would walk all of them,
    in this process and, through copy-on-write, in the forked workers. The objects made
    here hold no cycles.
    """
    enabled = gc.isenabled()
    gc.disable()
    gc.freeze()  # objects from before the fork stay out of the workers' collections
    try:
        yield
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()


def _same(value: Any) -> Any:
    return value


def _init_worker(shared: Any) -> None:
    global _shared
    _shared = shared


def _call_batch(fn: Callable[[Any, Any], Any], batch: list[Any]) -> list[Any]:
    return [fn(_shared, item) for item in batch]


def _length(shared: Any, item: str) -> int:
    return len(item)


class DaskBackend:
    """Per-document work on a Dask cluster: ``'local'`` starts a ``LocalCluster``.

    ``address`` is ``'local'`` or a scheduler address such as ``'tcp://10.0.0.5:8786'``;
    ``workers`` sizes the LocalCluster (one thread per worker process). Every worker must
    have this package installed (``pip install djmine``) at the same version.

    Example::

        >>> backend = DaskBackend("local", workers=2)   # 本机集群
        >>> backend.map(_length, ["党建", "考核机制"])
        [2, 4]
        >>> backend.close()
    """

    def __init__(self, address: str, *, workers: int = 2) -> None:
        from distributed import Client, LocalCluster

        self.address = address
        self._cluster = None
        if address == "local":
            # No dashboard; the scheduler's HTTP server (which it always starts) gets a free
            # port on 127.0.0.1 instead of 8787, so runs side by side don't collide.
            self._cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},
                silence_logs=40,
            )
            self._client = Client(self._cluster)
        else:
            try:
                _probe(address)
                self._client = Client(address, timeout=30)
            except OSError as exc:
                raise ConnectionError(
                    f"cannot reach the Dask scheduler at {address} ({exc}); check the address "
                    "and that the scheduler is running, or use --scheduler local"
                ) from None
        self.workers = max(1, len(self._client.scheduler_info().get("workers", {})))

    def map(
        self,
        fn: Callable[[Any, Any], Any],
        items: Sequence[Any],
        *,
        shared: Any = None,
        done: Callable[[int], None] | None = None,
        finish: Callable[[Any], Any] | None = None,
    ) -> list[Any]:
        """Run on the cluster; results gathered back in item order."""
        from distributed import as_completed

        items = list(items)
        if not items:
            return []
        shared_future = self._client.scatter(shared, broadcast=True)
        futures = self._client.map(fn, [shared_future] * len(items), items, pure=False)
        position = {future.key: index for index, future in enumerate(futures)}
        results: list[Any] = [None] * len(items)
        for future in as_completed(futures):
            results[position[future.key]] = (finish or _same)(future.result())
            future.release()
            if done:
                done(1)
        return results

    def close(self) -> None:
        """Disconnect, and stop the LocalCluster if this backend started one."""
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


PROBE_SECONDS = 5.0  # how long to wait for a scheduler's TCP port before giving up


def _probe(address: str) -> None:
    """Fail fast (OSError) when nothing listens at a ``tcp://host:port`` address.

    ``Client`` retries a refused connection until its 30 s timeout; one plain connect
    tells at once.
    """
    from distributed.comm import parse_address, parse_host_port

    protocol, location = parse_address(address)
    if protocol != "tcp":
        return
    host, port = parse_host_port(location, default_port=8786)
    with socket.create_connection((host, port), timeout=PROBE_SECONDS):
        pass


def make_backend(scheduler: str | None, *, workers: int) -> LocalBackend | DaskBackend:
    """The backend for ``--scheduler``: None for local processes, else Dask.

    Example::

        >>> make_backend(None, workers=2).workers   # 本地进程
        2
    """
    if scheduler is None or scheduler == "":
        return LocalBackend(workers)
    if scheduler != "local" and "://" not in scheduler:
        raise ValueError(
            f"scheduler {scheduler!r} is neither 'local' nor an address like tcp://host:8786"
        )
    return DaskBackend(scheduler, workers=workers)
