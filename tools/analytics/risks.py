"""Explainable deal risks: each warning with the evidence that triggered it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tools.analytics import risk_sql as q
from tools.analytics.deal_rows import deal_rows_where
from tools.analytics.keywords import COMPETITOR_WORDS, PRICING_WORDS, RESOLVED_WORDS
from tools.analytics.risk_rules import deal_risk_list
from tools.analytics.scope import AnalyticsScope
from tools.artifacts import RiskFigures
from tools.crm.baseline import Baseline, baseline_for
from tools.models import OPEN_STAGES, Deal, Stage
from tools.nudge_engine.stage_stats import scope_p75

ENGAGED_DAYS = 90
MENTION_DAYS = 90
# How much each kind weighs when ordering deals, riskiest first.
WEIGHTS = {
    "close_date_passed": 3,
    "no_activity": 3,
    "stalled": 2,
    "pricing_objection": 2,
    "competitor": 2,
    "single_threaded": 1,
    "no_next_step": 1,
}
# Weak signals alone (one contact engaged, no next step) do not put a deal on the list.
AT_RISK_WEIGHT = 2


@dataclass(frozen=True)
class Facts:
    """Everything the rules read, fetched once for all the scope's open deals."""

    rows: dict[int, dict[str, Any]]
    entered: dict[int, datetime]
    engaged: dict[int, int]
    tasks: dict[int, int]
    competitor: dict[int, Any]
    pricing: dict[int, Any]
    resolved: set[int]
    p75: dict[Stage, int]
    next_steps: dict[int, str | None]


def load_facts(
    session: Session, scope: AnalyticsScope, now: datetime, today: date, baseline: Baseline
) -> Facts:
    ids = q.open_deal_ids(session, scope)
    pricing = q.latest_mention(session, ids, PRICING_WORDS, now - timedelta(days=MENTION_DAYS))
    steps = dict(session.execute(select(Deal.id, Deal.next_step).where(Deal.id.in_(ids))).all())
    return Facts(
        rows=deal_rows_where(session, scope.owns(), Deal.stage.in_(OPEN_STAGES)),
        entered=q.stage_entered(session, ids),
        engaged=q.engaged_contacts(session, ids, now - timedelta(days=ENGAGED_DAYS)),
        tasks=q.open_tasks(session, ids),
        competitor=q.latest_mention(
            session, ids, COMPETITOR_WORDS, now - timedelta(days=MENTION_DAYS)
        ),
        pricing=pricing,
        resolved=q.mentioned_after(
            session, {d: r.occurred_at for d, r in pricing.items()}, RESOLVED_WORDS
        ),
        p75=scope_p75(session, scope.owner_ids, today, baseline.p75),
        next_steps=steps,
    )


def risk_rows(
    session: Session,
    scope: AnalyticsScope,
    now: datetime,
    today: date,
    baseline: Baseline | None = None,
) -> list[dict[str, Any]]:
    """Every open deal in scope with at least one risk, riskiest first (then largest)."""
    facts = load_facts(session, scope, now, today, baseline or baseline_for(session, today))
    found = []
    for deal_id, row in facts.rows.items():
        risks = deal_risk_list(deal_id, row, facts, today)
        if sum(WEIGHTS[r["kind"]] for r in risks) >= AT_RISK_WEIGHT:
            found.append({**row, "risks": risks})
    found.sort(
        key=lambda r: (
            -sum(WEIGHTS[x["kind"]] for x in r["risks"]),
            -float(r["amount"]),
            r["id"],
        )
    )
    return found


def risk_figures(
    session: Session, scope: AnalyticsScope, now: datetime, today: date
) -> RiskFigures:
    """The "deal_risks" artifact's figures: the rows and what "stalled" was measured against."""
    baseline = baseline_for(session, today)
    rows = risk_rows(session, scope, now, today, baseline)
    return {"rows": rows, "stay_basis": stay_basis(scope, baseline)}


def stay_basis(scope: AnalyticsScope, baseline: Baseline) -> str:
    """Which stays the "stalled" warnings compare with, in words."""
    base = (
        f"the company baseline of {baseline.as_of.isoformat()} (refreshed weekly)"
        if baseline.as_of
        else "nothing else (no company history yet)"
    )
    return (
        f"Stalled means longer in the stage than 75% of the finished stays of the deals of "
        f"{scope.label}, blended with {base}."
    )
