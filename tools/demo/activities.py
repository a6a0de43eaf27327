"""The demo's activities: calls, e-mails and meetings on each deal, and account check-ins."""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime

from tools.demo.clock import Clock
from tools.demo.phrases import activity_text, promise_text, slots
from tools.demo.plan import Plan, PlannedDeal, Row
from tools.demo.templates import PHASE_TOPICS, TOPICS
from tools.models import OPEN_STAGES, ActivityKind, Stage

ACTIVITIES = 4000
ACCOUNT_ACTIVITIES = 400  # check-ins tied to an account but to no deal


def plan_activities(rng: random.Random, clock: Clock, plan: Plan) -> list[Row]:
    """Exactly ACTIVITIES rows: every deal gets two or more, the rest are account check-ins."""
    weights = [(d.last_touch - d.created_at).days + 10 for d in plan.deals]
    spare = ACTIVITIES - ACCOUNT_ACTIVITIES - 2 * len(plan.deals)
    extra = Counter(rng.choices(range(len(plan.deals)), weights=weights, k=spare))
    by_account: dict[int, list[int]] = {}
    for c, contact in enumerate(plan.contacts):
        by_account.setdefault(contact["account_id"], []).append(c)
    rows: list[Row] = []
    for d, deal in enumerate(plan.deals):
        rows += _deal_activities(rng, clock, plan, by_account[deal.account], d, 2 + extra[d])
    for a in rng.choices(range(len(plan.accounts)), k=ACCOUNT_ACTIVITIES):
        rows.append(_checkin(rng, clock, plan, by_account[a], a))
    rows.sort(key=lambda r: r["occurred_at"])
    for i, row in enumerate(rows):
        row["external_id"] = f"demo:activity:{i + 1}"
    return rows


def _deal_activities(
    rng: random.Random, clock: Clock, plan: Plan, contacts: list[int], d: int, n: int
) -> list[Row]:
    deal = plan.deals[d]
    tz = plan.tz(deal.owner)
    fixed = [deal.last_touch]
    if deal.stage == Stage.CLOSED_WON:  # the signature, then a tail of onboarding
        fixed.insert(0, deal.closed_at or deal.last_touch)
    loose = [
        clock.between(rng, deal.created_at, deal.last_touch, tz) for _ in range(n - len(fixed))
    ]
    rows = []
    for when in sorted(loose) + fixed:
        topic = _topic(rng, deal, when)
        if deal.promise and when == deal.last_touch and deal.closed_at is None:
            topic = "promise"
        rows.append(_activity(rng, plan, contacts, topic, when, d))
    return rows


def _topic(rng: random.Random, deal: PlannedDeal, when: datetime) -> str:
    """What an activity on `deal` at `when` is likely about, given the stage it was in then."""
    if deal.closed_at is not None and when >= deal.closed_at:
        if when == deal.closed_at:
            return "won" if deal.stage == Stage.CLOSED_WON else "lost"
        return rng.choice(PHASE_TOPICS["post_won"])
    stage = max((s for _, s, at in deal.history if at <= when), key=OPEN_STAGES.index)
    return rng.choice(PHASE_TOPICS[stage.value])


def _checkin(rng: random.Random, clock: Clock, plan: Plan, contacts: list[int], a: int) -> Row:
    account = plan.accounts[a]
    owner = account["owner_id"]
    when = clock.between(rng, account["created_at"], clock.cutoff, plan.tz(owner))
    return _activity(rng, plan, contacts, "checkin", when, None, a)


def _activity(
    rng: random.Random,
    plan: Plan,
    contacts: list[int],
    topic: str,
    when: datetime,
    d: int | None,
    a: int | None = None,
) -> Row:
    """One activity row; with a deal `d` the account and owner come from the deal."""
    deal = plan.deals[d] if d is not None else None
    a = deal.account if deal else a
    assert a is not None
    account = plan.accounts[a]
    spec = TOPICS["followup" if topic == "promise" else topic]
    fits = [c for c in contacts if plan.contacts[c]["title"] in spec.titles]
    c = rng.choice(fits or contacts)
    person = plan.contacts[c]
    product = deal.name.split(" – ", 1)[1] if deal else "the platform"
    values = slots(rng, when.date(), account=account["name"], product=product)
    values |= {"contact": person["name"].split()[0], "contact_full": person["name"]}
    values |= {"title": person["title"], "amount": f"${deal.amount:,.0f}" if deal else "$0"}
    if topic == "promise":
        kind = "email"
        subject, body = promise_text(rng, values)
    else:
        kind = rng.choice(spec.kinds)
        subject, body = activity_text(rng, topic, kind, values)
    user = deal.owner if deal else account["owner_id"]
    return {"account_id": a, "deal_id": d, "contact_id": c, "user_id": user} | {
        "kind": ActivityKind(kind),
        "occurred_at": when,
        "subject": subject,
        "body": body,
        "topic": topic,  # the ground truth search is measured against; not a column
    }
