"""The work pool's bounds: a full pool refuses at once; shutdown drains, then refuses."""

from __future__ import annotations

import threading

import pytest

from bot.slack.work import WorkPool, WorkPoolBusy


def test_a_full_pool_refuses_at_once_and_accepts_again_when_free() -> None:
    pool = WorkPool(workers=1, limit=2)
    gate = threading.Event()
    pool.submit(lambda: gate.wait(10))
    pool.submit(lambda: None)  # waits behind the first: two pending, the limit
    with pytest.raises(WorkPoolBusy):
        pool.submit(lambda: None)
    gate.set()
    assert pool.join(10)
    pool.submit(lambda: None)
    pool.shutdown()


def test_drain_lets_running_jobs_finish_then_refuses_new_ones() -> None:
    pool = WorkPool(workers=2)
    done: list[int] = []
    gate = threading.Event()
    pool.submit(lambda: (gate.wait(10), done.append(1)))
    threading.Timer(0.2, gate.set).start()
    assert pool.drain(timeout=10, settle=0.1)
    assert done == [1]
    with pytest.raises(WorkPoolBusy):
        pool.submit(lambda: None)
    pool.shutdown()


def test_drain_gives_up_after_its_grace() -> None:
    pool = WorkPool(workers=1)
    gate = threading.Event()
    pool.submit(lambda: gate.wait(10))
    assert pool.drain(timeout=0.2, settle=0.05) is False
    assert pool.pending == 1
    gate.set()
    pool.shutdown()
