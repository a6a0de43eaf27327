"""`salesbot tokens create|list|revoke --as EMAIL`: personal tokens for MCP clients.

The store is tools/api_tokens.py; a token acts as its user, with exactly that user's scope.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from bot.cli.common import console, database_errors, err, fail, services
from bot.cli.text import cells, echo_plain, markup
from bot.services import Services
from tools.api_tokens import DEFAULT_DAYS, create_token, list_tokens, revoke_token, token_status
from tools.context import utc_now
from tools.principal import Principal, UnknownUserError, get_principal_by_email

tokens_app = typer.Typer(
    help="Personal tokens for MCP clients (Claude Desktop, IDEs).", no_args_is_help=True
)
AsOption = Annotated[str, typer.Option("--as", help="Email of the CRM user the token acts as.")]


def _principal(svc: Services, email: str) -> Principal:
    with database_errors(svc), svc.sessions() as session:
        try:
            return get_principal_by_email(session, email)
        except UnknownUserError as exc:
            raise fail(str(exc)) from exc


@tokens_app.command("create")
def create_command(
    ctx: typer.Context,
    as_email: AsOption,
    name: Annotated[str, typer.Option(help="A label, e.g. 'Claude Desktop on my laptop'.")] = "mcp",
    days: Annotated[int, typer.Option(help="Days until it expires (1-366).")] = DEFAULT_DAYS,
) -> None:
    """Create a token; it is printed once and stored only as a hash."""
    svc = services(ctx)
    principal = _principal(svc, as_email)
    with database_errors(svc), svc.sessions.begin() as session:
        try:
            new = create_token(session, principal, name=name, days=days, now=utc_now())
        except ValueError as exc:
            raise fail(str(exc)) from exc
    err.print(
        markup(
            "Token {prefix}… for {email}, expires {day:%Y-%m-%d}. Copy it now: "
            "it is not shown again.",
            prefix=new.prefix,
            email=principal.email,
            day=new.expires_at,
        ),
        soft_wrap=True,
    )
    echo_plain(new.secret)  # alone on stdout, so `$(salesbot tokens create ...)` captures it


@tokens_app.command("list")
def list_command(ctx: typer.Context, as_email: AsOption) -> None:
    """The user's tokens: prefix, name, status, created, expires, last used."""
    svc = services(ctx)
    principal = _principal(svc, as_email)
    now = utc_now()
    table = Table(title=markup("tokens of {email}", email=principal.email))
    for col in ("Prefix", "Name", "Status", "Created", "Expires", "Last used"):
        table.add_column(col)
    with database_errors(svc), svc.sessions() as session:
        for row in list_tokens(session, principal):
            used = f"{row.last_used_at:%Y-%m-%d %H:%M}" if row.last_used_at else "never"
            table.add_row(
                *cells(
                    row.prefix,
                    row.name,
                    token_status(row, now),
                    f"{row.created_at:%Y-%m-%d}",
                    f"{row.expires_at:%Y-%m-%d}",
                    used,
                )
            )
    console.print(table)


@tokens_app.command("revoke")
def revoke_command(
    ctx: typer.Context,
    prefix: Annotated[str, typer.Argument(help="The token's prefix, as `tokens list` shows it.")],
    as_email: AsOption,
) -> None:
    """Revoke one of the user's tokens at once; clients using it are refused from then on."""
    svc = services(ctx)
    principal = _principal(svc, as_email)
    with database_errors(svc), svc.sessions.begin() as session:
        done = revoke_token(session, principal, prefix.rstrip("…"), now=utc_now())
    if not done:
        raise fail(
            f"{principal.email} has no active token starting {prefix!r}; "
            "see `salesbot tokens list`."
        )
    console.print(markup("Revoked {prefix}.", prefix=prefix))
