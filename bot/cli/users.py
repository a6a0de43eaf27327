"""`salesbot users`: list, add, set, deactivate, activate, import and link-slack."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.table import Table
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.cli.common import console, database_errors, fail, services
from bot.cli.text import cells, markup
from bot.services import Services
from tools.context import utc_now
from tools.crm.users import list_users_with_managers
from tools.db import Session
from tools.models import Role
from tools.team.import_users import import_people
from tools.team.people import Person, TeamError, add_user, parse_role, update_user
from tools.team.slack_link import Member, link_members
from tools.team.user_files import read_users

T = TypeVar("T")
users_app = typer.Typer(
    help="CRM users: list them (no sub-command), add, change, deactivate, import, link to Slack.",
    invoke_without_command=True,
)
RoleOption = Annotated[str | None, typer.Option("--role", help="rep, manager or admin.")]
ManagerOption = Annotated[
    str | None, typer.Option("--manager", help="Their manager's email ('' for none).")
]
TimezoneOption = Annotated[
    str | None, typer.Option("--timezone", help="IANA zone, e.g. America/New_York.")
]
NameOption = Annotated[str | None, typer.Option("--name", help="Full name.")]
EncodingOption = Annotated[
    str | None, typer.Option("--encoding", help="The file's encoding (default: detected).")
]


@users_app.callback()
def users(ctx: typer.Context) -> None:
    """List CRM users with their role (and whether deactivated), manager, timezone and Slack id."""
    if ctx.invoked_subcommand is not None:
        return
    svc = services(ctx)
    table = Table(title="salesbot users")
    table.add_column("Email", no_wrap=True)  # whole, so it can be copied into `users set`
    for col in ("Name", "Role", "Manager", "Timezone", "Slack user"):
        table.add_column(col)
    with database_errors(svc), svc.sessions() as session:
        rows = list_users_with_managers(session)
        shown = [
            (
                u.email,
                u.name,
                u.role.value + ("" if u.active else " (deactivated)"),
                m or "",
                u.timezone,
                u.slack_user_id or "not linked yet",
            )
            for u, m in rows
        ]
    for row in shown:
        table.add_row(*cells(*row))  # CRM text is shown, never obeyed as markup
    console.print(table)


@contextmanager
def _writing(svc: Services) -> Iterator[Session]:
    with database_errors(svc), svc.sessions.begin() as session:
        try:
            yield session
        except TeamError as exc:
            raise fail(str(exc)) from exc


def _role(text: str | None) -> Role | None:
    try:
        return parse_role(text) if text is not None else None
    except TeamError as exc:
        raise fail(str(exc)) from exc


@users_app.command("add")
def add_command(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="Their work email (the Slack one).")],
    name: NameOption = None,
    role: RoleOption = None,
    manager: ManagerOption = None,
    timezone: TimezoneOption = None,
) -> None:
    """Add a user; defaults: role rep, timezone UTC, no manager."""
    svc = services(ctx)
    person = Person(email, name, _role(role), manager, timezone)
    with _writing(svc) as session:
        user = add_user(session, person, now=utc_now())
        line = markup(
            "Added {u.name} <{u.email}> ({role}, {u.timezone}).", u=user, role=user.role.value
        )
    console.print(line)


@users_app.command("set")
def set_command(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="The user's email.")],
    name: NameOption = None,
    role: RoleOption = None,
    manager: ManagerOption = None,
    timezone: TimezoneOption = None,
) -> None:
    """Change a user's name, role, manager or timezone."""
    _update(ctx, Person(email, name, _role(role), manager, timezone), "Updated")


@users_app.command("deactivate")
def deactivate_command(
    ctx: typer.Context, email: Annotated[str, typer.Argument(help="The user's email.")]
) -> None:
    """Deactivate a user: no nudges, no questions; their manager still sees their book
    (move it with `salesbot deals reassign`)."""
    _update(ctx, Person(email, active=False), "Deactivated")


@users_app.command("activate")
def activate_command(
    ctx: typer.Context, email: Annotated[str, typer.Argument(help="The user's email.")]
) -> None:
    """Activate a deactivated user again."""
    _update(ctx, Person(email, active=True), "Activated")


def _update(ctx: typer.Context, person: Person, verb: str) -> None:
    svc = services(ctx)
    with _writing(svc) as session:
        user, changed = update_user(session, person, now=utc_now())
        email = user.email
    if changed:
        console.print(markup("{verb} {email}.", verb=verb, email=email))
    else:
        console.print(markup("{email} already had those values; nothing changed.", email=email))


@users_app.command("import")
def import_command(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Users files: CSV, User.csv, HubSpot.")],
    encoding: EncodingOption = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Report; write nothing.")] = False,
) -> None:
    """Add or update users from a generic CSV (email, name, role, manager_email, timezone,
    active), Salesforce User.csv (ManagerId, TimeZoneSidKey, IsActive) or HubSpot's users
    export (with its teams export for managers)."""
    svc = services(ctx)
    try:
        found = read_users(paths, encoding)
    except TeamError as exc:
        raise fail(str(exc)) from exc
    with _writing(svc) as session:
        done = import_people(session, found, now=utc_now())
        if dry_run:
            session.rollback()
    print_users_report(
        found.kind,
        len(found.people),
        done.summary(),
        found.skipped,
        done.problems,
        found.duplicates,
        dry_run=dry_run,
    )


def print_users_report(
    kind: str,
    people: int,
    summary: str,
    skipped: list[str],
    problems: list[str],
    duplicates: dict[str, list[str]],
    *,
    dry_run: bool = False,
) -> None:
    head = "Would import" if dry_run else "Imported"
    console.print(
        markup(
            "{head} {n} people ({kind}): {summary}.",
            head=head,
            n=people,
            kind=kind,
            summary=summary,
        )
    )
    if duplicates:
        console.print(
            markup(
                "[yellow]{n} email(s) were shared by several users; one was kept:[/yellow]",
                n=len(duplicates),
            )
        )
        for email, names in list(duplicates.items())[:10]:
            console.print(markup("  {email}: also {names}", email=email, names=", ".join(names)))
    for line in (skipped + problems)[:20]:
        console.print(markup("  [yellow]skipped[/yellow] {line}", line=line))
    if len(skipped + problems) > 20:
        console.print(markup("  ... and {n} more", n=len(skipped + problems) - 20))


@users_app.command("link-slack")
def link_slack_command(ctx: typer.Context) -> None:
    """Link every active user to the workspace member with the same email (users.list)."""
    svc = services(ctx)
    s = svc.settings
    if not s.slack_bot_token:
        raise fail("SLACK_BOT_TOKEN is not set; the bot token (users:read.email) lists members.")
    client = WebClient(token=s.slack_bot_token, base_url=s.slack_api_url)
    members = _slack_call(lambda: list(_members(client)), s.slack_api_url)
    with _writing(svc) as session:
        done = link_members(session, members, now=utc_now())
    console.print(
        markup(
            "Linked {n} user(s) to Slack; {already} already linked; {m} workspace member(s) read.",
            n=len(done.linked),
            already=done.already,
            m=len(members),
        )
    )
    if done.unmatched:
        shown = ", ".join(done.unmatched[:10]) + (" ..." if len(done.unmatched) > 10 else "")
        console.print(
            markup(
                "[yellow]{n} user(s) have no Slack member with their email:[/yellow] {shown}",
                n=len(done.unmatched),
                shown=shown,
            )
        )


def _slack_call(call: Callable[[], T], url: str) -> T:
    try:
        return call()
    except SlackApiError as exc:
        raise fail(f"Slack refused users.list at {url}: {exc.response.get('error')}") from exc
    except OSError as exc:
        raise fail(f"Cannot reach Slack at {url}: {exc}") from exc


def _members(client: WebClient) -> Iterator[Member]:
    for page in client.users_list(limit=200):
        for member in page.get("members", []):
            email = (member.get("profile") or {}).get("email")
            if email and not member.get("deleted") and not member.get("is_bot"):
                yield Member(member["id"], email)
