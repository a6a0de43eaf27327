"""Helpers shared by the CLI modules: consoles, errors, and building services."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

import typer
from pydantic import ValidationError
from pydantic_settings import SettingsError

from bot.cli.terminal import TerminalSafeFormatter
from bot.cli.text import SafeConsole, markup
from bot.services import Services, SetupError, first_line
from bot.settings import Settings
from bot.settings_errors import settings_problems
from tools.db import DatabaseURLError, SQLAlchemyError

console = SafeConsole()
err = SafeConsole(stderr=True)

EXIT_ERROR = 1  # the command could not do what was asked: bad setting, unknown user, DB down
EXIT_USAGE = 2  # bad usage (Click's own code), or the answer needs the user to choose


def say_error(message: str) -> None:
    """One line on stderr: "error: <message>", whitespace (a driver's newlines) collapsed."""
    line = markup("[red]error:[/red] {message}", message=" ".join(message.split()))
    err.print(line, soft_wrap=True)  # one line however narrow the terminal


def fail(message: str, code: int = EXIT_ERROR) -> typer.Exit:
    """Print a one-line error; raise the returned Exit."""
    say_error(message)
    return typer.Exit(code=code)


def configure_logging(level: str, fmt: str = "%(levelname)s %(name)s %(message)s") -> None:
    """Log to stderr through the sanitizer (`serve`, `nudges run`)."""
    handler = logging.StreamHandler()
    handler.setFormatter(TerminalSafeFormatter(fmt))
    logging.basicConfig(level=level.upper(), handlers=[handler])


def sanitize_stray_logs() -> None:
    """Commands that configure no logging still print warnings through Python's last-resort
    handler (an LLM failure, say): that one is sanitized too."""
    if logging.lastResort is not None:
        logging.lastResort.setFormatter(TerminalSafeFormatter())


@contextmanager
def database_errors(svc: Services) -> Iterator[None]:
    """A database that fails mid-command (server stopped, file gone) is one line, exit 1."""
    try:
        yield
    except SQLAlchemyError as exc:
        if "locked" in first_line(exc) or "busy" in first_line(exc):
            raise fail(
                "The database is busy (another program is writing to it), so nothing was "
                "changed. Try again in a moment."
            ) from exc
        raise fail(f"{svc.cannot_open()}: {first_line(exc)}. {svc.hint()}") from exc


AS_OF_HELP = "Answer as of this day (YYYY-MM-DD), from the data known then (default: today)."


def as_of_day(value: datetime | None) -> date | None:
    """The --as-of option's day."""
    return value.date() if value is not None else None


def load_settings() -> Settings:
    """Settings from the environment and `.env`; each bad one is a line naming the variable."""
    try:
        return Settings()
    except ValidationError as exc:
        for line in settings_problems(exc):
            say_error(line)
        raise typer.Exit(code=EXIT_ERROR) from exc
    except (SettingsError, OSError) as exc:
        raise fail(f"Cannot read the settings (environment or .env): {exc}") from exc


def services(ctx: typer.Context, *, migrated: bool = True, as_of: date | None = None) -> Services:
    """The Services for this command, built once, checked to be usable.

    Settings are read here, not when the CLI starts, so `--help` and usage errors never
    depend on them. `migrated=False` (commands that create the schema) may create the
    default data/ folder, and say so.
    """
    svc = ctx.obj if isinstance(ctx.obj, Services) else None
    if svc is None:
        settings = load_settings()
        if as_of is not None:  # --as-of wins over SALESBOT_AS_OF
            settings = settings.model_copy(update={"as_of": as_of})
        svc = ctx.obj = Services(settings)
    try:
        if migrated:
            svc.check_database()
        else:
            created = svc.prepare_database()
            if created is not None:
                note = markup("Created the folder {folder}/ for the database.", folder=created)
                err.print(note, soft_wrap=True)
    except (SetupError, DatabaseURLError) as exc:
        raise fail(str(exc)) from exc
    return svc
