"""`salesbot snapshots`: analytics answers kept for large scopes (tools/analytics/precomputed.py).

`serve` refreshes them every minute on its own; `refresh` is for a deployment that answers
through `salesbot ask`, `chat` or `mcp` only (run it from cron), `clear` for after a bulk
change that should show at once.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from bot.cli.common import console, database_errors, services
from bot.cli.text import cells, echo_json, safe
from tools.analytics.precomputed import clear, current_policy, listing
from tools.analytics.refresh import refresh_due

snapshots_app = typer.Typer(
    help="Analytics answers kept for large scopes: list, refresh or clear them.",
    no_args_is_help=True,
)


@snapshots_app.command("list")
def list_command(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--as-json", help="Print JSON rows.")] = False,
) -> None:
    """Every kept answer: the question, who first asked, when it was computed and how long
    computing it took, when it was last read."""
    svc = services(ctx)
    with database_errors(svc), svc.sessions() as session:
        rows = listing(session)
    minutes = current_policy().minutes
    if as_json:
        echo_json({"minutes": minutes, "snapshots": rows})
        return
    if minutes <= 0:
        console.print(safe("ANALYTICS_SNAPSHOT_MINUTES is 0: every answer is computed live."))
    if not rows:
        console.print(safe("No analytics answers are kept."))
        return
    table = Table("tool", "arguments", "asked by", "computed (UTC)", "took", "last read (UTC)")
    for r in rows:
        table.add_row(
            *cells(
                r["tool"],
                json.dumps(r["args"]) if r["args"] else "",
                r["user"],
                _minute(r["computed_at"]),
                f"{r['millis'] / 1000:.1f} s",
                _minute(r["read_at"]),
            )
        )
    console.print(table)
    console.print(safe(f"Kept for {minutes:g} minutes; serve refreshes those read lately."))


def _minute(iso: str) -> str:
    """2026-12-05T14:45:10 -> 2026-12-05 14:45."""
    return iso[:16].replace("T", " ")


@snapshots_app.command("refresh")
def refresh_command(ctx: typer.Context) -> None:
    """Recompute the kept answers read in the last week that expire soon, as `serve` does
    every minute, and drop those nobody read in a week."""
    svc = services(ctx)
    policy = current_policy()
    if policy.minutes <= 0:
        console.print(safe("ANALYTICS_SNAPSHOT_MINUTES is 0: nothing is kept, nothing to do."))
        return
    with database_errors(svc):
        done = refresh_due(svc.sessions, svc.clock, policy, svc.settings.reporting_currency)
    console.print(safe(f"Refreshed {done} kept answer{'' if done == 1 else 's'}."))


@snapshots_app.command("clear")
def clear_command(ctx: typer.Context) -> None:
    """Drop every kept answer: the next asker computes live (after a bulk import, say)."""
    svc = services(ctx)
    with database_errors(svc), svc.sessions() as session:
        gone = clear(session)
    console.print(safe(f"Dropped {gone} kept answer{'' if gone == 1 else 's'}."))
