"""Rich tables for the billing artifacts: figure lines, then the table the artifact names."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table

from bot.cli.text import cells, safe
from tools.artifacts import ArtifactType
from tools.crm.money import format_money


def _value(value: Any, money: bool, currency: str) -> str:
    if value is None or value == "":
        return "—"
    return format_money(str(value), currency) if money else str(value)


def billing_layout(a: dict[str, Any]) -> RenderableType:
    currency = a.get("currency") or "USD"
    figures = Table(title=safe(a["title"]), title_justify="left", show_header=False)
    figures.add_column("figure")
    figures.add_column("value", justify="right")
    for row in a["summary"]:
        figures.add_row(*cells(row["label"], _value(row["value"], row["money"], currency)))
    table = Table()
    for column in a["columns"]:
        table.add_column(safe(column["label"]))
    for row in a["rows"]:
        table.add_row(
            *cells(*(_value(row.get(c["key"]), c["money"], currency) for c in a["columns"]))
        )
    if not a["rows"]:
        table.add_row(*cells("nothing to show", *([""] * (len(a["columns"]) - 1))))
    table.caption = safe(a.get("note") or "")
    return Group(figures, table) if a["summary"] else table


BILLING_RENDERERS: dict[ArtifactType, Callable[[dict[str, Any]], RenderableType]] = {
    ArtifactType.ACCOUNT_REVENUE: billing_layout,
    ArtifactType.REVENUE_LIST: billing_layout,
}
