"""The one way CLI output reaches the terminal: Rich consoles that never obey what they print.

Two layers, so that neither a forgotten call site nor Rich markup can let CRM text drive the
terminal:
- Builders for every non-literal piece of output: `safe` (text, as written), `cell` (a table
  cell: tabs become spaces), `markup` (a literal Rich markup template whose `{}` fields are
  filled with escaped, sanitized values), `prose` (the answer's Markdown, links shown as
  "text (url)"), `echo_json`. They sanitize before Rich measures, so tables keep their widths.
- `SafeConsole`, the only console the CLI uses: markup and emoji codes are off unless a
  builder asked for them, and every segment it renders passes through `sanitize_terminal`
  with any hyperlink style removed, so nothing unsanitized reaches the terminal even if a call
  site skips the builders. Control segments (cursor moves of progress bars) are Rich's own.
tests/test_cli_output_layout.py checks the CLI modules use only these.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from typing import Any

import typer
from rich.console import Console, ConsoleOptions, RenderableType
from rich.markdown import Markdown
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    ProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.segment import Segment
from rich.text import Text

from bot.cli.terminal import is_terminal_safe, sanitize_terminal, terminal_json


class SafeConsole(Console):
    """A Rich console whose every rendered segment is sanitized and link-free."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(markup=False, emoji=False, **kwargs)
        if "width" not in kwargs:
            # Rich freezes COLUMNS at construction; this console is built at import, so read
            # the width (terminal size or COLUMNS) when printing instead.
            self._width = None

    def render(
        self, renderable: RenderableType, options: ConsoleOptions | None = None
    ) -> Iterable[Segment]:
        for segment in super().render(renderable, options):
            yield segment if segment.control else _defused(segment)


def _defused(segment: Segment) -> Segment:
    style = segment.style
    if style is not None and style.link:
        style = style.update_link(None)
    text = segment.text if is_terminal_safe(segment.text) else sanitize_terminal(segment.text)
    return Segment(text, style)


def safe(value: object, style: str = "") -> Text:
    """CRM, model or user text exactly as written: no markup, no terminal controls."""
    return Text(sanitize_terminal(value), style=style)


def cell(value: object, style: str = "") -> Text:
    """`safe` for a table cell: tabs become spaces so columns line up."""
    return Text(sanitize_terminal(value, expand_tabs=True), style=style)


def cells(*values: object) -> list[Text]:
    """A table row: Text (from markup() or safe()) kept, anything else made a `cell`."""
    return [v if isinstance(v, Text) else cell(v) for v in values]


class _EscapingFormatter(string.Formatter):
    def format_field(self, value: Any, format_spec: str) -> str:
        return escape(sanitize_terminal(format(value, format_spec)))


_FORMATTER = _EscapingFormatter()


def markup(template: str, /, **values: object) -> Text:
    """Rich markup written in the code (a literal), its `{name}` fields filled with values
    that are shown as written: "[/]" or "[link=...]" in a value is text, not a tag."""
    return Text.from_markup(_FORMATTER.format(template, **values), emoji=False)


def prose(text: str) -> Markdown:
    """The answer's words as Markdown; a link shows its address instead of hiding it. Each line
    stays a line: a heading or "Won: ..." never runs into the line before it."""
    return Markdown(keep_lines(sanitize_terminal(text)), hyperlinks=False)


_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")


def keep_lines(text: str) -> str:
    """Markdown in which every line break of `text` shows: a hard break ends each line of a
    paragraph, and a blank line ends a list before a line that is not an item."""
    out: list[str] = []
    fenced = False
    for line in text.split("\n"):
        fence = line.lstrip().startswith("```")
        prev = out[-1] if out else ""
        if not (fenced or fence) and prev.strip() and line.strip() and not line.startswith(" "):
            if _ITEM.match(prev) and not _ITEM.match(line):
                out.append("")  # a lazy continuation would glue this line to the last item
            elif not _ITEM.match(line) and not prev.lstrip().startswith("```"):
                out[-1] = prev.rstrip() + "  "
        fenced = fenced != fence
        out.append(line)
    return "\n".join(out)


def progress_columns() -> tuple[ProgressColumn, ...]:
    """A progress bar whose task descriptions are plain text (Rich's default parses markup)."""
    description = TextColumn("{task.description}", style="progress.description", markup=False)
    return (description, BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())


def echo_json(value: Any, *, err: bool = False) -> None:
    """One JSON document on stdout (or stderr), every non-ASCII character escaped."""
    typer.echo(terminal_json(value), err=err)


def echo_plain(text: str, *, err: bool = False) -> None:
    """Plain text without Rich (columns already laid out), sanitized."""
    typer.echo(sanitize_terminal(text), err=err)
