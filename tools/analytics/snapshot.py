"""The open pipeline as it stood at a moment, rebuilt from the stage history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from tools.crm.money import to_decimal
from tools.models import OPEN_STAGES, Deal, DealStageHistory, Stage
from tools.scope import AnalyticsScope


@dataclass(frozen=True, slots=True)
class OpenDeal:
    """One deal open at the snapshot: its stage then, amount and (today's) close date."""

    id: int
    stage: Stage
    amount: Decimal
    close_date: date


def snapshot_query(scope: AnalyticsScope, as_of: datetime) -> Select[Any]:
    """Deals created before `as_of`, not closed by then, in an open stage at that moment.

    Columns: deal id, stage then, amount, close date, and the deal's outcome (stage and
    closed_at today). The stage then is the deal's last stage change before `as_of`.
    """
    h = DealStageHistory
    # Scope and dates filter inside the window, so it only ranks the history of deals that
    # were open at the moment (a manager's few hundred, not the whole company's).
    latest = (
        select(
            h.deal_id,
            h.to_stage,
            func.row_number()
            .over(partition_by=h.deal_id, order_by=(h.changed_at.desc(), h.id.desc()))
            .label("n"),
        )
        .join(Deal, Deal.id == h.deal_id)
        .where(
            h.changed_at < as_of,
            scope.owns(),
            Deal.created_at < as_of,
            or_(Deal.closed_at.is_(None), Deal.closed_at >= as_of),
        )
        .subquery()
    )
    return (
        select(
            Deal.id,
            latest.c.to_stage.label("stage_then"),
            scope.amount().label("amount"),
            Deal.close_date,
            Deal.stage.label("stage_now"),
            Deal.closed_at,
        )
        .join(latest, (latest.c.deal_id == Deal.id) & (latest.c.n == 1))
        .where(latest.c.to_stage.in_(OPEN_STAGES))
    )


def open_pipeline(session: Session, scope: AnalyticsScope, as_of: datetime) -> list[OpenDeal]:
    """The deals open at `as_of`, with the stage each was in then."""
    rows = session.execute(snapshot_query(scope, as_of).order_by(Deal.id)).all()
    return [OpenDeal(r.id, Stage(r.stage_then), to_decimal(r.amount), r.close_date) for r in rows]
