"""Confirming proposed changes in the CLI: each confirmation saves exactly the change shown.

One proposal: `--yes` or "Save this change?" saves it. Several (the agent proposes one per
question, so only an odd run gets here): at the prompt each is shown and asked about on its own,
and `--yes` saves none of them, since it cannot tell which one the user meant.
"""

from __future__ import annotations

import sys
import uuid
from typing import Any

import typer
from rich.text import Text

from bot.agent.answer import Answer
from bot.cli.common import console, err
from bot.cli.proposal import proposal_table
from bot.cli.text import markup
from bot.services import Services
from tools.artifacts import ArtifactType
from tools.context import utc_now
from tools.db import DBAPIError
from tools.models import AuditSurface
from tools.principal import Principal
from tools.writes.confirm import WriteOutcome, cancel_write, confirm_write

NOT_CONFIRMED_EXIT = 3  # a proposed change was left unsaved: said no, no terminal, or ambiguous
NOT_APPLIED = "Not saved: nothing is written without a confirmation. Run again with --yes."
MANY_WITH_YES = (
    "Not saved: {n} changes were proposed and --yes confirms exactly one change. Confirm them "
    "one at a time: ask for each change in its own `salesbot ask`, or use `salesbot chat`."
)
DONE = {"applied", "already_applied"}
UNSAVED = {"not_applied", "cancelled"}


def confirm_proposals(
    svc: Services, principal: Principal, answer: Answer, *, yes: bool, quiet: bool = False
) -> list[dict[str, Any]]:
    """Save what the user confirms of the answer's proposals; returns what became of each."""
    proposals = [
        a
        for a in answer.artifacts
        if a.get("type") == ArtifactType.WRITE_PROPOSAL and a.get("status") == "proposed"
    ]
    if yes and len(proposals) > 1:
        message = MANY_WITH_YES.format(n=len(proposals))
        _say(quiet, markup("[yellow]{message}[/yellow]", message=message))
        return [_unsaved(a, "not_applied", message) for a in proposals]
    return [
        _decide(svc, principal, a, yes=yes, quiet=quiet, shown=(i, len(proposals)))
        for i, a in enumerate(proposals, start=1)
    ]


def exit_code(results: list[dict[str, Any]]) -> int:
    """0 when every proposal was saved, 1 when one failed, 3 when one was left unsaved."""
    outcomes = {str(r["outcome"]) for r in results}
    if outcomes - DONE - UNSAVED:
        return 1
    return NOT_CONFIRMED_EXIT if outcomes & UNSAVED else 0


def _decide(
    svc: Services,
    principal: Principal,
    artifact: dict[str, Any],
    *,
    yes: bool,
    quiet: bool,
    shown: tuple[int, int],
) -> dict[str, Any]:
    if not yes and not sys.stdin.isatty():
        _say(quiet, markup("[yellow]{text}[/yellow]", text=NOT_APPLIED))
        return _unsaved(artifact, "not_applied", NOT_APPLIED)
    try:
        if not yes and not _ask(artifact, shown):
            cancel_write(svc.sessions, str(artifact["id"]), principal, now=utc_now())
            _say(quiet, markup("Cancelled; nothing was saved."))
            return _unsaved(artifact, "cancelled", "Cancelled; nothing was saved.")
        return _confirm(svc, principal, str(artifact["id"]), quiet)
    except DBAPIError as exc:
        message = database_failure(exc)
        err.print(markup("[red]error:[/red] {message}", message=message), soft_wrap=True)
        return {"id": str(artifact["id"]), "outcome": "database_error", "message": message}


def _ask(artifact: dict[str, Any], shown: tuple[int, int]) -> bool:
    number, total = shown
    if total == 1:  # its table is the last thing the answer printed
        return typer.confirm("Save this change?", default=False)
    console.print(markup("Change {number} of {total}:", number=number, total=total))
    console.print(proposal_table(artifact))
    return typer.confirm("Save this change?", default=False)


def _confirm(svc: Services, principal: Principal, write_id: str, quiet: bool) -> dict[str, Any]:
    outcome = confirm_write(
        svc.sessions,
        write_id,
        principal,
        f"cli:{uuid.uuid4()}",
        now=utc_now(),
        surface=AuditSurface.CLI,
        index=svc.index,
    )
    report(outcome, write_id, quiet, undo_as=principal.email)
    return {"id": write_id, "outcome": str(outcome.outcome), "message": outcome.message}


def database_failure(exc: DBAPIError, *, saving: bool = True) -> str:
    """A paragraph for a database that failed mid-command, saying what became of the change."""
    reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
    if "locked" in reason or "busy" in reason:
        return (
            "The database is busy (another program is writing to it), so nothing was changed. "
            "Try again in a moment."
        )
    if not saving:
        return (
            f"The database failed while answering ({reason}); nothing was changed. Check "
            "DATABASE_URL and that the database server is running, then ask again."
        )
    return (
        f"The database failed while saving ({reason}), so the change may not have been "
        "saved: `salesbot audit` shows whether it was. Check DATABASE_URL and that the server "
        "is running before asking again."
    )


def report(
    outcome: WriteOutcome, write_id: str, quiet: bool, *, undo_as: str | None = None
) -> None:
    if outcome.ok:
        hint = (
            f" Undo within 10 minutes: salesbot undo {write_id} --as {undo_as}" if undo_as else ""
        )
        _say(
            quiet,
            markup(
                "[green]{done}.[/green]{hint}", done=str(outcome.outcome).capitalize(), hint=hint
            ),
        )
    else:
        _say(quiet, markup("[red]{message}[/red]", message=outcome.message or ""))
    for warning in outcome.warnings:
        _say(quiet, markup("[yellow]{warning}[/yellow]", warning=warning))


def _unsaved(artifact: dict[str, Any], outcome: str, message: str) -> dict[str, Any]:
    return {"id": str(artifact["id"]), "outcome": outcome, "message": message}


def _say(quiet: bool, text: Text) -> None:
    if not quiet:
        console.print(text, soft_wrap=True)
