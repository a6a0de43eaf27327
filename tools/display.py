"""Stored values as people read them: the one place every renderer (CLI, Slack, the planner's
words, charts, nudges) takes its labels, amounts and counts from.

Amounts: a figure that sums or estimates many deals (a total, a stage's amount, a weighted
amount, a forecast) is rounded the way sales teams say it, `short_money`: "$1.2M", "$45k",
"$8.6k", "$950". An amount that is one deal's (a row of a list, a deal card, a proposal) is
exact, `exact_money`: "$41,500", cents only when there are some. Tables keep exact figures.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from tools.crm.money import format_money, to_decimal

# Words whose stored form is not simply "snake_case" made into a sentence.
_LABELS = {"linkedin": "LinkedIn", "closed_won": "Closed won", "closed_lost": "Closed lost"}
_SNAKE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
_CLOSED = frozenset({"closed_won", "closed_lost", "won", "lost", "closed"})


def label(value: object) -> str:
    """A stored code as a label: "closed_won" -> "Closed won", "linkedin" -> "LinkedIn"."""
    word = "" if value is None else str(value)
    return _LABELS.get(word) or word.replace("_", " ").capitalize()


def lower_label(value: object) -> str:
    """`label` inside a sentence: "closed_won" -> "closed won", "linkedin" -> "LinkedIn"."""
    text = label(value)
    return text if text == "LinkedIn" else text[:1].lower() + text[1:]


def human_words(text: str) -> str:
    """Any snake_case code left in a sentence ("Closed_won deals") made into words."""
    return _SNAKE.sub(lambda m: lower_label(m[0]), text)


def close_phrase(stage: object, close_date: object) -> str:
    """ "closes 2026-12-07" for an open deal, "closed on 2026-07-03" for a won or lost one."""
    verb = "closed on" if str(stage) in _CLOSED else "closes"
    return f"{verb} {close_date}"


def subject_line(kind: object, subject: object) -> str:
    """An interaction as "Call: Budget timing", never "Call · Call: Budget timing"."""
    kind_label, text = label(kind), str(subject or "").strip()
    if text.lower().startswith(f"{kind_label.lower()}:"):
        return text
    return f"{kind_label}: {text}" if text else kind_label


def exact_money(amount: object, currency: str | None = "USD") -> str:
    """One deal's amount, exact: "$41,500", "$165,000.50"."""
    return format_money(to_decimal(amount), currency or "USD")


def short_money(amount: object, currency: str | None = "USD") -> str:
    """A total as sales teams say it: "$1.2M", "$578k", "$8.6k", "$950"."""
    value = to_decimal(amount)
    sign, size = ("-" if value < 0 else ""), abs(value)
    if size >= 1_000_000:
        text = _places(size / 1_000_000, 1) + "M"
    elif size >= 10_000:
        text = _places(size / 1_000, 0) + "k"
    elif size >= 1_000:
        text = _places(size / 1_000, 1) + "k"
    else:
        text = _places(size, 0)
    if text == "1000k":  # $999,600 rounds up into the next unit
        text = "1M"
    symbol = {"USD": "$", "EUR": "€", "GBP": "£"}.get(currency or "USD", "")
    return f"{sign}{symbol}{text}" if symbol else f"{sign}{text} {currency}"


def _places(value: Decimal, places: int) -> str:
    text = str(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))
    return text[:-2] if text.endswith(".0") else text


def plural(count: int, noun: str) -> str:
    """ "1 deal", "3 deals"."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def count_of(shown: int, total: int, noun: str) -> str:
    """The count that introduces a list: "3 deals", or "top 3 of 5 deals" when cut."""
    if shown < total:
        return f"top {shown} of {total} {noun}s"
    return plural(total, noun)
