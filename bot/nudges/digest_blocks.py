"""The weekly manager digest's chart: the pipeline review by stage, drawn from its artifact."""

from __future__ import annotations

from typing import Any

from bot.charts import Chart
from bot.charts.pipeline import pipeline_chart


def digest_chart(review_artifact: dict[str, Any]) -> Chart | None:
    """Pipeline by stage from a "pipeline_review" (or "pipeline") artifact, to put in
    `NudgeMessage.charts`; None when the review has no stages to draw."""
    return pipeline_chart(review_artifact)
