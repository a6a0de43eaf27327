"""The billing artifacts as blocks: figure lines as fields, one line per row. All text esc'd."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.slack.blocks.kit import context, field_sections, section
from bot.slack.blocks.text import esc
from bot.slack.blocks.views import View
from tools.artifacts import ArtifactType
from tools.crm.money import format_money

Artifact = dict[str, Any]


def _value(value: Any, money: bool, currency: str) -> str:
    if value is None or value == "":
        return "—"
    return esc(format_money(str(value), currency) if money else value)


def render_billing(a: Artifact) -> list[View]:
    currency = a.get("currency") or "USD"
    fields = [
        f"*{esc(r['label'])}*\n{_value(r['value'], r['money'], currency)}" for r in a["summary"]
    ]
    intro = [section(f"*{esc(a['title'])}*"), *field_sections(fields)]
    if a.get("note"):
        intro.append(context(f":information_source: {esc(a['note'])}"))
    rows = [section(_row_line(r, a["columns"], currency)) for r in a["rows"]]
    if not rows:
        intro.append(section("_Nothing to show._"))
    return [View(intro, rows, int(a.get("total_count") or len(rows)))]


def _row_line(row: Artifact, columns: list[Artifact], currency: str) -> str:
    first, *rest = columns
    parts = [
        f"{esc(c['label'])}: {_value(row.get(c['key']), c['money'], currency)}"
        for c in rest
        if row.get(c["key"]) not in (None, "")
    ]
    return f"*{esc(row.get(first['key']))}* · " + " · ".join(parts)


RENDERERS: dict[ArtifactType, Callable[[Artifact], list[View]]] = {
    ArtifactType.ACCOUNT_REVENUE: render_billing,
    ArtifactType.REVENUE_LIST: render_billing,
}
