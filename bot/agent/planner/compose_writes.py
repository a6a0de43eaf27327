"""The offline planner's words for a proposed write: what would change, and that it waits."""

from __future__ import annotations

from typing import Any

from tools.crm.money import format_money
from tools.display import label

WAITING = "Nothing is saved until you confirm."


def compose_proposal(a: dict[str, Any]) -> str:
    """One line per field, before -> after, from the proposal artifact only."""
    lines = [f"*{a.get('title', 'Proposed change')}*. {WAITING}"]
    for f in a.get("fields", []):
        after = show(f["field"], f.get("after"))
        if f.get("before") is None:
            lines.append(f"- {f['label']}: {after}")
        else:
            lines.append(f"- {f['label']}: {show(f['field'], f['before'])} → {after}")
    return "\n".join(lines)


def show(field: str, value: Any) -> str:
    """A stored value as people read it ("closed_won" -> "Closed won", amounts as money)."""
    if value is None or value == "":
        return "none"
    if field == "amount":
        return format_money(str(value))
    if field in ("stage", "kind"):
        return label(value)
    return str(value)
