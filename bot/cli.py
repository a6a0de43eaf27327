"""The `salesbot` command line: seed, ask, chat, demo and database chores."""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.markdown import Markdown
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError

from bot.agent.answer import Answer
from bot.cli_charts import ChartsOption, print_saved_charts
from bot.cli_common import console, err, fail, services
from bot.cli_confirm import confirm_proposals, database_failure, exit_code
from bot.cli_import import import_command
from bot.cli_nudges import nudges_app
from bot.cli_render import print_artifacts
from bot.cli_slack import serve, users
from bot.cli_writes import YesOption, audit, undo
from bot.services import Services
from bot.settings import Settings
from tools.crm.activities import count_activities
from tools.db import upgrade
from tools.demo import seed_demo
from tools.indexing import index_activities
from tools.interactions import SearchUnavailableError
from tools.models import User
from tools.principal import Principal, UnknownUserError, get_principal_by_email

app = typer.Typer(help="salesbot: your CRM, in plain words.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema chores.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(nudges_app, name="nudges")
app.command()(serve)
app.command()(users)
app.command()(audit)
app.command()(undo)
app.command("import")(import_command)

DEMO_USER = "dana@demo.salesbot.dev"
EXAMPLES = (
    "what should I do today?",
    "how is the Acme deal going?",
    "show my deals closing this quarter over 50k",
    "what did Globex say about pricing?",
    "how's my pipeline this quarter?",
)
AsOption = Annotated[str, typer.Option("--as", help="Email of the CRM user to ask as.")]


@app.callback()
def main(ctx: typer.Context) -> None:
    """Settings are read once, here, from the environment and `.env`."""
    ctx.obj = Services(Settings())


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Create or migrate the CRM tables in DATABASE_URL."""
    svc = services(ctx, migrated=False)
    _upgrade(svc)
    console.print(f"Database at {svc.engine.url.render_as_string()} is up to date.")


def _upgrade(svc: Services) -> None:
    try:
        upgrade(svc.engine)
    except Exception as exc:  # a bad host or permission surfaces as many driver types
        raise fail(f"Cannot migrate {svc.engine.url.render_as_string()}: {exc}") from exc


@app.command("seed-demo")
def seed_demo_command(
    ctx: typer.Context,
    seed: Annotated[int, typer.Option(help="Random seed; same seed, same data.")] = 7,
) -> None:
    """Migrate DATABASE_URL, load the demo CRM dated around today, and index its interactions."""
    svc = services(ctx, migrated=False)
    _upgrade(svc)
    started = time.perf_counter()
    with svc.sessions.begin() as session:
        try:
            summary = seed_demo(session, seed=seed, today=date.today())
        except ValueError as exc:
            raise fail(str(exc)) from exc
    loaded = time.perf_counter() - started
    if summary.created:
        console.print(
            f"Loaded {summary.users} users, {summary.accounts} accounts, "
            f"{summary.deals} deals, {summary.activities} activities, "
            f"{summary.tasks} tasks in {loaded:.1f}s."
        )
    else:
        console.print("The demo data is already loaded; nothing was duplicated.")
    _index_all(svc)


def _index_all(svc: Services) -> None:
    try:
        _index_missing(svc)
    except SearchUnavailableError as exc:
        raise fail(
            "Cannot open the interaction search store; check CHROMA_PATH (or CHROMA_HOST "
            f"and CHROMA_PORT), then run `salesbot index`. Cause: {exc}"
        ) from exc


def _index_missing(svc: Services) -> None:
    started = time.perf_counter()
    with svc.sessions() as session:
        total = count_activities(session)
        if svc.index.count() >= total:
            console.print(f"All {total} interactions are already indexed.")
            return
        columns = (
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console) as progress:
            task = progress.add_task("Indexing interactions", total=total)
            done = index_activities(
                session, svc.index, on_progress=lambda n: progress.advance(task, n)
            )
    console.print(f"Indexed {done} interactions in {time.perf_counter() - started:.1f}s.")


@app.command("index")
def index_command(ctx: typer.Context) -> None:
    """Re-index every activity into the interaction search store."""
    _index_all(services(ctx))


def _principal(svc: Services, email: str) -> Principal:
    with svc.sessions() as session:
        try:
            return get_principal_by_email(session, email)
        except UnknownUserError as exc:
            raise fail(
                f"{exc} Use the email of a user in the CRM "
                f"(demo users: {DEMO_USER}, morgan@demo.salesbot.dev)."
            ) from exc


def print_answer(answer: Answer) -> None:
    if answer.notice:
        console.print(f"[yellow]{answer.notice}[/yellow]")
    console.print(Markdown(answer.text or "(no answer)"))
    print_artifacts(console, answer.artifacts)


@app.command()
def ask(
    ctx: typer.Context,
    question: Annotated[str, typer.Argument(help="Your question, in plain words.")],
    as_email: AsOption,
    as_json: Annotated[bool, typer.Option("--json", help="Print text, artifacts, calls.")] = False,
    yes: YesOption = False,
    charts: ChartsOption = None,
) -> None:
    """Ask one question as a CRM user and print the answer; a proposed change asks first.

    Exit code 0 when done, 1 on an error, 3 when a proposed change was left unsaved.
    """
    svc = services(ctx)
    principal = _principal(svc, as_email)
    try:
        answer = svc.runner.ask(principal, question)
    except DBAPIError as exc:
        raise fail(database_failure(exc, saving=False)) from exc
    if as_json:
        writes = confirm_proposals(svc, principal, answer, yes=yes, quiet=True)
        typer.echo(json.dumps({**answer.to_dict(), "writes": writes}, indent=2, default=str))
    else:
        print_answer(answer)
        writes = confirm_proposals(svc, principal, answer, yes=yes)
    print_saved_charts(charts, answer.artifacts, to_stderr=as_json)
    if code := exit_code(writes):
        raise typer.Exit(code=code)


@app.command()
def chat(ctx: typer.Context, as_email: AsOption, charts: ChartsOption = None) -> None:
    """Chat as a CRM user; the conversation is kept until you type `exit`."""
    svc = services(ctx)
    _chat(svc, _principal(svc, as_email), charts)


def _chat(svc: Services, principal: Principal, charts: Path | None = None) -> None:
    history: list[tuple[str, str]] = []
    console.print(
        f"Chatting as [b]{principal.name}[/b] ({principal.role.value}). Type `exit` to leave."
    )
    while True:
        try:
            question = console.input("[b cyan]you>[/b cyan] ").strip()
        except (EOFError, KeyboardInterrupt):
            console.print()
            return
        if question.lower() in {"exit", "quit", "bye"}:
            return
        if not question:
            continue
        try:
            answer = svc.runner.ask(principal, question, history)
        except DBAPIError as exc:  # the next question may find the database free again
            err.print(
                f"[red]error:[/red] {escape(database_failure(exc, saving=False))}", soft_wrap=True
            )
            continue
        print_answer(answer)
        confirm_proposals(svc, principal, answer, yes=False)
        history += [("user", question), ("assistant", answer.text)]
        print_saved_charts(charts, answer.artifacts, prefix=f"{len(history) // 2:02d}-")


@app.command()
def demo(ctx: typer.Context) -> None:
    """Load the demo CRM when the database is empty, then chat as a demo rep."""
    svc = services(ctx, migrated=False)
    _upgrade(svc)
    with svc.sessions() as session:
        empty = not session.scalar(select(func.count()).select_from(User))
    if empty:
        seed_demo_command(ctx)
    else:
        _index_all(svc)
    console.print("Try: " + " · ".join(f"[i]{q}[/i]" for q in EXAMPLES))
    _chat(svc, _principal(svc, DEMO_USER))
