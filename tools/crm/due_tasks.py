"""Open tasks due in a period: "what's due this week"."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tools.models import Account, Deal, Task
from tools.periods import Period


def list_due_tasks(
    session: Session, user_id: int, period: Period, *, today: date, limit: int = 25
) -> list[dict[str, Any]]:
    """The user's open tasks due in `period`, soonest first, with their deal and account."""
    query = (
        select(Task.title, Task.due_date, Deal.name, Account.name)
        .outerjoin(Deal, Deal.id == Task.deal_id)
        .outerjoin(Account, Account.id == Deal.account_id)
        .where(
            Task.owner_id == user_id,
            Task.completed_at.is_(None),
            Task.due_date.between(period.start, period.end),
        )
        .order_by(Task.due_date, Task.id)
        .limit(limit)
    )
    return [
        {
            "title": title,
            "reason": "overdue" if due < today else "due today" if due == today else "due soon",
            "due_date": due.isoformat(),
            "deal": deal,
            "account": account,
        }
        for title, due, deal, account in session.execute(query).all()
        if due is not None  # the period filter never lets a task without a date through
    ]
