"""Seed the demo CRM: plan every row from a seed and a day, then bulk-insert the plan."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import insert, inspect, select
from sqlalchemy.orm import Session

from tools.demo.accounts import date_accounts, plan_accounts
from tools.demo.activities import plan_activities
from tools.demo.amounts import plan_amount_changes
from tools.demo.clock import Clock
from tools.demo.deals import plan_deals
from tools.demo.people import FIRST_REP, plan_contacts, plan_users
from tools.demo.plan import Plan, PlannedDeal, Row
from tools.demo.quotas import plan_quotas
from tools.demo.story import give_named_accounts_open_deals
from tools.demo.tasks import plan_tasks
from tools.models import (
    Account,
    Activity,
    Base,
    Contact,
    Deal,
    DealFieldHistory,
    DealStageHistory,
    Meta,
    Quota,
    Task,
    User,
)

DEMO_META_KEY = "demo_seed"
_COUNTS = ("users", "accounts", "contacts", "deals", "activities", "tasks", "quotas")


@dataclass(frozen=True)
class DemoSummary:
    """How many rows of each kind the demo holds, and whether this call wrote them."""

    users: int
    accounts: int
    contacts: int
    deals: int
    activities: int
    tasks: int
    quotas: int
    created: bool  # False when the database already held this demo and nothing was written


def seed_demo(session: Session, *, seed: int = 7, today: date) -> DemoSummary:
    """Load the deterministic demo CRM dated relative to `today`; a second run writes nothing.

    Args:
        session: where to write; the caller commits.
        seed: the random seed; the same seed and `today` give identical rows.
        today: the day the demo is anchored to; every timestamp lies before it.

    Raises:
        ValueError: the database holds CRM data that is not this demo.
    """
    stored = session.get(Meta, DEMO_META_KEY)
    if stored is not None:
        return _summary(stored.value, created=False)
    if session.scalar(select(User.id).limit(1)) is not None:
        raise ValueError(
            "the database already holds CRM data; seed-demo only loads into an empty database"
        )
    counts = _write(session, build_plan(random.Random(seed), Clock(today)))
    session.add(
        Meta(key=DEMO_META_KEY, value={"seed": seed, "anchor": today.isoformat(), **counts})
    )
    session.flush()
    return _summary(counts, created=True)


def _summary(counts: dict[str, Any], *, created: bool) -> DemoSummary:
    return DemoSummary(**{k: int(counts[k]) for k in _COUNTS}, created=created)


def build_plan(rng: random.Random, clock: Clock) -> Plan:
    """Every row of the demo; the steps share `rng`, so their order fixes the output."""
    accounts = plan_accounts(rng)
    plan = Plan(plan_users(), accounts, plan_contacts(rng, accounts))
    plan.deals = plan_deals(rng, clock, plan)
    date_accounts(rng, clock, plan)
    plan.activities = plan_activities(rng, clock, plan)
    plan.tasks = plan_tasks(rng, clock, plan)
    plan.quotas = plan_quotas(rng, clock.today)
    # Its own generator, seeded last, so adding amount history left every other row unchanged.
    plan_amount_changes(random.Random(rng.random()), plan)
    give_named_accounts_open_deals(plan)
    return plan


def _write(session: Session, plan: Plan) -> dict[str, int]:
    """Insert the plan in foreign-key order and return how many rows of each kind."""
    leaders = _insert(session, User, plan.users[:FIRST_REP])
    users = leaders + _insert(session, User, plan.users[FIRST_REP:], manager_id=leaders)
    accounts = _insert(session, Account, plan.accounts, owner_id=users)
    contacts = _insert(session, Contact, plan.contacts, account_id=accounts)
    deal_rows = [_deal_row(i, deal) for i, deal in enumerate(plan.deals)]
    deals = _insert(session, Deal, deal_rows, account_id=accounts, owner_id=users)
    stages = [
        {"deal_id": i, "from_stage": old, "to_stage": new, "changed_at": at}
        for i, deal in enumerate(plan.deals)
        for old, new, at in deal.history
    ]
    _insert(session, DealStageHistory, stages, deal_id=deals)
    slips = [
        {"deal_id": i, "field": "close_date", "old_value": old.isoformat()}
        | {"new_value": new.isoformat(), "changed_at": at, "changed_by_id": deal.owner}
        for i, deal in enumerate(plan.deals)
        for old, new, at in deal.slips
    ]
    slips += [
        {"deal_id": i, "field": "amount", "old_value": str(old), "new_value": str(new)}
        | {"changed_at": at, "changed_by_id": deal.owner}
        for i, deal in enumerate(plan.deals)
        for old, new, at in deal.amount_changes
    ]
    _insert(session, DealFieldHistory, slips, deal_id=deals, changed_by_id=users)
    refs = {"account_id": accounts, "deal_id": deals, "contact_id": contacts, "user_id": users}
    rows = [{k: v for k, v in row.items() if k != "topic"} for row in plan.activities]
    activities = _insert(session, Activity, rows, **refs)
    tasks = _insert(session, Task, plan.tasks, owner_id=users, deal_id=deals)
    quotas = _insert(session, Quota, plan.quotas, user_id=users)
    written = (users, accounts, contacts, deals, activities, tasks, quotas)
    return {name: len(ids) for name, ids in zip(_COUNTS, written, strict=True)}


def _deal_row(i: int, deal: PlannedDeal) -> Row:
    return {
        "name": deal.name, "account_id": deal.account, "owner_id": deal.owner,
        "stage": deal.stage, "amount": deal.amount, "currency": "USD",
        "close_date": deal.close_date, "created_at": deal.created_at,
        "closed_at": deal.closed_at, "next_step": deal.next_step,
        "external_id": f"demo:deal:{i + 1}",
    }  # fmt: skip


def _insert(session: Session, model: type[Base], rows: list[Row], **refs: list[int]) -> list[int]:
    """Bulk-insert `rows`, turning plan indices in the `refs` columns into database ids."""
    if not rows:
        return []
    # The database picks the ids (RETURNING, in row order) so PostgreSQL's sequences stay in
    # step with the rows the app inserts later.
    fixed = [
        row | {k: ids[row[k]] for k, ids in refs.items() if row[k] is not None} for row in rows
    ]
    stmt = insert(model).returning(inspect(model).primary_key[0], sort_by_parameter_order=True)
    return list(session.scalars(stmt, fixed))
