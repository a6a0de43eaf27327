"""`salesbot import stripe PATH...` and `salesbot sync stripe`: billing data in, by Stripe id.

Reading, matching and storing are tools/billing/; this module only draws what happened.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from bot.cli.common import console, fail, services
from bot.cli.confirm import database_failure
from bot.cli.text import cells, markup
from tools.billing.records import BillingFailed
from tools.billing.store import LoadReport, store_batch
from tools.billing.stripe_api import stripe_client, sync_stripe
from tools.billing.stripe_csv import read_stripe_exports
from tools.db import DBAPIError

SHOWN_UNMATCHED = 20
MappingOption = Annotated[
    Path | None,
    typer.Option(
        "--customer-map", help="CSV customer,account: a Stripe customer id or email -> account."
    ),
]


def import_stripe(ctx: typer.Context, paths: list[Path], mapping: Path | None) -> None:
    """Load Stripe dashboard exports (invoices, customers, subscriptions) in one transaction."""
    svc = services(ctx)
    started = time.perf_counter()
    try:
        batch = read_stripe_exports(exports_only(paths, mapping))
        with svc.sessions.begin() as session:
            report = store_batch(session, batch, mapping)
    except BillingFailed as exc:
        raise fail(str(exc)) from exc
    except DBAPIError as exc:
        raise fail(database_failure(exc)) from exc
    print_load(report, time.perf_counter() - started)


def exports_only(paths: list[Path], mapping: Path | None) -> list[Path]:
    """PATHS without the `--customer-map` file: `exports/*.csv` beside the map names it too."""
    if mapping is None:
        return paths
    return [p for p in paths if p.resolve() != mapping.resolve()]


def print_load(report: LoadReport, seconds: float) -> None:
    """The rows read and new per table, how customers matched, and who is unmatched."""
    table = Table("records", "read", "new")
    for name, read in report.read.items():
        table.add_row(*cells(name, read, report.new.get(name, 0)))
    console.print(table)
    rows = sum(report.read.values())
    rate = rows / seconds if seconds else 0.0
    console.print(
        markup("{rows} rows in {s:.1f}s ({rate:,.0f} rows/s).", rows=rows, s=seconds, rate=rate)
    )
    matched = ", ".join(f"{k}: {v}" for k, v in sorted(report.matched_by.items()))
    console.print(markup("Customers matched by {m}.", m=matched or "none"))
    if report.unmatched:
        console.print(
            markup(
                "[yellow]{n} customer(s) match no account[/yellow] (never guessed; add them to "
                "a --customer-map CSV customer,account):",
                n=len(report.unmatched),
            )
        )
        for row in report.unmatched[:SHOWN_UNMATCHED]:
            console.print(
                markup(
                    "  {c} {e} {n}", c=row["customer"], e=row["email"] or "", n=row["name"] or ""
                )
            )


sync_app = typer.Typer(help="Bring data in from a connected service.", no_args_is_help=True)


@sync_app.command("stripe")
def sync_stripe_command(
    ctx: typer.Context,
    full: Annotated[
        bool, typer.Option("--full", help="List everything again, not only what is new.")
    ] = False,
    mapping: MappingOption = None,
) -> None:
    """Sync customers, invoices and subscriptions from Stripe (STRIPE_API_KEY), by Stripe id."""
    svc = services(ctx)
    key = svc.settings.stripe_api_key
    if not key:
        raise fail("STRIPE_API_KEY is not set: add a restricted read key to .env.")
    client = stripe_client(key, svc.settings.stripe_api_base)
    started = time.perf_counter()
    try:
        with svc.sessions.begin() as session:
            report = sync_stripe(session, client, full=full, mapping=mapping)
    except BillingFailed as exc:
        raise fail(str(exc)) from exc
    except DBAPIError as exc:
        raise fail(database_failure(exc)) from exc
    print_load(report, time.perf_counter() - started)
