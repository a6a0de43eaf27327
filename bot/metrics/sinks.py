"""Durations measured in tools/ (tools/timing.py) become histograms here."""

from __future__ import annotations

from bot.metrics.registry import DB_SECONDS, SEARCH_SECONDS
from tools.timing import add_sink

_HISTOGRAMS = {"search": SEARCH_SECONDS, "db": DB_SECONDS}


def observe(what: str, seconds: float) -> None:
    histogram = _HISTOGRAMS.get(what)
    if histogram is not None:
        histogram.observe(seconds)


def install_sinks() -> None:
    """Feed tools/ measurements into the histograms (idempotent)."""
    add_sink(observe)
