"""sanitize_terminal's rules, and the SafeConsole on a real (forced) colour terminal."""

from __future__ import annotations

import io
import json
import logging
import re

import pytest
from rich.table import Table
from rich.text import Text

from bot.cli.terminal import (
    ESCAPES,
    TerminalSafeFormatter,
    is_terminal_safe,
    sanitize_terminal,
    terminal_json,
)
from bot.cli.text import SafeConsole, cell, cells, markup, prose, safe

ESC_CLEAR = "\x1b[2J"
OSC8_LINK = "\x1b]8;;https://evil.test/\x1b\\bank.com\x1b]8;;\x1b\\"
C1_CSI = "\x9b2J"
BIDI = "\u202etxt.exe"
POISON = f"{ESC_CLEAR}{OSC8_LINK}{C1_CSI}{BIDI}[/][link=https://evil.test/]x[/link]\x07\x7f"
# What a colour terminal legitimately receives from Rich: SGR styles only.
SGR = re.compile(r"\x1b\[[0-9;]*m")


def terminal(width: int = 120) -> tuple[SafeConsole, io.StringIO]:
    out = io.StringIO()
    console = SafeConsole(file=out, force_terminal=True, color_system="truecolor", width=width)
    return console, out


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b[2J", "\\x1b[2J"),
        ("\x1b]8;;https://e.test/\x1b\\a", "\\x1b]8;;https://e.test/\\x1b\\a"),
        ("\x9b31m", "\\x9b31m"),
        ("\x90dcs\x9c", "\\x90dcs\\x9c"),
        ("\x1b_apc\x1b\\", "\\x1b_apc\\x1b\\"),
        ("\x07\x08\x00\x7f", "\\x07\\x08\\x00\\x7f"),
        ("a\rb", "a\\x0db"),
        ("a\r\nb", "a\nb"),
        ("\u202eexe.txt\u2066\u2069", "\\u202eexe.txt\\u2066\\u2069"),
        ("\u200e\u200f\u061c", "\\u200e\\u200f\\u061c"),
        ("line\u2028sep", "line\\u2028sep"),
        ("two\nlines\tand a tab", "two\nlines\tand a tab"),
        ("Zoë שלום 🚀 [/] *x*", "Zoë שלום 🚀 [/] *x*"),
    ],
)
def test_controls_are_shown_escaped_and_text_is_kept(raw: str, shown: str) -> None:
    assert sanitize_terminal(raw) == shown


def test_every_dangerous_code_point_is_escaped_and_sanitizing_twice_changes_nothing() -> None:
    everything = "".join(chr(c) for c in range(0x3000))
    once = sanitize_terminal(everything)
    assert is_terminal_safe(once) and sanitize_terminal(once) == once
    for code in [*range(0x20), 0x7F, *range(0x80, 0xA0), 0x202A, 0x202E, 0x2066, 0x2069]:
        assert (code in ESCAPES) == (chr(code) not in "\n\t")
    assert sanitize_terminal("a\tb", expand_tabs=True) == "a    b"


def test_json_output_is_ascii_and_decodes_to_the_same_values() -> None:
    value = {"name": POISON + " Zoë", "n": 1}
    text = terminal_json(value)
    assert text.isascii() and is_terminal_safe(text)
    assert json.loads(text) == value


def test_log_lines_are_sanitized_too() -> None:
    record = logging.LogRecord("x", logging.WARNING, "f", 1, "LLM failed (%s)", (POISON,), None)
    line = TerminalSafeFormatter("%(levelname)s %(message)s").format(record)
    assert is_terminal_safe(line) and line.startswith("WARNING LLM failed (\\x1b[2J")


def test_markup_fills_its_literal_template_with_values_shown_as_written() -> None:
    line = markup("[b]{name}[/b] has {n:,} rows", name="[/][link=https://e.test]x", n=12345)
    assert line.plain == "[/][link=https://e.test]x has 12,345 rows"
    assert [(s.start, s.end, str(s.style)) for s in line.spans] == [(0, 25, "bold")]
    assert markup("{v}", v=":smile:").plain == ":smile:"  # no emoji codes from CRM text


def test_a_colour_terminal_gets_styles_but_no_other_sequence() -> None:
    console, out = terminal()
    console.print(markup("[red]error:[/red] {name}", name=POISON))
    console.print(Text(POISON))  # raw Text, as a careless call site would: still defused
    console.print(POISON)  # a plain str: markup is off, so "[/]" cannot crash or style
    console.print(Text("click me", style="link https://evil.test/"))  # OSC 8 styles are dropped
    console.print(prose(f"see [the docs](https://evil.test/) {POISON}"))
    written = out.getvalue()
    leftover = SGR.sub("", written)
    assert is_terminal_safe(leftover), repr(leftover)
    assert "\x1b]8" not in written and "https://evil.test/" in leftover  # links show their URL
    assert "\\x1b[2J" in leftover and "\\u202e" in leftover


def test_table_cells_are_measured_escaped_so_nothing_is_cut_off() -> None:
    console, out = terminal(width=200)
    table = Table("Deal", "Owner")
    table.add_row(*cells(POISON, "Rob\tRep"))
    table.add_row(cell("plain"), safe("x"))
    console.print(table)
    shown = SGR.sub("", out.getvalue())
    # A raw Text would be measured without its controls, then escaped and cropped to fit.
    assert sanitize_terminal(POISON) in shown and "Rob    Rep" in shown
    assert len({len(line) for line in shown.splitlines()}) == 1
