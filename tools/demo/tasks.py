"""The demo's tasks: each rep's overdue, due-today, upcoming and completed follow-ups."""

from __future__ import annotations

import random
from datetime import date, timedelta

from tools.demo.clock import Clock
from tools.demo.people import FIRST_REP
from tools.demo.phrases import TASK_TITLES, slots
from tools.demo.plan import Plan, Row


def plan_tasks(rng: random.Random, clock: Clock, plan: Plan) -> list[Row]:
    """Per rep: overdue, due today, upcoming and completed tasks, each on one of their deals."""
    today, rows = clock.today, []
    for rep in range(FIRST_REP, len(plan.users)):
        mine = [d for d, deal in enumerate(plan.deals) if deal.owner == rep]
        open_ = [d for d in mine if plan.deals[d].closed_at is None]
        due = [today - timedelta(days=rng.randint(1, 14)) for _ in range(rng.randint(2, 4))]
        due += [today] * max(rng.randint(0, 2), int(rep == FIRST_REP))
        due += [today + timedelta(days=rng.randint(1, 14)) for _ in range(rng.randint(3, 6))]
        rows += [_task(rng, clock, plan, rng.choice(open_), day, done=False) for day in due]
        for d in rng.choices(mine, k=rng.randint(8, 14)):
            deal = plan.deals[d]
            day = clock.between(rng, deal.created_at, deal.last_touch, plan.tz(rep)).date()
            rows.append(_task(rng, clock, plan, d, day, done=True))
    return sorted(rows, key=lambda r: r["created_at"])


def _task(rng: random.Random, clock: Clock, plan: Plan, d: int, due: date, done: bool) -> Row:
    deal = plan.deals[d]
    tz = plan.tz(deal.owner)
    asked = min(due - timedelta(days=rng.randint(2, 14)), clock.today - timedelta(days=1))
    created = max(clock.at(rng, asked, tz), deal.created_at)
    contact = rng.choice([c for c in plan.contacts if c["account_id"] == deal.account])
    account = plan.accounts[deal.account]["name"]
    values = slots(rng, due, account=account, contact=contact["name"], deal=deal.name)
    finished = None
    if done:
        finished = max(clock.at(rng, due + timedelta(days=rng.randint(-3, 1)), tz), created)
    title = rng.choice(TASK_TITLES).format_map(values)
    return {"owner_id": deal.owner, "deal_id": d, "title": title, "due_date": due} | {
        "completed_at": finished,
        "created_at": created,
    }
