"""Rich renderings of tool artifacts: the figures exactly as the database returned them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.console import Console, RenderableType
from rich.table import Table

from bot.cli.proposal import proposal_table
from bot.cli.render_billing import BILLING_RENDERERS
from bot.cli.render_manager import MANAGER_RENDERERS
from bot.cli.text import cell, cells, markup, safe
from tools.artifacts import ArtifactType, handler_for, past_due_sentence
from tools.billing.brief import billing_sentence
from tools.crm.currency import format_total
from tools.crm.money import format_money
from tools.display import count_of, human_words, label, subject_line


def render_artifact(artifact: dict[str, Any]) -> RenderableType | None:
    """A table for an artifact, or None when the words already say it all."""
    renderer = handler_for(RENDERERS, artifact)
    return renderer(artifact) if renderer else None


def print_artifacts(console: Console, artifacts: list[dict[str, Any]]) -> None:
    for artifact in artifacts:
        table = render_artifact(artifact)
        if table is not None:
            console.print()  # a table never runs into the words above it
            console.print(table)


def _money(row: dict[str, Any], key: str = "amount") -> str:
    return format_money(row[key], row.get("currency", "USD"))


def _deals_table(rows: list[dict[str, Any]], title: str) -> Table:
    # cell()/safe(): CRM text is shown, never obeyed ("[/]", "[link=..]", ESC in a name).
    table = Table(title=safe(title), title_justify="left")
    for col in ("Deal", "Account", "Owner", "Stage", "Amount", "Close", "Last activity"):
        table.add_column(col, justify="right" if col == "Amount" else "left")
    for r in rows:
        table.add_row(
            *cells(
                r["name"],
                r["account"],
                r["owner"],
                label(r["stage"]),
                _money(r),
                r["close_date"],
                r.get("last_activity") or "never",
            )
        )
    return table


def _deals(a: dict[str, Any]) -> Table:
    shown, total = len(a["rows"]), a["total_count"]
    title = f"{human_words(a['title'])}: {count_of(shown, total, 'deal')}, {format_total(a)}"
    return _deals_table(a["rows"], title)


def _pipeline(a: dict[str, Any]) -> Table:
    cur = a.get("currency", "USD")
    table = Table(
        title=safe(
            f"Pipeline for {a['scope_label']}, {a['period']['label']} "
            f"({a['period']['start']} to {a['period']['end']})"
        ),
        title_justify="left",
    )
    for col in ("Stage", "Deals", "Amount", "Win rate", "Weighted"):
        table.add_column(col, justify="left" if col == "Stage" else "right")
    for s in a["by_stage"]:
        table.add_row(
            *cells(
                label(s["stage"]),
                s["count"],
                format_money(s["amount"], cur),
                f"{s['win_rate_pct']}%"
                if s.get("win_rate_pct")
                else f"{float(s['win_rate']) * 100:.0f}%",
                format_money(s["weighted_amount"], cur),
            )
        )
    table.add_row(
        *cells(
            markup("[b]Open total[/b]"),
            a["open_count"],
            format_money(a["open_amount"], cur),
            "",
            format_money(a["weighted_amount"], cur),
        )
    )
    won = format_money(a["won_amount"], cur)
    table.add_row(*cells("Closed won", a["won_count"], won, "", ""))
    quota = format_money(a["quota"], cur) if a.get("quota") else "no quota"
    attain = f"{a['attainment_pct']}%" if a.get("attainment_pct") else "n/a"
    basis = (a.get("rates_basis") or {}).get("text")
    due = past_due_sentence(a.get("past_due"), lambda m: format_money(m, cur))
    extra = "".join(f"\n{t}" for t in (due, basis) if t)
    table.caption = safe(f"Quota {quota}, attainment {attain}" + extra)
    return table


def _next_actions(a: dict[str, Any]) -> Table:
    table = Table(title=safe(f"Next actions for {a.get('today', 'today')}"), title_justify="left")
    for col in ("#", "Action", "Why", "Deal"):
        table.add_column(col)
    for i, item in enumerate(a["items"], 1):
        table.add_row(*cells(i, item["title"], item["reason"], item.get("deal") or ""))
    return table


def _interactions(a: dict[str, Any]) -> Table:
    table = Table(title=safe(f"Interactions about “{a['query']}”"), title_justify="left")
    for col in ("Date", "Account", "Kind", "Subject", "Snippet"):
        table.add_column(col)
    for h in a["hits"]:
        table.add_row(*cells(h["date"], h["account"], label(h["kind"]), h["subject"], h["snippet"]))
    return table


def _deal(a: dict[str, Any]) -> Table:
    d = a["deal"]
    table = Table(title=safe(d["name"]), title_justify="left", show_header=False)
    table.add_column("field")
    table.add_column("value")
    for name, value in (
        ("Account", d["account"]),
        ("Owner", d["owner"]),
        (
            "Stage",
            f"{label(d['stage'])} "
            f"({d['days_in_stage'] if d['days_in_stage'] is not None else '?'} days)",
        ),
        ("Amount", _money(d)),
        ("Close date", d["close_date"]),
        ("Next step", d.get("next_step") or "none recorded"),
    ):
        table.add_row(name, cell(value))
    for t in a["tasks"]:
        table.add_row("Open task", cell(f"{t['title']} (due {t['due_date']})"))
    for i in a["interactions"]:
        table.add_row(cell(i["date"]), cell(subject_line(i["kind"], i["subject"])))
    if billing := a.get("billing"):
        table.add_row("Billing", cell(billing_sentence(billing).removeprefix("Billing: ")))
    return table


def _account(a: dict[str, Any]) -> Table:
    table = _deals_table(a["open_deals"] + a["closed_deals"], f"{a['account']['name']}: deals")
    if billing := a.get("billing"):
        table.caption = safe(billing_sentence(billing))
        table.caption_justify = "left"
    return table


RENDERERS: dict[ArtifactType, Callable[[dict[str, Any]], RenderableType]] = {
    ArtifactType.DEALS: _deals,
    ArtifactType.PIPELINE: _pipeline,
    ArtifactType.NEXT_ACTIONS: _next_actions,
    ArtifactType.INTERACTIONS: _interactions,
    ArtifactType.DEAL: _deal,
    ArtifactType.ACCOUNT: _account,
    **MANAGER_RENDERERS,
    **BILLING_RENDERERS,
    ArtifactType.WRITE_PROPOSAL: proposal_table,
}
"""The CLI's table for each artifact type; `notice` and `not_found` have none: the answer's
words say it all (see tests/test_artifact_renderers.py)."""


def _stay(days: int | None) -> str:
    return "days unknown" if days is None else f"{days} days"
