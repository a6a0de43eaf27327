"""The demo's accounts: who owns each one, and when it entered the CRM."""

from __future__ import annotations

import random
from datetime import timedelta

from tools.demo.clock import Clock
from tools.demo.names import FAMOUS_ACCOUNTS, REPS, company_names
from tools.demo.people import FIRST_REP
from tools.demo.plan import Plan, Row


def plan_accounts(rng: random.Random) -> list[Row]:
    """120 accounts dealt round-robin to the reps; `created_at` is set later by `date_accounts`."""
    named = [*FAMOUS_ACCOUNTS[1:], *company_names(rng, 120 - len(FAMOUS_ACCOUNTS))]
    rng.shuffle(named)
    named.insert(0, FAMOUS_ACCOUNTS[0])  # Acme first, so the round-robin gives it to Dana
    return [
        {"name": name, "industry": industry, "owner_id": FIRST_REP + i % len(REPS)}
        | {"created_at": None, "external_id": f"demo:account:{i + 1}"}
        for i, (name, industry) in enumerate(named)
    ]


def date_accounts(rng: random.Random, clock: Clock, plan: Plan) -> None:
    """Set each account's `created_at` a while before its first deal."""
    for a, account in enumerate(plan.accounts):
        first = min(d.created_at for d in plan.deals if d.account == a)
        day = first.date() - timedelta(days=rng.randint(5, 120))
        account["created_at"] = min(clock.at(rng, day, plan.tz(account["owner_id"])), first)
