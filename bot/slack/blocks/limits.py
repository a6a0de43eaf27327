"""Slack's size limits, and cutting escaped mrkdwn to fit them without breaking it."""

from __future__ import annotations

MAX_MESSAGE_BLOCKS = 50
MAX_HOME_BLOCKS = 100
MAX_SECTION_CHARS = 3000
MAX_FIELD_CHARS = 2000
MAX_FIELDS = 10
MAX_HEADER_CHARS = 150
MAX_CONTEXT_ELEMENTS = 10
MAX_BUTTON_CHARS = 75
MAX_BUTTON_VALUE_CHARS = 2000
MAX_FALLBACK_CHARS = 3000
ELLIPSIS = "…"

_ENTITIES = ("&amp;", "&lt;", "&gt;")
_FENCE = "```"
_FENCE_RESERVE = 8  # room to close a code fence at the end of a piece and reopen it in the next


def safe_cut(text: str, at: int) -> int:
    """The cut position nearest below `at` that is inside neither an `&amp;` nor a `<link>`."""
    at = _entity_safe(text, at)
    opening = text.rfind("<", 0, at)
    if opening != -1 and text.find(">", opening, at) == -1:
        return opening
    return at


def _entity_safe(text: str, at: int) -> int:
    amp = text.rfind("&", max(0, at - 4), at)
    if amp != -1 and any(text.startswith(e, amp) and amp + len(e) > at for e in _ENTITIES):
        return amp
    return at


def truncate(text: str, limit: int) -> str:
    """`text` cut on purpose to at most `limit` characters, ending with an ellipsis."""
    if len(text) <= limit:
        return text
    return text[: safe_cut(text, limit - len(ELLIPSIS))].rstrip() + ELLIPSIS


def split_text(text: str, limit: int = MAX_SECTION_CHARS) -> list[str]:
    """Pieces of at most `limit` characters, cut at paragraphs, then lines, then words."""
    budget = limit - _FENCE_RESERVE if _FENCE in text else limit
    pieces: list[str] = []
    rest = text.strip("\n")
    while len(rest) > budget:
        cut, skip = _split_point(rest, budget)
        pieces.append(rest[:cut])
        rest = rest[cut + skip :]
    pieces.append(rest)
    return _balance_fences([p.strip("\n") for p in pieces if p.strip()])


def _split_point(text: str, limit: int) -> tuple[int, int]:
    """Where to cut `text` (at most `limit` in), and how many separator characters to drop."""
    for separator in ("\n\n", "\n", " "):
        at = text.rfind(separator, 0, limit + 1)
        if at > limit // 3:
            return at, len(separator)
    return safe_cut(text, limit) or _entity_safe(text, limit) or limit, 0


def _balance_fences(pieces: list[str]) -> list[str]:
    """Close a code block cut in two at the end of one piece and reopen it in the next."""
    balanced: list[str] = []
    still_open = False
    for piece in pieces:
        if still_open:
            piece = f"{_FENCE}\n{piece}"
        still_open = piece.count(_FENCE) % 2 == 1
        balanced.append(f"{piece}\n{_FENCE}" if still_open else piece)
    return balanced
