"""MRR movement per account: expansion (an existing customer paying more each month) and
downgrade (paying less, still billing), over the last MOVEMENT_DAYS.

An account's MRR then adds the subscriptions running that day at the MRR they had that day:
the `old_mrr` of the first change recorded after it (tools/billing/store.py), else today's.
Both ends are converted at today's rate, so a currency's move is never read as an upsell.
New customers (nothing then) and churned ones (nothing now) are neither: other signals say them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, case, func, literal, or_, select
from sqlalchemy.orm import Session

from tools.billing.figures import running_on
from tools.billing.scoping import BillingScope
from tools.crm.currency import Conversion
from tools.crm.money import format_money, money, to_decimal
from tools.models import Account, Subscription, SubscriptionChange

MOVEMENT_DAYS = 90
MIN_MOVE_PCT = Decimal(5)  # smaller moves are rounding and proration, not a signal


def mrr_movements(
    session: Session, bs: BillingScope, today: date, days: int = MOVEMENT_DAYS
) -> list[dict[str, Any]]:
    """Accounts in scope whose MRR, in the reporting currency, grew or shrank by MIN_MOVE_PCT
    or more since `days` ago, the largest move first: kind ("expansion" or "downgrade"), MRR
    then and now, and the evidence."""
    then = today - timedelta(days=days)
    cur = bs.money.currency
    # Converted, an account's currencies add up into one figure.
    summed: dict[int, _Row] = {}
    for row in mrr_rows(session, bs.accounts, bs.money, then, today):
        seen = summed.get(row.account_id)
        summed[row.account_id] = (
            row._replace(currency=cur)
            if seen is None
            else seen._replace(then=seen.then + row.then, now=seen.now + row.now)
        )
    return _moves(summed.values(), then)


def movements_in_own_currency(
    session: Session, accounts: ColumnElement[bool], today: date, days: int = MOVEMENT_DAYS
) -> list[dict[str, Any]]:
    """The same moves per account and currency, unconverted, each with the account's owner:
    for the nudges, which show each account's money as it is billed. `accounts` filters
    `accounts` (a rep's book). One statement, however many reps."""
    then = today - timedelta(days=days)
    return _moves(mrr_rows(session, accounts, Conversion(""), then, today), then)


class _Row(NamedTuple):
    account_id: int
    name: str
    owner_id: int | None
    currency: str
    then: Decimal
    now: Decimal


def _moves(rows: Iterable[_Row], then: date) -> list[dict[str, Any]]:
    moves = []
    for r in rows:
        old, new, cur = r.then, r.now, r.currency
        if old <= 0 or new <= 0 or abs(new - old) * 100 < old * MIN_MOVE_PCT:
            continue
        up = new > old
        moves.append(
            {
                "account_id": r.account_id,
                "account": r.name,
                "owner_id": r.owner_id,
                "kind": "expansion" if up else "downgrade",
                "mrr_then": money(old),
                "mrr_now": money(new),
                "currency": cur,
                "since": then.isoformat(),
                "evidence": f"MRR {'up' if up else 'down'} from {format_money(old, cur)} to "
                f"{format_money(new, cur)} a month since {then.isoformat()}",
            }
        )
    return sorted(moves, key=lambda m: (-abs(to_decimal(m["mrr_now"]) - to_decimal(m["mrr_then"])),
                                        m["account_id"], m["currency"]))  # fmt: skip


def mrr_rows(
    session: Session,
    accounts: ColumnElement[bool],
    conversion: Conversion,
    then: date,
    today: date,
) -> list[_Row]:
    """Per account and billed currency, the MRR on `then` and on `today`, both through
    `conversion` at today's rate (unconverted for a conversion with no rates)."""
    s, c = Subscription, SubscriptionChange
    # On `then`, a subscription billed the old MRR of the first change recorded after it.
    first_after = (
        select(c.old_mrr)
        .where(c.subscription_stripe_id == s.stripe_id, c.changed_on > then)
        .order_by(c.changed_on, c.id)
        .limit(1)
        .scalar_subquery()
    )
    rate_day = literal(today)
    old = conversion.amount(func.coalesce(first_after, s.mrr), s.currency, rate_day)
    new = conversion.amount(s.mrr, s.currency, rate_day)
    was, runs = running_on(then), running_on(today)
    rows = session.execute(
        select(
            Account.id,
            Account.name,
            Account.owner_id,
            s.currency,
            func.sum(case((was, old), else_=0)),
            func.sum(case((runs, new), else_=0)),
        )
        .join(Account, Account.id == s.account_id)
        .where(accounts, or_(was, runs))
        .group_by(Account.id, Account.name, Account.owner_id, s.currency)
    )
    return [
        _Row(a, n, o, cur, to_decimal(v0 or 0), to_decimal(v1 or 0))
        for a, n, o, cur, v0, v1 in rows
    ]
