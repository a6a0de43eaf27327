"""Quotas per person and period: `salesbot quotas set` and `salesbot quotas import`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from tools.audit import write_audit
from tools.models import AuditSurface, Quota
from tools.periods import Period, PeriodError, month_of, parse_period, quarter_of, year_of
from tools.team.people import TeamError, find_user
from tools.team.user_files import read_table

_YEAR_QUARTER = re.compile(r"^\s*(\d{4})\s*[-/ ]?\s*q([1-4])\s*$", re.I)
_YEAR_MONTH = re.compile(r"^\s*(\d{4})-(\d{2})\s*$")


def quota_period(text: str, today: date) -> Period:
    """ "Q1 2026", "2026-Q1", "2026-03" (a month), "2026", or "2026-01-01 to 2026-03-31"."""
    if m := _YEAR_QUARTER.match(text):
        return quarter_of(date(int(m.group(1)), 3 * int(m.group(2)) - 2, 1))
    if m := _YEAR_MONTH.match(text):
        return month_of(date(int(m.group(1)), int(m.group(2)), 1))
    if re.fullmatch(r"\s*\d{4}\s*", text):
        return year_of(date(int(text), 1, 1))
    try:
        period = parse_period(text, today)
    except PeriodError as exc:
        raise TeamError(str(exc)) from None
    if period is None:
        raise TeamError(f"period {text!r}: use Q1 2026, 2026-Q1, 2026-03, 2026 or a date range.")
    return period


def parse_amount(text: str) -> Decimal:
    cleaned = re.sub(r"[\s,$€£]", "", text)
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise TeamError(f"quota {text!r} is not an amount.") from None
    if amount < 0 or not amount.is_finite():
        raise TeamError(f"quota {text!r} must be zero or more.")
    return amount.quantize(Decimal("0.01"))


def set_quota(
    session: Session,
    email: str,
    period: Period,
    amount: Decimal,
    *,
    now: datetime,
    actor_id: int | None = None,
) -> bool:
    """Store (or replace) the person's quota for the period; True when it changed."""
    user = find_user(session, email)
    quota = session.scalar(
        select(Quota).where(Quota.user_id == user.id, Quota.period_start == period.start)
    )
    before = None if quota is None else {"end": str(quota.period_end), "amount": str(quota.amount)}
    if quota is None:
        quota = Quota(
            user_id=user.id, period_start=period.start, period_end=period.end, amount=amount
        )
        session.add(quota)
    elif quota.period_end == period.end and quota.amount == amount:
        return False
    quota.period_end, quota.amount = period.end, amount
    session.flush()
    after = {
        "email": user.email,
        "start": str(period.start),
        "end": str(period.end),
        "amount": str(amount),
    }
    write_audit(
        session,
        actor_id=actor_id,
        action="quota.set",
        entity="quota",
        entity_id=quota.id,
        change=(before, after),
        now=now,
        surface=AuditSurface.CLI,
    )
    return True


@dataclass
class QuotasImported:
    changed: int = 0
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)


def import_quotas(
    session: Session, path: Path, *, now: datetime, encoding: str | None = None
) -> QuotasImported:
    """A CSV of email, period (or period_start and period_end) and amount (or quota)."""
    table = read_table(path, encoding)
    cols = set(table[0])
    email_col = next((c for c in ("email", "owneremail", "user", "useremail") if c in cols), None)
    amount_col = next((c for c in ("amount", "quota", "quotaamount") if c in cols), None)
    if (
        email_col is None
        or amount_col is None
        or not ("period" in cols or {"periodstart", "periodend"} <= cols)
    ):
        raise TeamError(
            f"{path}: expected columns email, period (or period_start, period_end) and amount."
        )
    done = QuotasImported()
    for number, row in enumerate(table, 2):
        try:
            text = row.get("period") or f"{row['periodstart']} to {row['periodend']}"
            period = quota_period(text, now.date())
            changed = set_quota(
                session, row[email_col], period, parse_amount(row[amount_col]), now=now
            )
        except TeamError as exc:
            done.problems.append(f"{path.name}, row {number}: {exc}")
            continue
        done.changed += changed
        done.unchanged += not changed
    return done
