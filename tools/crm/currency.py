"""Money is only ever added up within one currency.

salesbot does not convert currencies yet. A total over deals in several currencies would be a
number in no currency at all, so lists give one total per currency, and the figures that add
amounts up (pipeline, review, forecast, KPIs) are refused for a scope whose deals are in more
than one, with each currency's open pipeline instead.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, true
from sqlalchemy.orm import Session

from tools.crm.money import format_money, money, to_decimal
from tools.models import OPEN_STAGES, Deal

DEFAULT_CURRENCY = "USD"


def scope_currencies(session: Session, owner_ids: frozenset[int] | None) -> list[str]:
    """Every currency the owners' deals (all of them, open or closed) are in, sorted."""
    owned = true() if owner_ids is None else Deal.owner_id.in_(owner_ids)
    found = session.scalars(select(Deal.currency).where(owned).distinct()).all()
    return sorted({c or DEFAULT_CURRENCY for c in found})


def totals_by_currency(session: Session, *where: Any) -> list[dict[str, Any]]:
    """Count and amount of the deals matching `where`, per currency, largest count first."""
    rows = session.execute(
        select(Deal.currency, func.count(), func.coalesce(func.sum(Deal.amount), 0))
        .where(*where)
        .group_by(Deal.currency)
    ).all()
    totals = [
        {"currency": c or DEFAULT_CURRENCY, "count": int(n), "amount": money(a)} for c, n, a in rows
    ]
    return sorted(totals, key=lambda t: (-t["count"], t["currency"]))


def scope_currency(
    session: Session, owner_ids: frozenset[int] | None, label: str, shown: list[int]
) -> tuple[str, dict[str, Any] | None]:
    """The one currency the scope's figures are in, or the refusal when there are several."""
    currencies = scope_currencies(session, owner_ids)
    if len(currencies) < 2:
        return (currencies[0] if currencies else DEFAULT_CURRENCY), None
    return "", _mixed_notice(session, owner_ids, label, currencies, shown)


def _mixed_notice(
    session: Session,
    owner_ids: frozenset[int] | None,
    label: str,
    currencies: list[str],
    shown: list[int],
) -> dict[str, Any]:
    owned = true() if owner_ids is None else Deal.owner_id.in_(owner_ids)
    totals = totals_by_currency(session, owned, Deal.stage.in_(OPEN_STAGES))
    parts = [
        f"{format_money(to_decimal(t['amount']), t['currency'])} in {t['count']} "
        f"deal{'s' * (t['count'] != 1)}"
        for t in totals
    ]
    opened = "; ".join(parts) if parts else "none"
    text = (
        f"The deals of {label} are in {len(currencies)} currencies ({', '.join(currencies)}), "
        "and salesbot does not convert between currencies yet, so it will not add them into "
        f"one figure. Open pipeline per currency: {opened}. Ask for a list of deals (for "
        'example "my open deals") to see each deal in its own currency.'
    )
    return {
        "type": "notice",
        "text": text,
        "reason": "mixed_currencies",
        "currencies": currencies,
        "open_by_currency": totals,
        "data_owner_ids": shown,
    }


def single_currency(totals: list[dict[str, Any]]) -> str | None:
    """The one currency of a set of totals (the default when there are none), else None."""
    codes = {t["currency"] for t in totals}
    if not codes:
        return DEFAULT_CURRENCY
    return codes.pop() if len(codes) == 1 else None


def total_of(totals: list[dict[str, Any]]) -> str | None:
    """The single total when every deal is in one currency; None when they are mixed."""
    if single_currency(totals) is None:
        return None
    return money(sum((to_decimal(t["amount"]) for t in totals), Decimal(0)))


def format_total(artifact: dict[str, Any]) -> str:
    """A list's total in words: "$1,200", or "$1,200 + €300" when the currencies are mixed."""
    if artifact.get("total_amount") is not None:
        return format_money(artifact["total_amount"], artifact.get("currency") or DEFAULT_CURRENCY)
    totals = artifact.get("totals_by_currency") or []
    return " + ".join(format_money(t["amount"], t["currency"]) for t in totals) or "0"
