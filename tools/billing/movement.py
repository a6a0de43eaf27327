"""MRR movement per account: expansion (an existing customer paying more each month) and
downgrade (paying less, still billing), over the last MOVEMENT_DAYS.

An account's MRR then adds the subscriptions running that day at the MRR they had that day:
the `old_mrr` of the first change recorded after it (tools/billing/store.py), else today's.
Both ends are converted at today's rate, so a currency's move is never read as an upsell.
New customers (nothing then) and churned ones (nothing now) are neither: other signals say them.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, func, literal, select
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

    def per_account(as_it_was: bool, day: date) -> dict[Any, tuple[str, Decimal]]:
        # Converted, an account's currencies add up into one figure.
        found: dict[Any, tuple[str, Decimal]] = {}
        for a, name, _, value in _mrr_rows(session, bs.accounts, bs.money, day, today, as_it_was):
            found[(a, cur)] = (name, found.get((a, cur), (name, Decimal(0)))[1] + value)
        return found

    return _moves(per_account(True, then), per_account(False, today), then)


def movements_in_own_currency(
    session: Session, accounts: ColumnElement[bool], today: date, days: int = MOVEMENT_DAYS
) -> list[dict[str, Any]]:
    """The same moves per account and currency, unconverted: for the nudges, which show each
    account's money as it is billed. `accounts` filters `accounts` (a rep's book)."""
    then = today - timedelta(days=days)
    raw = Conversion("")

    def rows(as_it_was: bool, day: date) -> dict[Any, tuple[str, Decimal]]:
        found = _mrr_rows(session, accounts, raw, day, today, as_it_was)
        return {(a, cur): (name, value) for a, name, cur, value in found}

    return _moves(rows(True, then), rows(False, today), then)


def _moves(
    before: dict[Any, tuple[str, Decimal]], now: dict[Any, tuple[str, Decimal]], then: date
) -> list[dict[str, Any]]:
    moves = []
    for key in before.keys() & now.keys():
        (account_id, cur), (name, old), (_, new) = key, before[key], now[key]
        if old <= 0 or new <= 0 or abs(new - old) * 100 < old * MIN_MOVE_PCT:
            continue
        up = new > old
        moves.append(
            {
                "account_id": account_id,
                "account": name,
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


def _mrr_rows(
    session: Session,
    accounts: ColumnElement[bool],
    conversion: Conversion,
    day: date,
    rate_day: date,
    as_it_was: bool,
) -> list[tuple[int, str, str, Decimal]]:
    """(account, name, currency, MRR on `day`) per account and billed currency; amounts through
    `conversion` at `rate_day`'s rate (unconverted for a conversion with no rates)."""
    s, c = Subscription, SubscriptionChange
    mrr: Any = s.mrr
    if as_it_was:
        first_after = (
            select(c.old_mrr)
            .where(c.subscription_stripe_id == s.stripe_id, c.changed_on > day)
            .order_by(c.changed_on, c.id)
            .limit(1)
            .scalar_subquery()
        )
        mrr = func.coalesce(first_after, s.mrr)
    amount = conversion.amount(mrr, s.currency, literal(rate_day))
    rows = session.execute(
        select(Account.id, Account.name, s.currency, func.sum(amount))
        .join(Account, Account.id == s.account_id)
        .where(accounts, running_on(day))
        .group_by(Account.id, Account.name, s.currency)
    )
    return [(a, n, cur, to_decimal(v)) for a, n, cur, v in rows]
