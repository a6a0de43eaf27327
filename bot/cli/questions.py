"""The commands that ask and load: seed-demo, index, ask, chat, demo and `db upgrade`.

Imported when one of them runs (bot/cli/app.py lists them without importing this)."""

from __future__ import annotations

import time
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer

from bot.agent.answer import Answer, Choice
from bot.agent.choices import chosen
from bot.agent.runner import History
from bot.cli.charts import ChartsOption, print_saved_charts
from bot.cli.common import (
    AS_OF_HELP,
    EXIT_USAGE,
    as_of_day,
    console,
    database_errors,
    err,
    fail,
    services,
)
from bot.cli.confirm import confirm_proposals, database_failure, exit_code
from bot.cli.index import index_all
from bot.cli.render import print_artifacts
from bot.cli.text import echo_json, markup, prose
from bot.cli.writes import YesOption
from bot.services import Services, first_line
from tools.crm.users import count_users
from tools.db import DBAPIError, upgrade
from tools.demo import seed_demo
from tools.interactions import when_model_loads
from tools.principal import Principal, UnknownUserError, get_principal_by_email

db_app = typer.Typer(help="Database schema chores.", no_args_is_help=True)

DEMO_USER = "dana@demo.salesbot.dev"
EXAMPLES = (
    "what should I do today?",
    "how is the Acme deal going?",
    "show my deals closing this quarter over 50k",
    "what did Globex say about pricing?",
    "how's my pipeline this quarter?",
)
AsOption = Annotated[str, typer.Option("--as", help="Email of the CRM user to ask as.")]
AsOfOption = Annotated[
    datetime | None, typer.Option("--as-of", formats=["%Y-%m-%d"], help=AS_OF_HELP)
]


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Create or migrate the CRM tables in DATABASE_URL."""
    svc = services(ctx, migrated=False)
    _upgrade(svc)
    console.print(markup("Database at {url} is up to date.", url=svc.shown_url()))


def _upgrade(svc: Services) -> None:
    try:
        upgrade(svc.engine)
    except Exception as exc:  # a bad host or permission surfaces as many driver types
        raise fail(f"Cannot migrate {svc.shown_url()}: {first_line(exc)}. {svc.hint()}") from exc


def seed_demo_command(
    ctx: typer.Context,
    seed: Annotated[int, typer.Option(help="Random seed; same seed, same data.")] = 7,
    today: Annotated[
        datetime | None,
        typer.Option(
            "--today",
            formats=["%Y-%m-%d"],
            help="Anchor the demo at this date instead of today (the README's figures use one).",
        ),
    ] = None,
) -> None:
    """Migrate DATABASE_URL, load the demo CRM dated around today, and index its interactions."""
    svc = services(ctx, migrated=False)
    _upgrade(svc)
    started = time.perf_counter()
    with svc.sessions.begin() as session:
        try:
            anchor = today.date() if today else date.today()
            summary = seed_demo(session, seed=seed, today=anchor)
        except ValueError as exc:
            raise fail(str(exc)) from exc
    loaded = time.perf_counter() - started
    if summary.created:
        loaded_line = markup(
            "Loaded {s.users} users, {s.accounts} accounts, {s.deals} deals, "
            "{s.activities} activities, {s.tasks} tasks in {loaded:.1f}s.",
            s=summary,
            loaded=loaded,
        )
        console.print(loaded_line)
    else:
        console.print("The demo data is already loaded; nothing was duplicated.")
    index_all(svc)


def index_command(
    ctx: typer.Context,
    full: Annotated[
        bool, typer.Option("--full", help="Drop this database's index and embed everything again.")
    ] = False,
) -> None:
    """Bring the interaction search index in step with the database: new, changed, deleted."""
    index_all(services(ctx), full=full)


def _principal(svc: Services, email: str) -> Principal:
    with database_errors(svc), svc.sessions() as session:
        try:
            return get_principal_by_email(session, email)
        except UnknownUserError as exc:
            raise fail(
                f"{exc} Use the email of a user in the CRM "
                f"(demo users: {DEMO_USER}, morgan@demo.salesbot.dev)."
            ) from exc


def print_answer(answer: Answer) -> None:
    if answer.notice:
        console.print(markup("[yellow]{notice}[/yellow]", notice=answer.notice))
    console.print(prose(answer.text or "(no answer)"))
    print_artifacts(console, answer.artifacts)


def ask(
    ctx: typer.Context,
    question: Annotated[str, typer.Argument(help="Your question, in plain words.")],
    as_email: AsOption,
    as_json: Annotated[bool, typer.Option("--json", help="Print text, artifacts, calls.")] = False,
    yes: YesOption = False,
    charts: ChartsOption = None,
    as_of: AsOfOption = None,
) -> None:
    """Ask one question as a CRM user and print the answer; a proposed change asks first.

    Exit code 0 when done, 1 on an error, 2 when the answer needs a choice, 3 when a proposed
    change was left unsaved.
    """
    if not question.strip():
        raise typer.BadParameter("is empty; ask something in words.", param_hint="QUESTION")
    svc = services(ctx, as_of=as_of_day(as_of))
    principal = _principal(svc, as_email)
    answer = _answer(svc, principal, question)
    if as_json:
        writes = confirm_proposals(svc, principal, answer, yes=yes, quiet=True)
        echo_json({**answer.to_dict(), "writes": writes})
    else:
        print_answer(answer)
        writes = confirm_proposals(svc, principal, answer, yes=yes)
    print_saved_charts(charts, answer.artifacts, to_stderr=as_json)
    if code := exit_code(writes):
        raise typer.Exit(code=code)
    if needs_choice(answer):
        raise typer.Exit(code=EXIT_USAGE)


def _answer(svc: Services, principal: Principal, question: str, history: History = ()) -> Answer:
    with database_errors(svc), when_model_loads(say_loading):
        return svc.runner.ask(principal, question, history)


def say_loading() -> None:
    """Before the first search of this process waits for the embedding model."""
    err.print("Loading the search model (the first search only; a few seconds)...")


def needs_choice(answer: Answer) -> bool:
    """The answer asks the user to pick ("did you mean A or B?"): not done, their turn."""
    return bool(answer.choices)


def chat(
    ctx: typer.Context, as_email: AsOption, charts: ChartsOption = None, as_of: AsOfOption = None
) -> None:
    """Chat as a CRM user; the conversation is kept until you type `exit`."""
    svc = services(ctx, as_of=as_of_day(as_of))
    _chat(svc, _principal(svc, as_email), charts)


def _chat(svc: Services, principal: Principal, charts: Path | None = None) -> None:
    history: list[tuple[str, str]] = []
    choices: list[Choice] = []
    console.print(
        markup(
            "Chatting as [b]{name}[/b] ({role}). Type `exit` to leave.",
            name=principal.name,
            role=principal.role.value,
        )
    )
    while True:
        try:
            question = console.input(markup("[b cyan]you>[/b cyan] ")).strip()
        except (EOFError, KeyboardInterrupt):
            console.print()
            return
        if question.lower() in {"exit", "quit", "bye"}:
            return
        if not question:
            continue
        # "2" after "Did you mean: 1. ... 2. ...": what that choice asks, as if typed.
        picked = chosen(question, choices)
        try:
            with when_model_loads(say_loading):
                answer = svc.runner.ask(principal, picked.reply if picked else question, history)
        except DBAPIError as exc:  # the next question may find the database free again
            message = database_failure(exc, saving=False)
            err.print(markup("[red]error:[/red] {message}", message=message), soft_wrap=True)
            continue
        print_answer(answer)
        confirm_proposals(svc, principal, answer, yes=False)
        history += [("user", question), ("assistant", answer.text)]
        choices = answer.choices
        print_saved_charts(charts, answer.artifacts, prefix=f"{len(history) // 2:02d}-")


def demo(ctx: typer.Context) -> None:
    """Load the demo CRM when the database is empty, then chat as a demo rep."""
    svc = services(ctx, migrated=False)
    _upgrade(svc)
    with svc.sessions() as session:
        empty = not count_users(session)
    if empty:
        seed_demo_command(ctx)
    else:
        index_all(svc)
    console.print(markup("Try: [i]{examples}[/i]", examples=" · ".join(EXAMPLES)))
    _chat(svc, _principal(svc, DEMO_USER))
