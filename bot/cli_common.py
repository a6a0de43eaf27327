"""Helpers shared by the CLI modules: consoles, errors, and building services."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.markup import escape

from bot.services import Services, SetupError
from tools.db import DatabaseURLError

console = Console()
err = Console(stderr=True)


def fail(message: str) -> typer.Exit:
    """Print a one-line error; raise the returned Exit."""
    # Escaped: driver errors carry text like "[parameters: ...]" that Rich would take as markup.
    err.print(f"[red]error:[/red] {escape(message)}", soft_wrap=True)
    return typer.Exit(code=1)


def services(ctx: typer.Context, *, migrated: bool = True) -> Services:
    """The Services built in the callback, checked to be usable."""
    svc: Services = ctx.obj
    try:
        if migrated:
            svc.check_database()
        else:
            svc.engine  # noqa: B018 - validates DATABASE_URL early
    except (SetupError, DatabaseURLError) as exc:
        raise fail(str(exc)) from exc
    return svc
