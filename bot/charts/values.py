"""Artifact values for plotting and labels: the artifact's strings, shown as they are."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from tools.crm.money import format_money
from tools.display import label

Artifact = Mapping[str, Any]


def number(value: object) -> float:
    """A bar's height: the artifact's decimal string as a float (plotting only, never shown)."""
    try:
        return float(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return 0.0


def has_value(value: object) -> bool:
    return value is not None and value != ""


def money_label(value: object, currency: str | None) -> str:
    """The exact figure for a label, as the Slack blocks show it ("$1,250.50")."""
    if not has_value(value):
        return "n/a"
    return format_money(str(value), currency or "USD")


def pct_label(value: object) -> str:
    return f"{value}%" if has_value(value) else "n/a"


def stage_label(value: object) -> str:
    return label(value)


def period_label(artifact: Artifact) -> str:
    period = artifact.get("period") or {}
    return str(period.get("label") or "")


def scope_title(artifact: Artifact, what: str) -> str:
    """ "Pipeline by stage — Morgan Lee's team, Q4 2026"."""
    scope = artifact.get("scope_label") or "you"
    label = period_label(artifact)
    return f"{what} — {scope}, {label}" if label else f"{what} — {scope}"


def short_money(value: float, currency: str | None) -> str:
    """Axis ticks only ("$1.2M"); the bars' own labels carry the exact figures."""
    symbol = {"USD": "$", "EUR": "€", "GBP": "£"}.get(currency or "USD", "")
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{symbol}{value / size:.3g}{suffix}"
    return f"{symbol}{value:.0f}"


def rate_label(rate: object) -> str | None:
    """The older "pipeline" artifact's win rate ("0.4000") as "40%"; None when absent."""
    if not has_value(rate):
        return None
    try:
        return f"{Decimal(str(rate)) * 100:.0f}%"
    except InvalidOperation:
        return str(rate)


def deals(count: object) -> str:
    return f"{count} deal" if count == 1 else f"{count} deals"
