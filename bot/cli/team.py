"""`salesbot quotas set|import` and `salesbot deals reassign`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.cli.common import console, fail, services
from bot.cli.index import index_ids
from bot.cli.text import markup
from bot.cli.users import EncodingOption, _writing
from tools.context import utc_now
from tools.interactions import SearchUnavailableError
from tools.team.people import TeamError
from tools.team.quotas import import_quotas, parse_amount, quota_period, set_quota
from tools.team.reassign import reassign_deals

quotas_app = typer.Typer(help="Quotas per person and period.", no_args_is_help=True)
deals_app = typer.Typer(help="Deal chores: move a book to someone else.", no_args_is_help=True)


@quotas_app.command("set")
def set_command(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="The person's email.")],
    amount: Annotated[str, typer.Argument(help="The quota, in the reporting currency.")],
    period: Annotated[
        str, typer.Option("--period", help="Q1 2026, 2026-Q1, 2026-03, 2026 or a date range.")
    ] = "this quarter",
) -> None:
    """Set (or replace) one person's quota for one period."""
    svc = services(ctx)
    now = utc_now()
    try:
        span, value = quota_period(period, now.date()), parse_amount(amount)
    except TeamError as exc:
        raise fail(str(exc)) from exc
    with _writing(svc) as session:
        changed = set_quota(session, email, span, value, now=now)
    verb = "Set" if changed else "Unchanged:"
    console.print(
        markup(
            "{verb} {email}'s quota for {p.label} ({p.start} to {p.end}): {v:,.2f}.",
            verb=verb,
            email=email,
            p=span,
            v=value,
        )
    )


@quotas_app.command("import")
def import_command(
    ctx: typer.Context,
    path: Annotated[
        Path, typer.Argument(help="CSV: email, period (or period_start, period_end), amount.")
    ],
    encoding: EncodingOption = None,
) -> None:
    """Set every quota of a CSV, all or nothing."""
    svc = services(ctx)
    with _writing(svc) as session:
        done = import_quotas(session, path, now=utc_now(), encoding=encoding)
        if done.problems:
            session.rollback()
    if done.problems:
        for line in done.problems[:20]:
            console.print(markup("  {line}", line=line))
        raise fail(f"{len(done.problems)} bad row(s) in {path.name}; no quota was saved.")
    console.print(markup("Quotas: {c} set, {u} unchanged.", c=done.changed, u=done.unchanged))


@deals_app.command("reassign")
def reassign_command(
    ctx: typer.Context,
    from_email: Annotated[str, typer.Option("--from", help="Whose deals move.")],
    to_email: Annotated[str, typer.Option("--to", help="Who gets them.")],
    include_closed: Annotated[
        bool, typer.Option("--include-closed", help="Move won and lost deals too.")
    ] = False,
    no_index: Annotated[
        bool, typer.Option("--no-index", help="Skip re-scoping their interactions in search.")
    ] = False,
) -> None:
    """Move a rep's open deals and open tasks to someone else; one audit row per deal."""
    svc = services(ctx)
    with _writing(svc) as session:
        done = reassign_deals(
            session, from_email, to_email, now=utc_now(), include_closed=include_closed
        )
    console.print(
        markup(
            "Moved {n} deal(s) and {t} open task(s) from {a} to {b}.",
            n=len(done.deals),
            t=done.tasks,
            a=from_email,
            b=to_email,
        )
    )
    if done.activity_ids and not no_index:
        try:
            index_ids(svc, done.activity_ids)
        except SearchUnavailableError as exc:
            raise fail(
                f"The deals moved, but the search index cannot be opened ({exc}); "
                "run `salesbot index`."
            ) from exc
