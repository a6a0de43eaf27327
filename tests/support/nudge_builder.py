"""A tiny CRM builder for the nudge and win-model tests: each test states the rows it needs."""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from tools.models import (
    Account,
    Activity,
    ActivityKind,
    Contact,
    Deal,
    DealStageHistory,
    Stage,
    Task,
    User,
)

TODAY = date(2026, 11, 26)


def day(value: date | str, hour: int = 12) -> datetime:
    when = date.fromisoformat(value) if isinstance(value, str) else value
    return datetime(when.year, when.month, when.day, hour, tzinfo=UTC)


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


class Crm:
    """Adds rows and returns their ids; every timestamp is noon UTC on the day given."""

    def __init__(self, session: Session) -> None:
        self.s = session

    def rep(self, name: str | None = None, tz: str = "UTC") -> int:
        user = User(email=f"{uuid.uuid4().hex[:12]}@x.test", name=name or "Rep", timezone=tz)
        self.s.add(user)
        self.s.flush()
        return user.id

    def account(self, owner: int, name: str | None = None, contacts: int = 6) -> int:
        account = Account(name=name or "Account", owner_id=owner, created_at=day("2024-01-01"))
        self.s.add(account)
        self.s.flush()
        self.s.add_all(Contact(account_id=account.id, name=f"Contact {i}") for i in range(contacts))
        self.s.flush()
        return account.id

    def contacts(self, account: int) -> list[int]:
        query = select(Contact.id).where(Contact.account_id == account).order_by(Contact.id)
        return list(self.s.scalars(query))

    def deal(
        self,
        owner: int,
        *,
        stage: Stage = Stage.PROPOSAL,
        amount: str = "10000",
        close: date | str = "2027-03-01",
        created: date | str = "2026-09-01",
        path: Sequence[tuple[Stage, date | str]] | None = None,
        closed: date | str | None = None,
        account: int | None = None,
        name: str | None = None,
    ) -> int:
        """A deal; `path` is its stage history (stage, entered on), default: `stage` at creation."""
        account = account or self.account(owner)
        deal = Deal(
            name=name or "Deal",
            account_id=account,
            owner_id=owner,
            stage=stage,
            amount=Decimal(amount),
            close_date=date.fromisoformat(close) if isinstance(close, str) else close,
            created_at=day(created),
            closed_at=day(closed) if closed else None,
        )
        self.s.add(deal)
        self.s.flush()
        if name is None:
            deal.name = f"Deal {deal.id}"
        previous = None
        for step, when in path if path is not None else [(stage, created)]:
            self.s.add(
                DealStageHistory(
                    deal_id=deal.id, from_stage=previous, to_stage=step, changed_at=day(when)
                )
            )
            previous = step
        self.s.flush()
        return deal.id

    def activity(
        self,
        deal: int,
        when: date | str,
        body: str = "Checked in.",
        *,
        contact: int | None = None,
        subject: str = "Check-in",
        hour: int = 12,
    ) -> int:
        account = self.s.get(Deal, deal).account_id  # type: ignore[union-attr]
        act = Activity(
            account_id=account,
            deal_id=deal,
            contact_id=contact,
            user_id=None,
            kind=ActivityKind.EMAIL,
            occurred_at=day(when, hour),
            subject=subject,
            body=body,
        )
        self.s.add(act)
        self.s.flush()
        return act.id

    def task(
        self,
        owner: int,
        due: date | str,
        *,
        deal: int | None = None,
        title: str = "Do it",
        done: bool = False,
    ) -> int:
        task = Task(
            owner_id=owner,
            deal_id=deal,
            title=title,
            due_date=date.fromisoformat(due) if isinstance(due, str) else due,
            completed_at=day(TODAY) if done else None,
        )
        self.s.add(task)
        self.s.flush()
        return task.id


def signal_deals(
    crm: Crm, owner: int, *, start: date, end: date, every: int = 3, noise: float = 0.1
) -> list[int]:
    """Closed deals where the number of contacts engaged decides the outcome (4+ usually win).

    One deal is created every `every` days from `start`; it lives 30-80 days, engages its
    contacts in its first three days, and closes before `end` (deals that would not are skipped).
    Stage paths are the same for won and lost deals, so only the contacts carry the signal.
    """
    rng = random.Random(1)
    account = crm.account(owner, contacts=6)
    people = crm.contacts(account)
    ids = []
    created = start
    while created < end:
        engaged, life = rng.randint(1, 6), rng.randint(30, 80)
        won = (engaged >= 4) != (rng.random() < noise)
        closed = created + timedelta(days=life)
        if closed < end:
            path = [
                (Stage.PROSPECTING, created),
                (Stage.QUALIFICATION, created + timedelta(days=10)),
                (Stage.PROPOSAL, created + timedelta(days=20)),
                (Stage.CLOSED_WON if won else Stage.CLOSED_LOST, closed),
            ]
            deal = crm.deal(
                owner,
                stage=path[-1][0],
                created=created,
                closed=closed,
                close=closed,
                path=path,
                account=account,
                amount="20000",
            )
            for i in range(engaged):
                crm.activity(deal, created + timedelta(days=i % 3), contact=people[i])
            crm.activity(deal, closed - timedelta(days=5), contact=people[0])
            ids.append(deal)
        created += timedelta(days=every)
    return ids
