"""Text from the CRM, the model or a user made safe to write to a terminal.

A terminal obeys the characters it is sent: ESC starts CSI/OSC/DCS/APC/PM/SOS sequences that
clear the screen, recolour text or hide a link (OSC 8), and C1 controls (U+0080-U+009F) do the
same in one byte. Bidi overrides reorder what is shown ("txt.exe" read as "exe.txt").

Rules of `sanitize_terminal` (the only place they live):
- kept: printable text, newline, tab (a table cell may turn tabs into spaces);
- CRLF becomes LF (exports from spreadsheets end lines that way);
- every other C0 control, DEL, and every C1 control is shown as `\\xNN` (ESC as `\\x1b`);
- bidi controls (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069) and the line and
  paragraph separators (U+2028, U+2029) are shown as `\\uNNNN`.
Shown, not dropped: a name that carried `\\x1b]8;;https://...` visibly did, and the rest of any
escape sequence is left as harmless printable characters once its ESC (or C1 introducer) is
defused. The result never contains a character this function would change, so it is idempotent.
"""

from __future__ import annotations

import json
import logging
from typing import Any

KEPT = "\n\t"
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
SEPARATORS = "\u2028\u2029"
TAB_SPACES = 4


def _escapes() -> dict[int, str]:
    table = {
        code: f"\\x{code:02x}"
        for code in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0))
        if chr(code) not in KEPT
    }
    table.update({ord(ch): f"\\u{ord(ch):04x}" for ch in BIDI_CONTROLS + SEPARATORS})
    return table


ESCAPES = _escapes()


def sanitize_terminal(value: object, *, expand_tabs: bool = False) -> str:
    """`value` as text a terminal shows but never obeys (see the module's rules)."""
    text = str(value).replace("\r\n", "\n").translate(ESCAPES)
    return text.replace("\t", " " * TAB_SPACES) if expand_tabs else text


def is_terminal_safe(text: str) -> bool:
    """True when `text` holds nothing `sanitize_terminal` would escape."""
    return not any(ord(ch) in ESCAPES for ch in text)


class TerminalSafeFormatter(logging.Formatter):
    """Log lines quote CRM text and exception messages too: written, never obeyed."""

    def format(self, record: logging.LogRecord) -> str:
        return sanitize_terminal(super().format(record))


def terminal_json(value: Any) -> str:
    """JSON for stdout: every non-ASCII character is a \\u escape, so no control reaches the
    terminal raw and the document still decodes to exactly the same values."""
    return json.dumps(value, indent=2, default=str, ensure_ascii=True)
