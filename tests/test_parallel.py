"""LocalBackend: results in item order and equal to one worker; small items travel in runs."""

from __future__ import annotations

import os
from itertools import groupby

from pipeline.parallel import LocalBackend


def _square_with_pid(shared: int, item: int) -> tuple[int, int]:
    return item * item + shared, os.getpid()


def test_small_items_go_to_the_pool_in_runs_and_come_back_in_order():
    items = list(range(3000))
    done: list[int] = []
    finished: list[int] = []
    results = LocalBackend(2).map(
        _square_with_pid,
        items,
        shared=7,
        done=done.append,
        finish=lambda value: finished.append(value[0]) or value,
    )
    assert [value for value, _ in results] == [i * i + 7 for i in items]
    assert sum(done) == len(items) and sorted(finished) == [i * i + 7 for i in items]
    pool = [pid for _, pid in results if pid != os.getpid()]
    assert pool, "the pool process took part"
    runs = [len(list(run)) for pid, run in groupby(pid for _, pid in results) if pid != os.getpid()]
    assert max(runs) > 1, "consecutive items were handed over together"


def test_one_worker_and_empty_input():
    assert LocalBackend(1).map(_square_with_pid, [3], shared=0)[0][0] == 9
    assert LocalBackend(2).map(_square_with_pid, [], shared=0) == []
