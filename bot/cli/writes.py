"""The CLI side of write-back: `--yes`, `salesbot confirm` (a proposal made elsewhere, e.g. over
MCP), `salesbot undo` and `salesbot audit` (`ask` confirms in bot/cli/confirm.py)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import typer
from rich.table import Table

from bot.cli.common import console, fail, services
from bot.cli.confirm import database_failure, report
from bot.cli.text import cells, echo_json, markup
from tools.audit import list_audit
from tools.context import utc_now
from tools.db import DBAPIError
from tools.models import AuditSurface
from tools.principal import UnknownUserError, get_principal_by_email
from tools.writes.confirm import confirm_write, undo_write

YesOption = Annotated[
    bool, typer.Option("--yes", "-y", help="Confirm proposed CRM changes without asking.")
]


def undo(
    ctx: typer.Context,
    write_id: Annotated[str, typer.Argument(help="The id printed when the change was saved.")],
    as_email: Annotated[str, typer.Option("--as", help="Email of the user who saved it.")],
) -> None:
    """Undo a change saved through salesbot, within 10 minutes, as the user who made it."""
    _settle(ctx, write_id, as_email, undo_write, undo_as=False)


def confirm(
    ctx: typer.Context,
    write_id: Annotated[str, typer.Argument(help="The proposal's id (an MCP client shows it).")],
    as_email: Annotated[str, typer.Option("--as", help="Email of the user who proposed it.")],
) -> None:
    """Save a proposed change (from an MCP client, say) as the user who proposed it."""
    _settle(ctx, write_id, as_email, confirm_write, undo_as=True)


def _settle(ctx: typer.Context, write_id: str, as_email: str, act: Any, *, undo_as: bool) -> None:
    """Confirm or undo `write_id` as `as_email`, from the CLI; exit 1 when it was refused."""
    svc = services(ctx)
    with svc.sessions() as session:
        try:
            principal = get_principal_by_email(session, as_email)
        except UnknownUserError as exc:
            raise fail(str(exc)) from exc
    try:
        outcome = act(
            svc.sessions,
            write_id,
            principal,
            f"cli:{uuid.uuid4()}",
            now=utc_now(),
            surface=AuditSurface.CLI,
            index=svc.index,
        )
    except DBAPIError as exc:
        raise fail(database_failure(exc)) from exc
    if undo_as:
        report(outcome, write_id, False, undo_as=principal.email)
    else:
        report(outcome, write_id, False)
    if not outcome.ok:
        raise typer.Exit(code=1)


def audit(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(help="How many rows, newest first.")] = 20,
    entity: Annotated[str | None, typer.Option(help="Only this entity: deal, activity…")] = None,
    as_json: Annotated[bool, typer.Option("--as-json", help="Print JSON rows.")] = False,
) -> None:
    """List the audit log: who changed what, when, from where, before and after."""
    svc = services(ctx)
    with svc.sessions() as session:
        rows = list_audit(session, limit=limit, entity=entity)
    if as_json:
        echo_json(rows)
        return
    title = markup("Audit log ({n} rows, newest first)", n=len(rows))
    table = Table(title=title, title_justify="left")
    for column in ("When (UTC)", "Who", "Action", "Entity", "Surface", "Before", "After"):
        table.add_column(column)
    for r in rows:
        table.add_row(
            *cells(
                (r["when"] or "")[:19].replace("T", " "),
                r["actor"] or "—",
                r["action"],
                f"{r['entity']} {r['entity_id']}",
                r["surface"],
                _compact(r["before"]),
                _compact(r["after"]),
            )
        )
    console.print(table)


def _compact(values: dict[str, Any] | None) -> str:
    if not values:
        return "—"
    return ", ".join(f"{k}: {v}" for k, v in values.items())
