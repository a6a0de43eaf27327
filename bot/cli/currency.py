"""`salesbot currency`: exchange rates for totals in the reporting currency (REPORTING_CURRENCY).

Storing only: conversion is tools/crm/currency.py, loading tools/currency_rates.py.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from bot.cli.common import console, fail, services
from bot.cli.confirm import database_failure
from bot.cli.text import cells, echo_json, safe
from tools.currency_rates import (
    RatesFailed,
    RatesLoaded,
    audit_rates,
    currency_code,
    import_currency_types,
    import_dated_rates,
    import_rates,
    list_rates,
    parse_rate,
    set_rate,
)
from tools.db import DBAPIError, Session

currency_app = typer.Typer(
    help="Exchange rates: totals are converted into REPORTING_CURRENCY.", no_args_is_help=True
)


@currency_app.command("set")
def set_command(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="The currency the rate is for, e.g. EUR.")],
    rate: Annotated[str, typer.Argument(help="What 1 unit of it is worth, e.g. 1.08.")],
    to: Annotated[
        str | None, typer.Option("--to", help="Worth in which currency (default: reporting).")
    ] = None,
    valid_from: Annotated[
        str | None,
        typer.Option("--from", help="First day (YYYY-MM-DD) of a dated rate; default undated."),
    ] = None,
) -> None:
    """Store one rate: `salesbot currency set EUR 1.08` means 1 EUR = 1.08 USD (reporting)."""
    svc = services(ctx)
    target = to or svc.settings.reporting_currency
    try:
        value, start = parse_rate(rate), _day(valid_from)
        source, dest = currency_code(code), currency_code(target, "--to")
        loaded = RatesLoaded(source="cli")
        with svc.sessions.begin() as session:
            outcome = set_rate(session, source, dest, value, valid_from=start, loaded=loaded)
            audit_rates(session, loaded)
    except RatesFailed as exc:
        raise fail(str(exc)) from exc
    except DBAPIError as exc:
        raise fail(database_failure(exc)) from exc
    since = f" from {start.isoformat()}" if start else ""
    console.print(safe(f"1 {source} = {value} {dest}{since}: {outcome}."))


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise RatesFailed(f"--from {text!r} is not a date: use YYYY-MM-DD.") from None


@currency_app.command("import")
def import_command(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Rate files, any order.")],
    corporate: Annotated[
        str | None,
        typer.Option("--corporate", help="Corporate currency of a DatedConversionRate file."),
    ] = None,
) -> None:
    """Load Salesforce CurrencyType.csv / DatedConversionRate.csv or a from,to,rate CSV.

    All files load in one transaction (CurrencyType first), or none does.
    """
    svc = services(ctx)
    ordered = sorted(paths, key=lambda p: "datedconversionrate" in p.name.lower())
    try:
        with svc.sessions.begin() as session:
            done = [_load(session, p, corporate) for p in ordered]
    except RatesFailed as exc:
        raise fail(str(exc)) from exc
    except DBAPIError as exc:
        raise fail(database_failure(exc)) from exc
    for path, loaded in zip(ordered, done, strict=True):
        console.print(safe(f"{path.name}: {loaded.summary()}."))


def _load(session: Session, path: Path, corporate: str | None) -> RatesLoaded:
    name = path.name.lower()
    if not path.is_file():
        raise RatesFailed(f"{path} does not exist or is not a file.")
    if "datedconversionrate" in name:
        return import_dated_rates(session, path, corporate)
    if "currencytype" in name:
        return import_currency_types(session, path)
    return import_rates(session, path)


@currency_app.command("list")
def list_command(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--as-json", help="Print JSON rows.")] = False,
) -> None:
    """Every stored rate, and the reporting currency totals are converted into."""
    svc = services(ctx)
    with svc.sessions() as session:
        rows = list_rates(session)
    if as_json:
        echo_json({"reporting_currency": svc.settings.reporting_currency, "rates": rows})
        return
    console.print(safe(f"Reporting currency: {svc.settings.reporting_currency}"))
    if not rows:
        console.print(safe("No exchange rates stored: see `salesbot currency set --help`."))
        return
    table = Table("1 unit of", "is worth", "in", "from", "source")
    for r in rows:
        table.add_row(
            *cells(r["from"], r["rate"], r["to"], r["valid_from"] or "always", r["source"])
        )
    console.print(table)
