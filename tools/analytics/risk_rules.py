"""The seven risk rules: each reads one deal's facts and returns a warning with evidence."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from tools.analytics.keywords import COMPETITOR_NAMES, PRICING_WORDS, first_hit
from tools.analytics.risk_facts import Facts
from tools.crm.rows import snippet
from tools.models import Stage

Risk = dict[str, Any]
NO_ACTIVITY_DAYS = 14
_BRANDS = {
    "salesforce": "Salesforce",
    "hubspot": "HubSpot",
    "pipedrive": "Pipedrive",
    "zoho": "Zoho",
}


def _risk(kind: str, text: str, **evidence: Any) -> Risk:
    return {"kind": kind, "text": text, "evidence": evidence}


def _day(value: datetime) -> date:
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC).date()


def no_activity(row: dict[str, Any], today: date) -> Risk | None:
    last = row.get("last_activity")
    if last is None:
        return _risk("no_activity", "No activity ever logged.", days_since_last_activity=None)
    days = (today - date.fromisoformat(last)).days
    if days < NO_ACTIVITY_DAYS:
        return None
    return _risk(
        "no_activity",
        f"No activity for {days} days.",
        days_since_last_activity=days,
        last_activity=last,
    )


def close_date_passed(row: dict[str, Any], today: date) -> Risk | None:
    close = date.fromisoformat(row["close_date"])
    if close >= today:
        return None
    days = (today - close).days
    return _risk(
        "close_date_passed",
        f"Close date {row['close_date']} passed {days} days ago.",
        close_date=row["close_date"],
        days_past=days,
    )


def stalled(deal_id: int, row: dict[str, Any], facts: Facts, today: date) -> Risk | None:
    stage, entered = Stage(row["stage"]), facts.entered.get(deal_id)
    limit = facts.p75.get(stage)
    if entered is None or limit is None:
        return None
    days = (today - _day(entered)).days
    if days <= limit:
        return None
    return _risk(
        "stalled",
        f"{days} days in {stage.value}; deals usually leave it within {limit} (p75).",
        days_in_stage=days,
        stage_p75_days=limit,
    )


def single_threaded(deal_id: int, facts: Facts) -> Risk | None:
    count = facts.engaged.get(deal_id, 0)
    if count > 1:
        return None
    return _risk(
        "single_threaded",
        f"{count} contact{'s' * (count != 1)} engaged in the last 90 days.",
        contacts_engaged_90d=count,
    )


def no_next_step(deal_id: int, facts: Facts) -> Risk | None:
    step, tasks = facts.next_steps.get(deal_id), facts.tasks.get(deal_id, 0)
    if (step and step.strip()) or tasks:
        return None
    return _risk("no_next_step", "No next step and no open task.", open_tasks=0, next_step=None)


def competitor(deal_id: int, facts: Facts) -> Risk | None:
    hit = facts.competitor.get(deal_id)
    if hit is None:
        return None
    name = first_hit(f"{hit.subject} {hit.body}", COMPETITOR_NAMES)
    word = _BRANDS.get(name or "", "A competitor")
    return _risk(
        "competitor",
        f"{word} mentioned on {_day(hit.occurred_at).isoformat()}: {hit.subject}.",
        competitor=word,
        activity_date=_day(hit.occurred_at).isoformat(),
        subject=hit.subject,
        snippet=snippet(hit.body or hit.subject, 160),
    )


def pricing_objection(deal_id: int, facts: Facts) -> Risk | None:
    hit = facts.pricing.get(deal_id)
    if hit is None or deal_id in facts.resolved:
        return None
    word = first_hit(f"{hit.subject} {hit.body}", PRICING_WORDS)
    return _risk(
        "pricing_objection",
        f"Unresolved pricing objection since {_day(hit.occurred_at).isoformat()}: {hit.subject}.",
        keyword=word,
        activity_date=_day(hit.occurred_at).isoformat(),
        subject=hit.subject,
        snippet=snippet(hit.body or hit.subject, 160),
    )


def deal_risk_list(deal_id: int, row: dict[str, Any], facts: Facts, today: date) -> list[Risk]:
    """Every rule's warning for one deal, in a fixed order."""
    found = [
        close_date_passed(row, today),
        no_activity(row, today),
        stalled(deal_id, row, facts, today),
        single_threaded(deal_id, facts),
        no_next_step(deal_id, facts),
        competitor(deal_id, facts),
        pricing_objection(deal_id, facts),
    ]
    return [r for r in found if r is not None]
