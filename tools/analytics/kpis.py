"""Rep KPIs for a period: attainment, win rate, deal size, cycle, activity, pipeline created."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session

from tools.analytics.fmt import one_place, pct
from tools.analytics.medians import team_median
from tools.artifacts import KpiFigures
from tools.crm.money import money, to_decimal
from tools.day_numbers import start_of
from tools.models import Activity, ActivityKind, Deal, Quota, Role, Stage, User
from tools.periods import Period
from tools.portable_sql import days_between
from tools.scope import AnalyticsScope


def kpi_people(session: Session, scope: AnalyticsScope, period: Period) -> list[tuple[int, str]]:
    """Reps in scope, and anyone else in scope with a quota in the period."""
    has_quota = exists().where(
        Quota.user_id == User.id, Quota.period_start <= period.end, Quota.period_end >= period.start
    )
    rows = session.execute(
        select(User.id, User.name)
        .where(scope.owns(User.id), or_(User.role == Role.REP, has_quota))
        .order_by(User.id)
    ).all()
    return [(int(i), str(n)) for i, n in rows]


def _in_period(period: Period) -> Any:
    return Deal.close_date.between(period.start, period.end)


def closed_stats(
    session: Session, ids: list[int], period: Period, amount: Any = Deal.amount
) -> dict[int, dict[str, Any]]:
    """Per owner: deals closed in the period, won count and amount, mean days created->won."""
    won = Deal.stage == Stage.CLOSED_WON
    rows = session.execute(
        select(
            Deal.owner_id,
            func.count(),
            func.count().filter(won),
            func.sum(amount).filter(won),
            func.avg(days_between(Deal.created_at, Deal.closed_at)).filter(won),
        )
        .where(
            Deal.owner_id.in_(ids),
            Deal.stage.in_((Stage.CLOSED_WON, Stage.CLOSED_LOST)),
            _in_period(period),
        )
        .group_by(Deal.owner_id)
    ).all()
    return {
        o: {"closed": c, "won": w, "won_amount": to_decimal(a), "cycle": cyc}
        for o, c, w, a, cyc in rows
    }


def activity_counts(
    session: Session, ids: list[int], start: date, end: date
) -> dict[int, dict[str, int]]:
    """Per user and kind: activities logged from `start` to `end` inclusive."""
    rows = session.execute(
        select(Activity.user_id, Activity.kind, func.count())
        .where(
            Activity.user_id.in_(ids),
            and_(
                Activity.occurred_at >= start_of(start),
                Activity.occurred_at < start_of(end + timedelta(days=1)),
            ),
        )
        .group_by(Activity.user_id, Activity.kind)
    ).all()
    found: dict[int, dict[str, int]] = defaultdict(dict)
    for user, kind, count in rows:
        if user is not None:
            found[user][str(ActivityKind(kind))] = count
    return found


def pipeline_created(
    session: Session, ids: list[int], period: Period, amount: Any = Deal.amount
) -> dict[int, Decimal]:
    """Per owner: the amount of deals created in the period."""
    rows = session.execute(
        select(Deal.owner_id, func.sum(amount))
        .where(
            Deal.owner_id.in_(ids),
            Deal.created_at >= start_of(period.start),
            Deal.created_at < start_of(period.end + timedelta(days=1)),
        )
        .group_by(Deal.owner_id)
    ).all()
    return {int(o): to_decimal(a) for o, a in rows}


def quotas_by_user(session: Session, ids: list[int], period: Period) -> dict[int, Decimal]:
    """Per user: quota over the period, a quota only partly inside it counted pro rata by days
    (as tools/crm/pipeline.py quota_for does for a group), in one query."""
    rows = session.execute(
        select(Quota.user_id, Quota.period_start, Quota.period_end, Quota.amount).where(
            Quota.user_id.in_(ids),
            Quota.period_start <= period.end,
            Quota.period_end >= period.start,
        )
    ).all()
    found: dict[int, Decimal] = defaultdict(Decimal)
    for user, start, end, amount in rows:
        overlap = (min(end, period.end) - max(start, period.start)).days + 1
        found[int(user)] += to_decimal(amount) * Decimal(overlap) / Decimal((end - start).days + 1)
    return {user: to_decimal(total) for user, total in found.items()}


def per_week(count: int, days: int) -> str | None:
    return one_place(Decimal(count) * 7 / Decimal(days)) if days > 0 else None


def kpi_rows(
    session: Session, scope: AnalyticsScope, period: Period, today: date
) -> list[dict[str, Any]]:
    """One row per person, in leaderboard order: attainment desc, then won amount desc."""
    people = kpi_people(session, scope, period)
    ids = [i for i, _ in people]
    closed = closed_stats(session, ids, period, scope.amount())
    last = min(period.end, today)
    days = (last - period.start).days + 1
    acts = activity_counts(session, ids, period.start, last)
    created = pipeline_created(session, ids, period, scope.amount())
    quotas = quotas_by_user(session, ids, period)
    rows = []
    for uid, name in people:
        c = closed.get(uid, {"closed": 0, "won": 0, "won_amount": Decimal(0), "cycle": None})
        quota = quotas.get(uid, Decimal(0))
        won = to_decimal(c["won_amount"])
        rows.append(
            {
                "user_id": uid,
                "name": name,
                "quota": money(quota) if quota else None,
                "won_amount": money(won),
                "attainment_pct": pct(won, quota),
                "win_rate_pct": pct(c["won"], c["closed"]),
                "avg_deal_size": money(won / c["won"]) if c["won"] else None,
                "cycle_days": one_place(c["cycle"]) if c["cycle"] is not None else None,
                "activities_per_week": {
                    str(k): per_week(acts.get(uid, {}).get(str(k), 0), days) for k in ActivityKind
                },
                "pipeline_created": money(created.get(uid, 0)),
            }
        )
    rows.sort(key=_kpi_order)
    for rank, row in enumerate(rows, 1):
        row["rank"] = rank
    return rows


def kpi_figures(session: Session, scope: AnalyticsScope, period: Period, today: date) -> KpiFigures:
    rows = kpi_rows(session, scope, period, today)
    return {"rows": rows, "team_median": team_median(rows)}


def _kpi_order(row: dict[str, Any]) -> tuple[float, float, str]:
    """Best attainment first (no quota last), then most won, then by name."""
    return (-float(row["attainment_pct"] or -1), -float(row["won_amount"]), str(row["name"]))
