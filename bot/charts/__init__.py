"""Charts of analytics artifacts as PNG images: pipeline by stage, forecast, rep leaderboard."""

from bot.charts.chart import HEIGHT_PX, WIDTH_PX, Chart
from bot.charts.registry import charts_for

__all__ = ["HEIGHT_PX", "WIDTH_PX", "Chart", "charts_for"]
