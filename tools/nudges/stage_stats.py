"""How long deals usually stay in each stage, from the whole team's stage history."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tools.models import OPEN_STAGES, DealStageHistory, Stage
from tools.nudges.dates import start_of
from tools.nudges.sql import whole_days_between

MIN_SAMPLES = 5  # below this a percentile says nothing, so no deal is called stalled
PERCENTILE = 0.75
HISTORY_DAYS = 730  # stays that began in the last two years: recent behaviour, bounded cost


def stage_percentiles(session: Session, today: date, q: float = PERCENTILE) -> dict[Stage, int]:
    """Per open stage, the q-th percentile (nearest rank) of whole days spent in it.

    A stay is the time from entering a stage to the deal's next stage change, over every deal;
    stays that have not ended yet are not counted, nor those that began over HISTORY_DAYS before
    `today`. One query returns a histogram (stage, days, count), so the Python side does not
    grow with the number of deals.
    """
    h = DealStageHistory
    order = (h.changed_at, h.id)
    # Dropping earlier rows never changes a later row's next move, so the filter is safe here.
    stays = (
        select(
            h.to_stage.label("stage"),
            h.changed_at.label("entered"),
            func.lead(h.changed_at).over(partition_by=h.deal_id, order_by=order).label("left"),
        )
        .where(h.changed_at >= start_of(today - timedelta(days=HISTORY_DAYS)))
        .subquery()
    )
    days = whole_days_between(stays.c.entered, stays.c.left)
    rows = session.execute(
        select(stays.c.stage, days, func.count())
        .where(stays.c.left.is_not(None), stays.c.stage.in_(OPEN_STAGES))
        .group_by(stays.c.stage, days)
    ).all()
    histogram: dict[Stage, list[tuple[int, int]]] = defaultdict(list)
    for stage, whole_days, count in rows:
        histogram[Stage(stage)].append((int(whole_days), int(count)))
    return {
        stage: _nearest_rank(sorted(counts), q)
        for stage, counts in histogram.items()
        if sum(n for _, n in counts) >= MIN_SAMPLES
    }


def _nearest_rank(counts: list[tuple[int, int]], q: float) -> int:
    rank = math.ceil(q * sum(n for _, n in counts))
    seen = 0
    for value, n in counts:
        seen += n
        if seen >= rank:
            return value
    return counts[-1][0]
