"""Pipeline figures: stage totals, weighted amount from the team's own win rates, quota."""

from __future__ import annotations

import threading
import time
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, case, distinct, func, select, true
from sqlalchemy.orm import Session

from tools.crm.money import money, to_decimal
from tools.models import CLOSED_STAGES, OPEN_STAGES, Deal, DealStageHistory, Quota, Stage
from tools.periods import Period

# Used only until the team has MIN_HISTORY closed deals that passed through a stage.
DEFAULT_WIN_RATES: dict[Stage, Decimal] = {
    Stage.PROSPECTING: Decimal("0.10"),
    Stage.QUALIFICATION: Decimal("0.20"),
    Stage.PROPOSAL: Decimal("0.40"),
    Stage.NEGOTIATION: Decimal("0.60"),
}
MIN_HISTORY = 5
# Every asker shares the rates; see cached_stage_win_rates.
RATES_TTL_SECONDS = 600.0
_RATES_CACHE_SIZE = 64
_rates_cache: dict[tuple[str, int | None], tuple[float, dict[Stage, Decimal]]] = {}
_rates_lock = threading.Lock()


def stage_win_rates(session: Session) -> dict[Stage, Decimal]:
    """P(won | the deal reached the stage), over every closed deal's stage history."""
    won = case((Deal.stage == Stage.CLOSED_WON, Deal.id))
    rows = session.execute(
        select(DealStageHistory.to_stage, func.count(distinct(Deal.id)), func.count(distinct(won)))
        .join(Deal, Deal.id == DealStageHistory.deal_id)
        .where(Deal.stage.in_(CLOSED_STAGES), DealStageHistory.to_stage.in_(OPEN_STAGES))
        .group_by(DealStageHistory.to_stage)
    ).all()
    rates = dict(DEFAULT_WIN_RATES)
    for stage, reached, won_count in rows:
        if reached >= MIN_HISTORY:
            rates[Stage(stage)] = (Decimal(won_count) / Decimal(reached)).quantize(
                Decimal("0.0001")
            )
    return rates


def cached_stage_win_rates(session: Session) -> dict[Stage, Decimal]:
    """`stage_win_rates`, kept until a stage changes anywhere or RATES_TTL_SECONDS pass.

    The rates are the same for every asker and cost about a second at a million deals, while the
    newest deal_stage_history id (a primary-key lookup) moves whenever a deal changes stage, so a
    closed deal is reflected in the next answer. The time limit covers edits made outside salesbot.
    """
    newest = session.scalar(select(func.max(DealStageHistory.id)))
    key = (str(session.get_bind().engine.url), newest)
    now = time.monotonic()
    with _rates_lock:
        hit = _rates_cache.get(key)
    if hit is not None and now - hit[0] < RATES_TTL_SECONDS:
        return dict(hit[1])
    rates = stage_win_rates(session)
    with _rates_lock:
        _rates_cache[key] = (now, rates)
        while len(_rates_cache) > _RATES_CACHE_SIZE:
            _rates_cache.pop(next(iter(_rates_cache)))
    return dict(rates)


def _owned(owner_ids: frozenset[int] | None) -> ColumnElement[bool]:
    return true() if owner_ids is None else Deal.owner_id.in_(owner_ids)


def pipeline_figures(
    session: Session, owner_ids: frozenset[int] | None, period: Period
) -> dict[str, Any]:
    """Open deals closing in the period by stage, won in the period, and quota attainment."""
    rates = cached_stage_win_rates(session)
    grouped = dict(
        (Stage(stage), (count, to_decimal(amount)))
        for stage, count, amount in session.execute(
            select(Deal.stage, func.count(), func.sum(Deal.amount))
            .where(
                _owned(owner_ids),
                Deal.stage.in_(OPEN_STAGES),
                Deal.close_date.between(period.start, period.end),
            )
            .group_by(Deal.stage)
        ).all()
    )
    by_stage = []
    for stage in OPEN_STAGES:
        count, amount = grouped.get(stage, (0, Decimal("0.00")))
        weighted = to_decimal(amount * rates[stage])
        by_stage.append(
            {
                "stage": str(stage),
                "count": count,
                "amount": money(amount),
                "weighted_amount": money(weighted),
                "win_rate": str(rates[stage]),
            }
        )
    won_count, won_amount = session.execute(
        select(func.count(), func.sum(Deal.amount)).where(
            _owned(owner_ids),
            Deal.stage == Stage.CLOSED_WON,
            Deal.close_date.between(period.start, period.end),
        )
    ).one()
    quota = quota_for(session, owner_ids, period)
    won = to_decimal(won_amount)
    return {
        "period": {
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "label": period.label,
        },
        "by_stage": by_stage,
        "open_count": sum(s["count"] for s in by_stage),
        "open_amount": money(sum((to_decimal(s["amount"]) for s in by_stage), Decimal(0))),
        "weighted_amount": money(
            sum((to_decimal(s["weighted_amount"]) for s in by_stage), Decimal(0))
        ),
        "won_count": int(won_count),
        "won_amount": money(won),
        "quota": money(quota) if quota else None,
        "attainment_pct": str((won * 100 / quota).quantize(Decimal("0.1"))) if quota else None,
    }


def quota_for(session: Session, owner_ids: frozenset[int] | None, period: Period) -> Decimal:
    """Quota over the period; a quota that only partly overlaps counts pro rata by days."""
    quotas = session.execute(
        select(Quota.period_start, Quota.period_end, Quota.amount).where(
            true() if owner_ids is None else Quota.user_id.in_(owner_ids),
            Quota.period_start <= period.end,
            Quota.period_end >= period.start,
        )
    ).all()
    total = Decimal(0)
    for start, end, amount in quotas:
        overlap = (min(end, period.end) - max(start, period.start)).days + 1
        total += to_decimal(amount) * Decimal(overlap) / Decimal((end - start).days + 1)
    return to_decimal(total)
