"""A 1:1 brief: one rep's KPIs against the team median, their risks, and talking points."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from tools.analytics.fmt import period_dict
from tools.analytics.kpis import kpi_rows
from tools.analytics.medians import team_median
from tools.analytics.risks import risk_rows
from tools.analytics.talking_points import talking_points
from tools.artifacts import CoachingFigures
from tools.periods import Period
from tools.scope import AnalyticsScope

MAX_RISKS = 5


def coaching_figures(
    session: Session,
    team: AnalyticsScope,
    rep_id: int,
    period: Period,
    now: datetime,
    today: date,
) -> CoachingFigures | None:
    """The brief's figures, or None when the rep has no KPI row (not a rep, no quota)."""
    rows = kpi_rows(session, team, period, today)
    mine = next((r for r in rows if r["user_id"] == rep_id), None)
    if mine is None:
        own = AnalyticsScope(frozenset({rep_id}), [rep_id], "", None, team.money)
        mine = next(iter(kpi_rows(session, own, period, today)), None)
    if mine is None:
        return None
    median = team_median(rows)
    own_scope = AnalyticsScope(frozenset({rep_id}), [rep_id], mine["name"], None, team.money)
    risks = risk_rows(session, own_scope, now, today)[:MAX_RISKS]
    return {
        "period": period_dict(period),
        "rep": {"id": rep_id, "name": mine["name"]},
        "kpis": mine,
        "team_median": median,
        "risks": risks,
        "talking_points": talking_points(mine, median, risks),
    }
