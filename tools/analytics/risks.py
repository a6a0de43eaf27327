"""Explainable deal risks: each warning with the evidence that triggered it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from tools.analytics.risk_facts import load_facts
from tools.analytics.risk_rules import deal_risk_list
from tools.artifacts import RiskFigures
from tools.crm.baseline import Baseline, baseline_for
from tools.scope import AnalyticsScope

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
