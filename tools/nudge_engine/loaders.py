"""The batched reads besides deal facts: due tasks, promising last activities, display names.

Each function is one SQL statement whatever the number of reps or deals.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import cast as type_cast

from sqlalchemy import ColumnElement, Float, cast, func, or_, select
from sqlalchemy.orm import Session

from tools.crm.money import money
from tools.models import Account, Activity, Deal, Task
from tools.portable_sql import epoch_days, in_ids

# Cheap SQL pre-filter for PROMISE: a body that has none of these cannot match it.
_PROMISE_HINTS = ("%will%", "%'ll%", "%’ll%", "%promise%", "%going to%", "%let me%")


@dataclass(frozen=True, slots=True)
class TaskRow:
    id: int
    owner_id: int
    deal_id: int | None
    title: str
    due_day: int  # day number
    amount: float


@dataclass(frozen=True, slots=True)
class LastActivity:
    id: int
    deal_id: int
    occurred: float  # day number
    body: str


@dataclass(frozen=True, slots=True)
class DealInfo:
    name: str
    account: str
    amount: str
    currency: str
    last_subject: str | None


def due_tasks(session: Session, rep_ids: Iterable[int], until: date) -> list[TaskRow]:
    """Open tasks of the reps due on or before `until`, with their deal's amount."""
    rows = session.connection().execute(
        select(
            Task.id,
            Task.owner_id,
            Task.deal_id,
            Task.title,
            epoch_days(Task.due_date),
            cast(Deal.amount, Float),
        )
        .outerjoin(Deal, Deal.id == Task.deal_id)
        .where(in_ids(Task.owner_id, rep_ids), Task.completed_at.is_(None), Task.due_date <= until)
    )
    return [TaskRow(i, o, d, t, math.floor(due), a or 0.0) for i, o, d, t, due, a in rows]


def promising_activities(
    session: Session, deals: ColumnElement[bool], since: datetime, until: datetime
) -> list[LastActivity]:
    """Activities on the deals matching `deals`, from `since` to before `until`, whose body may
    hold a promise (confirm with PROMISE). Keep a deal's last one with `last_per_deal`."""
    body = func.lower(Activity.body)
    rows = session.connection().execute(
        select(Activity.id, Activity.deal_id, epoch_days(Activity.occurred_at), Activity.body)
        .join(Deal, Deal.id == Activity.deal_id)
        .where(
            deals,
            Activity.occurred_at >= since,
            Activity.occurred_at < until,
            or_(*(body.like(hint) for hint in _PROMISE_HINTS)),
        )
    )
    return [LastActivity(i, type_cast(int, d), at, text or "") for i, d, at, text in rows]


def last_per_deal(
    found: Iterable[LastActivity], last: Mapping[int, float | None]
) -> dict[int, LastActivity]:
    """Of `found`, each deal's activity at its `last` activity time (on a tie, the latest id).

    `last` comes from the same SQL expression, so equal instants compare equal as floats.
    """
    kept: dict[int, LastActivity] = {}
    for act in found:
        if act.occurred == last.get(act.deal_id) and (
            act.deal_id not in kept or act.id > kept[act.deal_id].id
        ):
            kept[act.deal_id] = act
    return kept


def deal_details(session: Session, deal_ids: Iterable[int], until: datetime) -> dict[int, DealInfo]:
    """Names, exact amounts and the subject of the last activity, for the deals shown."""
    ids = set(deal_ids)
    if not ids:
        return {}
    last_subject = (
        select(Activity.subject)
        .where(Activity.deal_id == Deal.id, Activity.occurred_at < until)
        .order_by(Activity.occurred_at.desc(), Activity.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    rows = session.execute(
        select(Deal.id, Deal.name, Account.name, Deal.amount, Deal.currency, last_subject)
        .join(Account, Account.id == Deal.account_id)
        .where(in_ids(Deal.id, ids))
    )
    return {
        i: DealInfo(name, account, money(amount), currency or "USD", subject)
        for i, name, account, amount, currency, subject in rows
    }
