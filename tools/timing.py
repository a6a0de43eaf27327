"""Durations tools/ measures for whoever watches (bot/metrics), without importing them.

`tools/` never imports `bot/`: the metrics package adds a sink here, and every measured step
(a search, a database statement) reports `(what, seconds)` to each sink. No sink, no cost
beyond reading the clock.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Sink = Callable[[str, float], None]
_sinks: list[Sink] = []


def add_sink(sink: Sink) -> None:
    """Receive every measurement from now on; adding the same sink twice adds it once."""
    if sink not in _sinks:
        _sinks.append(sink)


def report(what: str, seconds: float) -> None:
    for sink in tuple(_sinks):
        sink(what, seconds)


@contextmanager
def timed(what: str) -> Iterator[None]:
    """Report how long the block took, whether it returned or raised."""
    started = time.perf_counter()
    try:
        yield
    finally:
        report(what, time.perf_counter() - started)
