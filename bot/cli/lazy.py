"""Commands imported when they run: `salesbot --help` lists them without loading any of them.

Each command's module pulls in SQLAlchemy, LangChain, Slack and the like; listing the commands
needs only their names and one line of help, kept beside the name in `LazyCommand`. The line is
checked against the command's own docstring by tests/cli/test_cli_startup.py.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

import typer
import typer.main
from typer import _click as click  # Typer 0.29 carries its own Click; its groups use that one
from typer.core import TyperCommand, TyperGroup


@dataclass(frozen=True, slots=True)
class LazyCommand:
    """A command (a function) or a command group (a `typer.Typer`) at `module:attribute`."""

    name: str
    target: str
    help: str

    def load(self) -> click.Command:
        module, _, attribute = self.target.partition(":")
        found = getattr(importlib.import_module(module), attribute)
        if isinstance(found, typer.Typer):
            return typer.main.get_group(found)
        single = typer.Typer()
        single.command(self.name)(found)
        return typer.main.get_command(single)


class LazyGroup(TyperGroup):
    """A Typer group whose `LAZY` commands are imported on first use, not to list them."""

    LAZY: tuple[LazyCommand, ...] = ()
    _listing = False  # while help is drawn, a command is its name and help line only

    def list_commands(self, ctx: click.Context) -> list[str]:
        eager = super().list_commands(ctx)
        return [*eager, *(c.name for c in self.LAZY if c.name not in eager)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        found = super().get_command(ctx, cmd_name)
        lazy = next((c for c in self.LAZY if c.name == cmd_name), None)
        if found is not None or lazy is None:
            return found
        if self._listing:
            return TyperCommand(cmd_name, help=lazy.help, short_help=lazy.help)
        command = lazy.load()
        self.add_command(command, cmd_name)
        return command

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False
