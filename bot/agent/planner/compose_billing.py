"""The planner's answers for the billing artifacts, written from their figures only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tools.artifacts import ArtifactType
from tools.crm.money import format_money

MAX_ROWS = 10


def _value(value: Any, money: bool, currency: str) -> str:
    if value is None or value == "":
        return "n/a"
    return format_money(str(value), currency) if money else str(value)


def compose_billing(a: dict[str, Any]) -> str:
    currency = a.get("currency") or "USD"
    lines = [f"*{a['title']}*"]
    lines += [f"- {r['label']}: {_value(r['value'], r['money'], currency)}" for r in a["summary"]]
    first, *rest = a["columns"]
    rows = a["rows"]
    if not rows:
        lines.append("Nothing to show." if a["type"] == ArtifactType.REVENUE_LIST else "")
    for row in rows[:MAX_ROWS]:
        parts = [
            f"{c['label']} {_value(row.get(c['key']), c['money'], currency)}"
            for c in rest
            if row.get(c["key"]) not in (None, "")
        ]
        lines.append(f"- *{row.get(first['key'])}*: {', '.join(parts)}")
    if len(rows) > MAX_ROWS or a["total_count"] > len(rows):
        lines.append(f"…and {a['total_count'] - min(len(rows), MAX_ROWS)} more.")
    if a.get("note"):
        lines.append(f"_{a['note']}_")
    return "\n".join(line for line in lines if line)


BILLING_RENDERERS: dict[ArtifactType, Callable[[dict[str, Any]], str]] = {
    ArtifactType.ACCOUNT_REVENUE: compose_billing,
    ArtifactType.REVENUE_LIST: compose_billing,
}
