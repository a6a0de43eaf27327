"""A proposed write as a Rich table: each field before and after."""

from __future__ import annotations

from typing import Any

from rich.table import Table

from bot.agent.planner.compose_writes import show
from bot.cli.text import cells, safe

_STATUS = {"proposed": "waiting for your confirmation", "applied": "saved"}


def proposal_table(a: dict[str, Any]) -> Table:
    status = _STATUS.get(str(a.get("status")), str(a.get("status")))
    title = safe(f"{a.get('title', 'Proposed change')} ({status})")
    table = Table(title=title, title_justify="left")
    for column in ("Field", "Before", "After"):
        table.add_column(column)
    for f in a.get("fields", []):
        before = "—" if f.get("before") is None else show(f["field"], f["before"])
        table.add_row(*cells(f["label"], before, show(f["field"], f.get("after"))))
    return table
