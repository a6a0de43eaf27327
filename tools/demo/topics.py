"""What each demo interaction is about, as the generator chose it: search's ground truth."""

from __future__ import annotations

import random
from datetime import date

from tools.demo.clock import Clock
from tools.demo.seed import build_plan


def demo_topics(*, seed: int = 7, today: date) -> dict[str, str]:
    """The topic of every demo activity by external id ("demo:activity:N" -> "pricing").

    A follow-up that promises a date is "promise"; everything else is a key of
    tools.demo.templates.TOPICS.
    """
    plan = build_plan(random.Random(seed), Clock(today))
    return {str(row["external_id"]): str(row["topic"]) for row in plan.activities}
