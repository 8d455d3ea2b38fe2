"""Run a piece of corpus-level work in a forked child while the caller does another.

Corpus-level stages (keywords, topics, graph, units, report) each run on one core. Two of
them that do not depend on each other can overlap: :func:`beside` forks a child that runs a
function and sends back its (small, picklable) return value, while the caller goes on. The
child shares the caller's tables copy-on-write and writes its own output files; only a
summary travels back. Without ``fork`` (or with ``enabled=False``) the function simply runs
when its result is asked for, so results never depend on whether work overlapped.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import traceback
from collections.abc import Callable
from typing import Any


class Beside:
    """Handle of work started by :func:`beside`; :meth:`result` waits for it."""

    def __init__(self, fn: Callable[[], Any], *, enabled: bool) -> None:
        self._fn = fn
        self._process = None
        self._reader = None
        if enabled and "fork" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("fork")
            self._reader, writer = context.Pipe(duplex=False)
            self._process = context.Process(target=_child, args=(fn, writer), daemon=True)
            self._process.start()
            writer.close()
            self._fn = None  # the child has it: let this process free what it holds

    @property
    def forked(self) -> bool:
        """True when the work runs in a child process (False: it runs in ``result()``)."""
        return self._process is not None

    def result(self) -> Any:
        """The function's return value; its exception is raised here, in the caller."""
        if self._process is None:
            return self._fn()
        try:
            ok, payload = pickle.loads(self._reader.recv_bytes())
        except EOFError:
            ok, payload = (
                False,
                RuntimeError(
                    f"the forked stage process died (exit code {self._process.exitcode}); "
                    "run again with --workers 1 to see the error in one process"
                ),
            )
        finally:
            self._reader.close()
            self._process.join()
        if not ok:
            raise payload
        return payload

    def cancel(self) -> None:
        """Stop the child (the caller failed; its result is no longer wanted)."""
        if self._process is not None and self._process.is_alive():
            self._process.terminate()
            self._process.join()


def beside(fn: Callable[[], Any], *, enabled: bool = True) -> Beside:
    """Start ``fn()`` in a forked child; ask ``.result()`` for its return value.

    Example::

        >>> job = beside(lambda: sum(range(10)))      # 在子进程中并行运行语料级阶段
        >>> job.result()
        45
    """
    return Beside(fn, enabled=enabled)


def _child(fn: Callable[[], Any], writer: Any) -> None:
    try:
        message = (True, fn())
        data = pickle.dumps(message)
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the caller
        data = _pickled_error(exc)
    try:
        writer.send_bytes(data)
    finally:
        writer.close()
        os._exit(0)  # no atexit handlers: the parent's pools, caches and files are not ours


def _pickled_error(exc: BaseException) -> bytes:
    try:
        return pickle.dumps((False, exc))
    except Exception:  # noqa: BLE001 - an exception that cannot be pickled
        text = "".join(traceback.format_exception(exc)).strip()
        return pickle.dumps((False, RuntimeError(text)))
