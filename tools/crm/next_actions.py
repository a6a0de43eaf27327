"""A rep's ranked to-do list, each item with the reason and evidence behind it."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tools.crm.money import to_decimal
from tools.crm.rows import iso_date, last_activity_subquery, snippet
from tools.models import OPEN_STAGES, Account, Activity, Deal, Task

QUIET_DAYS = 14
PROMISE_LOOKBACK_DAYS = 30
PROMISE = re.compile(
    r"\b(?:i'll|i will|we'll|we will|will)\s+(?:send|share|get back|follow up|circle back|"
    r"provide|deliver|confirm|set up|schedule)\b[^.!?\n]*",
    re.IGNORECASE,
)
_BASE = {
    "overdue_task": 100,
    "due_today": 90,
    "promised_follow_up": 85,
    "past_close_date": 80,
    "quiet_deal": 60,
}


def list_next_actions(
    session: Session, user_id: int, *, today: date, limit: int = 10
) -> list[dict[str, Any]]:
    """The user's own actions, most valuable first; at most one deal-level item per deal."""
    items = _task_items(session, user_id, today) + _deal_items(session, user_id, today)
    items.sort(key=lambda item: (-item["score"], item["due_date"] or "", item["title"]))
    return items[:limit]


def _task_items(session: Session, user_id: int, today: date) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Task, Deal.name, Deal.amount, Account.name)
        .outerjoin(Deal, Deal.id == Task.deal_id)
        .outerjoin(Account, Account.id == Deal.account_id)
        .where(Task.owner_id == user_id, Task.completed_at.is_(None), Task.due_date <= today)
    ).all()
    items = []
    for task, deal, amount, account in rows:
        late = (today - task.due_date).days
        kind = "overdue_task" if late > 0 else "due_today"
        reason = f"Task overdue by {late} day{'s' * (late != 1)}" if late else "Task due today"
        items.append(
            _item(
                kind,
                task.title,
                reason,
                deal,
                account,
                task.due_date,
                amount,
                task_id=task.id,
                deal_id=task.deal_id,
                bonus=min(late, 30),
            )
        )
    return items


def _deal_items(session: Session, user_id: int, today: date) -> list[dict[str, Any]]:
    last = last_activity_subquery()
    rows = session.execute(
        select(Deal, Account.name, last.c.last_at)
        .join(Account, Account.id == Deal.account_id)
        .outerjoin(last, last.c.deal_id == Deal.id)
        .where(Deal.owner_id == user_id, Deal.stage.in_(OPEN_STAGES))
    ).all()
    promises = _promises(session, [d.id for d, _, at in rows if _recent(at, today)])
    items = []
    for deal, account, last_at in rows:
        candidates = _deal_candidates(deal, account, last_at, promises.get(deal.id), today)
        if candidates:
            items.append(max(candidates, key=lambda item: item["score"]))
    return items


def _deal_candidates(
    deal: Deal, account: str, last_at: datetime | None, promise: Activity | None, today: date
) -> list[dict[str, Any]]:
    found = []
    quiet = None if last_at is None else (today - _day(last_at)).days
    if deal.close_date < today:
        late = (today - deal.close_date).days
        found.append(
            _item(
                "past_close_date",
                f"Update the close date of {deal.name}",
                f"Close date {deal.close_date.isoformat()} passed {late} days ago",
                deal.name,
                account,
                deal.close_date,
                deal.amount,
                deal_id=deal.id,
            )
        )
    if quiet is None or quiet >= QUIET_DAYS:
        since = "no activity yet" if quiet is None else f"no activity for {quiet} days"
        found.append(
            _item(
                "quiet_deal",
                f"Re-engage {account} on {deal.name}",
                f"Open {deal.stage} deal, {since}",
                deal.name,
                account,
                None,
                deal.amount,
                deal_id=deal.id,
                evidence_date=iso_date(last_at),
            )
        )
    if promise is not None:
        match = PROMISE.search(promise.body or "")
        said = snippet(match.group(0) if match else promise.body, 160)
        found.append(
            _item(
                "promised_follow_up",
                f"Follow up with {account}: {said}",
                f'You promised on {iso_date(promise.occurred_at)}: "{said}"',
                deal.name,
                account,
                None,
                deal.amount,
                deal_id=deal.id,
                evidence_date=iso_date(promise.occurred_at),
            )
        )
    return found


def _promises(session: Session, deal_ids: list[int]) -> dict[int, Activity]:
    """The last activity of each deal, when it promised something."""
    if not deal_ids:
        return {}
    found: dict[int, Activity] = {}
    acts = session.scalars(
        select(Activity)
        .where(Activity.deal_id.in_(deal_ids))
        .order_by(Activity.deal_id, Activity.occurred_at.desc(), Activity.id.desc())
    ).all()
    for act in acts:
        if act.deal_id is not None and act.deal_id not in found:
            found[act.deal_id] = act
    return {k: v for k, v in found.items() if PROMISE.search(v.body or "")}


def _recent(at: datetime | None, today: date) -> bool:
    return at is not None and (today - _day(at)).days <= PROMISE_LOOKBACK_DAYS


def _day(at: datetime) -> date:
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).date()


def _item(
    kind: str,
    title: str,
    reason: str,
    deal: str | None,
    account: str | None,
    due: date | None,
    amount: Decimal | None,
    *,
    bonus: int = 0,
    **extra: Any,
) -> dict[str, Any]:
    value = to_decimal(amount) if amount is not None else Decimal(0)
    return {
        "kind": kind,
        "title": title,
        "reason": reason,
        "deal": deal,
        "account": account,
        "due_date": iso_date(due),
        "score": _BASE[kind] + bonus + min(int(value / 10_000), 20),
        **extra,
    }
