"""Rankings and comparisons read from a question: order, direction, metric, closed outcome."""

from __future__ import annotations

import re

_ORDERS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(?:smallest|tiniest|lowest value|least valuable)\b"), "amount_asc"),
    (
        re.compile(
            r"\b(?:most inactive|least active|quietest|most neglected|longest without"
            r"|gone the longest|longest since)\b"
        ),
        "inactivity",
    ),
    (re.compile(r"\b(?:oldest|open the longest|open longest|been open|aging|by age|age)\b"), "age"),
    (
        re.compile(
            r"\b(?:by close date|closes? soonest|closing soonest|soonest|closing first"
            r"|earliest clos\w*|next to close)\b"
        ),
        "close_date",
    ),
    (
        re.compile(
            r"\b(?:biggest|largest|highest|top|most valuable|worth the most|by size"
            r"|by amount|by value|rank \w+ deals|sorted by amount)\b"
        ),
        "amount",
    ),
]
_SINGLE = re.compile(r"\b(?:deal|opp|opportunity|one)\b")
_PLURAL = re.compile(r"\b(?:deals|opps|opportunities|ones)\b")


def extract_order(text: str) -> str | None:
    """How deals are to be ranked: amount, amount_asc, close_date, age or inactivity."""
    return next((order for rx, order in _ORDERS if rx.search(text)), None)


def singular(text: str) -> bool:
    """ "my biggest deal" asks for one; "my biggest deals" for a list."""
    return bool(_SINGLE.search(text)) and not _PLURAL.search(text)


_LEAST = re.compile(r"\b(?:(?<!at )least|smallest|lowest|fewest|bottom|worst|weakest)\b")
_BEHIND = re.compile(r"\b(?:behind|lagging|falling|below|under|short|missing|trailing|off pace)\b")
_AHEAD = re.compile(r"\b(?:ahead|above|beat|beating|over|exceed\w*|on pace|on track|crushing)\b")
_PIPELINE = re.compile(r"\b(?:pipeline|pipe|open deals|open)\b")


def extract_direction(text: str, standing: bool) -> str:
    """most/least for a ranking of reps; behind/ahead for quota standing."""
    if standing:
        return "ahead" if _AHEAD.search(text) and not _BEHIND.search(text) else "behind"
    return "least" if _LEAST.search(text) else "most"


def extract_metric(text: str) -> str:
    """What reps are ranked by: open pipeline, or what they won."""
    return "pipeline" if _PIPELINE.search(text) else "won"


_LOST = re.compile(r"\b(?:lost|lose|losses|losing)\b")
_WON = re.compile(r"\b(?:won|win|wins|winning|sold|booked|bookings)\b")


def extract_outcome(text: str) -> str:
    """ "closed" means both, shown apart; won or lost when only one was asked."""
    lost, won = bool(_LOST.search(text)), bool(_WON.search(text))
    return "lost" if lost and not won else "won" if won and not lost else "closed"
