"""Billing nudges: a renewal in the next 60 (then 30) days on a rep's account, an overdue
invoice on the account of an open deal, so a rep hears of it before pushing an upsell, and an
account whose MRR grew (seats or plans added: an expansion conversation to have).

A few statements for all reps at once. Each item shows its own invoice's or subscription's
currency, as a single deal does; nothing here adds amounts across currencies.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from tools.billing.movement import movements_in_own_currency
from tools.models import OPEN_STAGES, Account, Deal, Invoice, Subscription
from tools.nudge_engine.nudge import Candidate
from tools.nudge_engine.scoring import WEIGHTS, ramp, value_factor
from tools.portable_sql import in_ids

RENEWAL_WINDOWS = (30, 60)  # days before a renewal: the first nudge at 60, again at 30
UNPAID = ("open", "uncollectible")


def billing_candidates(session: Session, reps: Mapping[int, date]) -> dict[int, list[Candidate]]:
    """Each rep's renewal and overdue-invoice candidates for their own today."""
    found: dict[int, list[Candidate]] = defaultdict(list)
    for c in _renewals(session, reps) + _overdue_deals(session, reps) + _expansions(session, reps):
        found[c.user_id].append(c)
    return found


def _expansions(session: Session, reps: Mapping[int, date]) -> list[Candidate]:
    # One pass for every rep: their accounts' moves up to the latest of their todays.
    moves = movements_in_own_currency(session, in_ids(Account.owner_id, reps), max(reps.values()))
    out = []
    for m in moves:
        owner = m["owner_id"]
        if m["kind"] != "expansion" or owner is None:
            continue
        then, now = Decimal(m["mrr_then"]), Decimal(m["mrr_now"])
        pct = (now - then) / then * 100
        points = WEIGHTS["expansion_signal"] * ramp(float(pct), 50) * value_factor(float(now) * 12)
        info = {**m, "pct": int(pct.to_integral_value())}
        # Keyed by the MRR reached: a further rise is news again, the same one is not.
        key = f"account:{m['account_id']}:expansion:{m['currency']}:{m['mrr_now']}"
        out.append(Candidate(key, "expansion_signal", points, owner, None, None, info))
    return out


def _renewals(session: Session, reps: Mapping[int, date]) -> list[Candidate]:
    s = Subscription
    first, last = min(reps.values()), max(reps.values())
    rows = session.execute(
        select(
            Account.owner_id, Account.name, s.id, s.plan, s.mrr, s.currency, s.renewal, s.cancel_at
        )
        .join(Account, Account.id == s.account_id)
        .where(
            in_ids(Account.owner_id, reps),
            s.renewal >= first,
            s.renewal <= last + timedelta(days=max(RENEWAL_WINDOWS)),
            or_(s.canceled.is_(None), s.canceled > first),
        )
        .order_by(s.id)
    )
    out = []
    for owner, account, sub_id, plan, mrr, currency, renewal, cancel_at in rows:
        if owner is None or renewal is None:  # both filtered in SQL; said again for the types
            continue
        ahead = (renewal - reps[owner]).days
        window = next((w for w in RENEWAL_WINDOWS if 0 <= ahead <= w), None)
        if window is None:
            continue
        points = (
            WEIGHTS["renewal_due"] * ramp(window - ahead, window) * value_factor(float(mrr) * 12)
        )
        info = {"account": account, "plan": plan, "mrr": str(Decimal(mrr)), "currency": currency,
                "renewal": renewal, "days": ahead, "cancelling": cancel_at is not None}  # fmt: skip
        key = f"subscription:{sub_id}:renewal:{renewal.isoformat()}:{window}"
        out.append(Candidate(key, "renewal_due", points, owner, None, None, info))
    return out


def _overdue_deals(session: Session, reps: Mapping[int, date]) -> list[Candidate]:
    last = max(reps.values())
    i = Invoice
    rows = session.execute(
        select(
            Deal.owner_id,
            Deal.id,
            Deal.amount,
            i.number,
            i.stripe_id,
            i.amount,
            i.amount_paid,
            i.currency,
            i.due,
        )
        .join(i, and_(i.account_id == Deal.account_id, i.status.in_(UNPAID), i.due < last))
        .where(in_ids(Deal.owner_id, reps), Deal.stage.in_(OPEN_STAGES))
        .order_by(Deal.id, i.due, i.id)
    )
    oldest: dict[int, Candidate] = {}
    counts: dict[int, int] = defaultdict(int)
    for owner, deal_id, amount, number, sid, due_amt, paid, currency, due in rows:
        if due is None:  # filtered in SQL; said again for the types
            continue
        late = (reps[owner] - due).days
        if late <= 0:
            continue
        counts[deal_id] += 1
        if deal_id in oldest:
            continue
        points = WEIGHTS["overdue_invoice"] * ramp(late, 60) * value_factor(float(amount or 0))
        info = {"invoice": number or sid, "owed": str(Decimal(due_amt) - Decimal(paid)),
                "currency": currency, "due": due, "late": late}  # fmt: skip
        oldest[deal_id] = Candidate(
            f"deal:{deal_id}:overdue_invoice", "overdue_invoice", points, owner, deal_id, None, info
        )
    for deal_id, c in oldest.items():
        c.info["others"] = counts[deal_id] - 1
    return list(oldest.values())
