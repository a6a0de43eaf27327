"""The CLI side of write-back: confirm proposals (`--yes`, or a prompt), undo, `salesbot audit`."""

from __future__ import annotations

import sys
import uuid
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from bot.agent.answer import Answer
from bot.cli_common import console, fail, services
from bot.cli_text import cells, echo_json, markup
from bot.services import Services
from tools.context import utc_now
from tools.models import AuditSurface
from tools.principal import Principal, UnknownUserError, get_principal_by_email
from tools.writes.audit import list_audit
from tools.writes.confirm import WriteOutcome, cancel_write, confirm_write, undo_write

YesOption = Annotated[
    bool, typer.Option("--yes", "-y", help="Confirm proposed CRM changes without asking.")
]
NOT_APPLIED = "Not saved: nothing is written without a confirmation. Run again with --yes."


def confirm_proposals(
    svc: Services, principal: Principal, answer: Answer, *, yes: bool, quiet: bool = False
) -> list[dict[str, Any]]:
    """Apply each proposal in the answer once the user says so; returns what became of each."""
    results = []
    for artifact in answer.artifacts:
        if artifact.get("type") == "write_proposal" and artifact.get("status") == "proposed":
            results.append(_decide(svc, principal, artifact, yes=yes, quiet=quiet))
    return results


def _decide(
    svc: Services, principal: Principal, artifact: dict[str, Any], *, yes: bool, quiet: bool
) -> dict[str, Any]:
    write_id = str(artifact["id"])
    if not yes and not sys.stdin.isatty():
        _say(quiet, markup("[yellow]{text}[/yellow]", text=NOT_APPLIED))
        return {"id": write_id, "outcome": "not_applied"}
    if not yes and not typer.confirm("Save this change?", default=False):
        cancel_write(svc.sessions, write_id, principal, now=utc_now())
        _say(quiet, markup("Cancelled; nothing was saved."))
        return {"id": write_id, "outcome": "cancelled"}
    outcome = confirm_write(
        svc.sessions,
        write_id,
        principal,
        f"cli:{uuid.uuid4()}",
        now=utc_now(),
        surface=AuditSurface.CLI,
        index=svc.index,
    )
    _report(outcome, write_id, quiet, undo_as=principal.email)
    return {"id": write_id, "outcome": str(outcome.outcome), "message": outcome.message}


def _report(
    outcome: WriteOutcome, write_id: str, quiet: bool, *, undo_as: str | None = None
) -> None:
    if outcome.ok:
        hint = (
            f" Undo within 10 minutes: salesbot undo {write_id} --as {undo_as}" if undo_as else ""
        )
        done = str(outcome.outcome).capitalize()
        _say(quiet, markup("[green]{done}.[/green]{hint}", done=done, hint=hint))
    else:
        _say(quiet, markup("[red]{message}[/red]", message=outcome.message))
    for warning in outcome.warnings:
        _say(quiet, markup("[yellow]{warning}[/yellow]", warning=warning))


def _say(quiet: bool, text: Text) -> None:
    if not quiet:
        console.print(text, soft_wrap=True)


def undo(
    ctx: typer.Context,
    write_id: Annotated[str, typer.Argument(help="The id printed when the change was saved.")],
    as_email: Annotated[str, typer.Option("--as", help="Email of the user who saved it.")],
) -> None:
    """Undo a change saved through salesbot, within 10 minutes, as the user who made it."""
    svc = services(ctx)
    with svc.sessions() as session:
        try:
            principal = get_principal_by_email(session, as_email)
        except UnknownUserError as exc:
            raise fail(str(exc)) from exc
    outcome = undo_write(
        svc.sessions,
        write_id,
        principal,
        f"cli:{uuid.uuid4()}",
        now=utc_now(),
        surface=AuditSurface.CLI,
        index=svc.index,
    )
    _report(outcome, write_id, False)
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
