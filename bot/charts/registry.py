"""Which charts an answer's artifacts get: one per artifact that has one, in answer order."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from bot.charts.chart import Chart
from bot.charts.forecast import forecast_chart
from bot.charts.leaderboard import leaderboard_chart
from bot.charts.pipeline import pipeline_chart
from bot.charts.revenue import revenue_chart
from bot.charts.values import Artifact
from tools.artifacts import ArtifactType, handler_for

log = logging.getLogger(__name__)

CHARTS: dict[ArtifactType, Callable[[Artifact], Chart | None]] = {
    ArtifactType.PIPELINE: pipeline_chart,
    ArtifactType.PIPELINE_REVIEW: pipeline_chart,
    ArtifactType.FORECAST: forecast_chart,
    ArtifactType.REP_KPIS: leaderboard_chart,
    ArtifactType.REVENUE_LIST: revenue_chart,
}
"""The chart of each artifact type that has one: a chart is an extra, so most types have none
(the allow-list in tests/test_artifact_renderers.py)."""


def charts_for(artifacts: Iterable[Artifact]) -> list[Chart]:
    """The charts of these artifacts; a chart that fails to draw is logged and left out,
    because a chart is an extra and must never cost the user the answer itself."""
    charts: list[Chart] = []
    for artifact in artifacts:
        draw = handler_for(CHARTS, artifact)
        if draw is None:
            continue
        try:
            chart = draw(artifact)
        except Exception:
            log.exception("chart for a %s artifact failed", artifact.get("type"))
            continue
        if chart is not None:
            charts.append(_unique(chart, charts))
    return charts


def _unique(chart: Chart, earlier: list[Chart]) -> Chart:
    """Two pipeline artifacts in one answer must not upload two files of the same name."""
    names = {c.name for c in earlier}
    if chart.name not in names:
        return chart
    n = 2
    while f"{chart.name}_{n}" in names:
        n += 1
    return Chart(f"{chart.name}_{n}", chart.title, chart.png, chart.alt)
