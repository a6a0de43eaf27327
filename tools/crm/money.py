"""Exact money: Decimals rounded to cents, serialised as strings so no float ever rounds them."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def to_decimal(value: object) -> Decimal:
    """Coerce a SQL result (Decimal, int, float from SQLite, None) to cents."""
    if value is None:
        return Decimal("0.00")
    if isinstance(value, float):
        value = repr(value)
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)  # type: ignore[arg-type]


def money(value: object) -> str:
    """The artifact form of an amount: a plain decimal string with two places."""
    return str(to_decimal(value))


def format_money(amount: str | Decimal, currency: str = "USD") -> str:
    """Human form: `$1,234,567` (cents only when not zero)."""
    value = to_decimal(amount)
    symbol = {"USD": "$", "EUR": "€", "GBP": "£"}.get(currency, "")
    text = f"{value:,.2f}"
    if text.endswith(".00"):
        text = text[:-3]
    return f"{symbol}{text}" if symbol else f"{text} {currency}"
