"""What changed in a scope since a date: new, advanced, slipped, pushed, won and lost deals."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tools.analytics.deal_rows import by_amount, deal_rows
from tools.models import OPEN_STAGES, Deal, DealFieldHistory, DealStageHistory, Stage
from tools.periods import Period
from tools.scope import AnalyticsScope

KINDS = ("new", "advanced", "slipped", "pushed", "won", "lost")


def stage_moves(
    session: Session, scope: AnalyticsScope, since: datetime
) -> dict[int, tuple[Stage, Stage]]:
    """Per deal, its first from-stage and last to-stage since `since`, when it moved forward."""
    h = DealStageHistory
    rows = session.execute(
        select(h.deal_id, h.from_stage, h.to_stage)
        .join(Deal, Deal.id == h.deal_id)
        .where(scope.owns(), h.changed_at >= since, h.from_stage.is_not(None))
        .order_by(h.deal_id, h.changed_at, h.id)
    ).all()
    spans: dict[int, tuple[Stage, Stage]] = {}
    for deal_id, old, new in rows:
        first = spans[deal_id][0] if deal_id in spans else Stage(old or new)
        spans[deal_id] = (first, Stage(new))
    return {
        i: (a, b)
        for i, (a, b) in spans.items()
        if a in OPEN_STAGES and b in OPEN_STAGES and OPEN_STAGES.index(b) > OPEN_STAGES.index(a)
    }


def close_date_moves(
    session: Session, scope: AnalyticsScope, since: datetime
) -> dict[int, tuple[date, date]]:
    """Per deal, its close date before the first change since `since` and after the last."""
    f = DealFieldHistory
    rows = session.execute(
        select(f.deal_id, f.old_value, f.new_value)
        .join(Deal, Deal.id == f.deal_id)
        .where(scope.owns(), f.field == "close_date", f.changed_at >= since)
        .order_by(f.deal_id, f.changed_at, f.id)
    ).all()
    spans: dict[int, tuple[date, date]] = {}
    for deal_id, old, new in rows:
        if not old or not new:
            continue
        first = spans[deal_id][0] if deal_id in spans else date.fromisoformat(old)
        spans[deal_id] = (first, date.fromisoformat(new))
    return {i: span for i, span in spans.items() if span[1] > span[0]}


def _ids(session: Session, scope: AnalyticsScope, *where: Any) -> list[int]:
    return list(session.scalars(select(Deal.id).where(scope.owns(), *where)).all())


def changes_since(
    session: Session, scope: AnalyticsScope, since: datetime, period: Period
) -> dict[str, list[dict[str, Any]]]:
    """Each kind of change with the deals named; "pushed" = moved out past the period's end."""
    moves, slips = stage_moves(session, scope, since), close_date_moves(session, scope, since)
    ids = {
        "new": _ids(session, scope, Deal.created_at >= since),
        "won": _ids(session, scope, Deal.stage == Stage.CLOSED_WON, Deal.closed_at >= since),
        "lost": _ids(session, scope, Deal.stage == Stage.CLOSED_LOST, Deal.closed_at >= since),
    }
    rows = deal_rows(session, {*moves, *slips, *(i for v in ids.values() for i in v)})
    found: dict[str, list[dict[str, Any]]] = {k: [rows[i] for i in v] for k, v in ids.items()}
    found["advanced"] = [
        {**rows[i], "from_stage": str(a), "to_stage": str(b)} for i, (a, b) in moves.items()
    ]
    found["slipped"], found["pushed"] = [], []
    for i, (old, new) in slips.items():
        kind = "pushed" if old <= period.end < new else "slipped"
        found[kind].append(
            {**rows[i], "old_close_date": old.isoformat(), "new_close_date": new.isoformat()}
        )
    return {k: by_amount(found[k]) for k in KINDS}
