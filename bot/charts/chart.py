"""A rendered chart, and the one way figures are made and saved (no pyplot: thread-safe)."""

from __future__ import annotations

import io
from dataclasses import dataclass

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

WIDTH_PX = 1200
HEIGHT_PX = 675
DPI = 100
MAX_ALT_CHARS = 1000  # Slack's limit for a file's alt text

# Labels are CRM text and money: "$120,000 ... $90,000" must not be read as TeX math. Set once at
# import (a constant, the same for every thread) rather than per figure through rc_context, which
# swaps the global rcParams and so is not thread-safe.
matplotlib.rcParams["text.parse_math"] = False


@dataclass(frozen=True, slots=True)
class Chart:
    """`name` is a file-safe slug ("pipeline_by_stage"); `alt` describes the figures in words."""

    name: str
    title: str
    png: bytes
    alt: str

    @property
    def filename(self) -> str:
        return f"{self.name}.png"


def new_figure() -> Figure:
    """A 1200x675 figure on its own Agg canvas; pyplot's global state is never touched."""
    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def to_png(figure: Figure) -> bytes:
    """PNG bytes of exactly WIDTH_PX x HEIGHT_PX (no tight bbox, which would resize it)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def make_chart(name: str, title: str, figure: Figure, alt: str) -> Chart:
    alt = alt if len(alt) <= MAX_ALT_CHARS else alt[: MAX_ALT_CHARS - 1] + "…"
    return Chart(name, title, to_png(figure), alt)
