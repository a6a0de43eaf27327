"""CRM values as one-line escaped mrkdwn, and the exact figures formatted for people."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from bot.slack.blocks.kit import Block, section
from bot.slack.blocks.limits import ELLIPSIS, MAX_SECTION_CHARS
from bot.slack.mrkdwn import escape
from tools.crm.money import format_money
from tools.display import label


def esc(value: object, default: str = "") -> str:
    """CRM text on one line and escaped: a stored newline cannot fake a quote or a heading."""
    if value is None or value == "":
        return escape(default)
    return escape(" ".join(str(value).split()))


def money(row: Mapping[str, Any], key: str = "amount", currency: str | None = None) -> str:
    """The artifact's decimal string formatted with its currency; never through a float."""
    if row.get(key) is None:
        return "—"
    return esc(format_money(row[key], row.get("currency") or currency or "USD"))


def stage(value: object) -> str:
    """A stored code as a label: "closed_won" -> "Closed won" (tools/display.py)."""
    return esc(label(value))


def percent(rate: object) -> str:
    """A win rate such as "0.4000" as "40%"."""
    try:
        return f"{(Decimal(str(rate)) * 100).quantize(Decimal(1), ROUND_HALF_UP)}%"
    except InvalidOperation:
        return esc(rate)


def plural(count: object, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def bullets(title: str, lines: Sequence[str], limit: int = MAX_SECTION_CHARS) -> Block:
    """A titled list in one section; lines that do not fit become "…and N more"."""
    text = title
    for i, line in enumerate(lines):
        item = f"\n• {line}"
        more = f"\n_{ELLIPSIS}and {len(lines) - i} more_"
        if len(text) + len(item) + len(more) > limit:
            return section(text + more)
        text += item
    return section(text)
