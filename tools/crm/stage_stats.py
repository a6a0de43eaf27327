"""How long deals usually stay in each stage: the scope's own stays, shrunk toward the baseline.

A stay is the time from entering a stage to the deal's next stage change. The figure a deal is
called "stalled" against is the 75th percentile (nearest rank) of the scope's finished stays,
averaged with the company baseline's (tools/crm/baseline.py) weighted as PRIOR_DEALS stays:

    p75 = (n * p75 of the scope + PRIOR_DEALS * p75 of the baseline) / (n + PRIOR_DEALS)

so, as with win rates, another team's deals cannot move it until the baseline's next refresh.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tools.crm.win_rates import PRIOR_DEALS
from tools.day_numbers import start_of
from tools.models import OPEN_STAGES, Deal, DealStageHistory, Stage
from tools.portable_sql import in_ids, whole_days_between

MIN_SAMPLES = 5  # below this (with no baseline) a percentile says nothing: nothing is stalled
PERCENTILE = 0.75
HISTORY_DAYS = 730  # stays that began in the last two years: recent behaviour, bounded cost
Histogram = dict[Stage, list[tuple[int, int]]]  # stage -> sorted (whole days, how many stays)


def _stays(since: datetime, until: datetime | None, owners: Any) -> Any:
    """Finished stays in open stages that began at `since` or later (and, if given, whose next
    move came before `until`), with the owner of their deal."""
    h = DealStageHistory
    order = (h.changed_at, h.id)
    where = [h.changed_at >= since]
    if until is not None:
        where.append(h.changed_at < until)  # a move after the cutoff is not seen at all
    if owners is not None:
        where.append(in_ids(Deal.owner_id, owners))
    # Dropping earlier rows (or other owners' deals) never changes a kept row's next move.
    stays = (
        select(
            Deal.owner_id.label("owner_id"),
            h.to_stage.label("stage"),
            h.changed_at.label("entered"),
            func.lead(h.changed_at).over(partition_by=h.deal_id, order_by=order).label("left"),
        )
        .join(Deal, Deal.id == h.deal_id)
        .where(*where)
        .subquery()
    )
    return stays


def stay_histograms(
    session: Session,
    since: datetime,
    *,
    until: datetime | None = None,
    owners: frozenset[int] | None = None,
) -> dict[int, Histogram]:
    """Per deal owner (all of them, or `owners`), the histogram of whole days per stay.

    One query returns (owner, stage, days, count) rows, so the Python side grows with the
    number of distinct durations, not of deals.
    """
    stays = _stays(since, until, owners)
    days = whole_days_between(stays.c.entered, stays.c.left)
    rows = session.execute(
        select(stays.c.owner_id, stays.c.stage, days, func.count())
        .where(stays.c.left.is_not(None), stays.c.stage.in_(OPEN_STAGES))
        .group_by(stays.c.owner_id, stays.c.stage, days)
    ).all()
    found: dict[int, Histogram] = defaultdict(lambda: defaultdict(list))
    for owner, stage, whole_days, count in rows:
        found[int(owner)][Stage(stage)].append((int(whole_days), int(count)))
    return {o: {s: sorted(c) for s, c in h.items()} for o, h in found.items()}


def merged(histograms: Mapping[int, Histogram]) -> Histogram:
    """One histogram for several owners together."""
    totals: dict[Stage, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for histogram in histograms.values():
        for stage, counts in histogram.items():
            for days, n in counts:
                totals[stage][days] += n
    return {stage: sorted(counts.items()) for stage, counts in totals.items()}


def history_start(today: date) -> datetime:
    return start_of(today - timedelta(days=HISTORY_DAYS))


def percentiles(histogram: Histogram, q: float = PERCENTILE) -> dict[Stage, tuple[int, int]]:
    """Per stage with stays: (the q-th percentile by nearest rank, how many stays)."""
    return {
        stage: (nearest_rank(counts, q), sum(n for _, n in counts))
        for stage, counts in histogram.items()
        if counts
    }


def blended_p75(histogram: Histogram, baseline: Mapping[Stage, int]) -> dict[Stage, int]:
    """The scope's p75 days per stage, shrunk toward the baseline's; no entry: never stalled."""
    own = percentiles(histogram)
    found = {}
    for stage in OPEN_STAGES:
        mine, n = own.get(stage, (0, 0))
        base = baseline.get(stage)
        if base is None:
            if n >= MIN_SAMPLES:
                found[stage] = mine
            continue
        value = (Decimal(n * mine) + PRIOR_DEALS * base) / Decimal(n + PRIOR_DEALS)
        found[stage] = int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return found


def scope_p75(
    session: Session, owners: frozenset[int] | None, today: date, baseline: Mapping[Stage, int]
) -> dict[Stage, int]:
    """The stalled-after figure per stage for a scope (None: everyone) as of `today`."""
    histograms = stay_histograms(session, history_start(today), owners=owners)
    return blended_p75(merged(histograms), baseline)


def nearest_rank(counts: list[tuple[int, int]], q: float) -> int:
    rank = math.ceil(q * sum(n for _, n in counts))
    seen = 0
    for value, n in counts:
        seen += n
        if seen >= rank:
            return value
    return counts[-1][0]
