"""Stage win rates for the weighted pipeline, from the team's own closed deals before a moment."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import case, distinct, func, select
from sqlalchemy.orm import Session

from tools.analytics.scope import AnalyticsScope
from tools.crm.pipeline import DEFAULT_WIN_RATES, MIN_HISTORY
from tools.models import CLOSED_STAGES, OPEN_STAGES, Deal, DealStageHistory, Stage


def win_rates(session: Session, scope: AnalyticsScope, as_of: datetime) -> dict[Stage, Decimal]:
    """P(won | reached the stage) over the scope's deals closed before `as_of`.

    A stage with fewer than MIN_HISTORY such deals keeps the default rate.
    """
    won = case((Deal.stage == Stage.CLOSED_WON, Deal.id))
    rows = session.execute(
        select(DealStageHistory.to_stage, func.count(distinct(Deal.id)), func.count(distinct(won)))
        .join(Deal, Deal.id == DealStageHistory.deal_id)
        .where(
            scope.owns(),
            Deal.stage.in_(CLOSED_STAGES),
            Deal.closed_at < as_of,
            DealStageHistory.to_stage.in_(OPEN_STAGES),
        )
        .group_by(DealStageHistory.to_stage)
    ).all()
    rates = dict(DEFAULT_WIN_RATES)
    for stage, reached, won_count in rows:
        if reached >= MIN_HISTORY:
            rates[Stage(stage)] = (Decimal(won_count) / Decimal(reached)).quantize(
                Decimal("0.0001")
            )
    return rates
