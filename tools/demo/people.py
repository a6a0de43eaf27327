"""The sales team (admin, managers, reps) and the contacts at each account."""

from __future__ import annotations

import random

from tools.demo.names import (
    ADMIN,
    DOMAIN,
    FIRST_NAMES,
    LAST_NAMES,
    MANAGERS,
    REPS,
    REPS_PER_MANAGER,
    TITLES,
    slug,
)
from tools.demo.plan import Row
from tools.models import Role

FIRST_REP = 1 + len(MANAGERS)  # user index of the first rep, Dana


def plan_users() -> list[Row]:
    """The admin, the managers, then the reps, each rep pointing at their manager's index."""
    leaders = [(*ADMIN, Role.ADMIN, None)] + [(*m, Role.MANAGER, None) for m in MANAGERS]
    reps = [(*r, Role.REP, 1 + i // REPS_PER_MANAGER) for i, r in enumerate(REPS)]
    return [
        {"name": name, "email": f"{box}@{DOMAIN}", "timezone": tz, "role": role}
        | {"manager_id": boss, "slack_user_id": None}
        for name, box, tz, role, boss in leaders + reps
    ]


def plan_contacts(rng: random.Random, accounts: list[Row]) -> list[Row]:
    """Two to five contacts per account, each with a distinct title."""
    rows: list[Row] = []
    for a, account in enumerate(accounts):
        domain = f"{slug(account['name'])}.example"
        for title in rng.sample(TITLES, rng.randint(2, 5)):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            email = f"{first}.{last}@{domain}".lower()
            rows.append({"account_id": a, "name": f"{first} {last}", "email": email})
            rows[-1] |= {"title": title, "external_id": f"demo:contact:{len(rows)}"}
    return rows
