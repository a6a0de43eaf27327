"""Shared look: colours, fonts and the money axis, so the three charts read as one set."""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from bot.charts.values import short_money

BLUE = "#9ec5e8"
DARK_BLUE = "#1f5f99"
GREEN = "#2e8b57"
LIGHT_GREEN = "#a8d5b5"
GREY = "#666666"
RED = "#c0392b"
LABEL_SIZE = 10


def titled(figure: Figure, title: str, subtitle: str) -> None:
    figure.suptitle(f"{title}\n{subtitle}" if subtitle else title, fontsize=14)


def money_axis(ax: Axes, currency: str | None, *, axis: str = "y") -> None:
    formatter = FuncFormatter(lambda value, _pos: short_money(value, currency))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)


def clean(ax: Axes) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)


def headroom(ax: Axes, top: float, *, factor: float = 1.18) -> None:
    """Room above the tallest bar for its label; a flat axis when every value is zero."""
    ax.set_ylim(0, top * factor if top > 0 else 1)
