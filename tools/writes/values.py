"""Checking what a write would store: stages, amounts, kinds and text, with a reason if wrong."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from tools.crm.money import to_decimal
from tools.models import ActivityKind, Stage

MAX_AMOUNT = Decimal("999999999999.99")  # Numeric(14, 2)
MAX_TEXT = 4000
MAX_TITLE = 300
MAX_NEXT_STEP = 1000
_STAGE_WORDS = {
    "won": Stage.CLOSED_WON,
    "closed won": Stage.CLOSED_WON,
    "lost": Stage.CLOSED_LOST,
    "closed lost": Stage.CLOSED_LOST,
    "negotiating": Stage.NEGOTIATION,
    "negotiations": Stage.NEGOTIATION,
    "qualified": Stage.QUALIFICATION,
    "qualifying": Stage.QUALIFICATION,
    "discovery": Stage.QUALIFICATION,
    "prospect": Stage.PROSPECTING,
    "proposals": Stage.PROPOSAL,
}
_KIND_WORDS = {"phone": ActivityKind.CALL, "e-mail": ActivityKind.EMAIL, "mail": ActivityKind.EMAIL}
_AMOUNT = re.compile(r"^\$?\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*(k|m|thousand|million)?$")
_SCALE = {"k": 1_000, "thousand": 1_000, "m": 1_000_000, "million": 1_000_000}


class InvalidValueError(ValueError):
    """A value a user or the model gave that cannot be stored; the message says why."""


def parse_stage(text: str) -> Stage:
    key = " ".join(text.strip().lower().replace("_", " ").replace("-", " ").split())
    for stage in Stage:
        if key == stage.value.replace("_", " "):
            return stage
    if key in _STAGE_WORDS:
        return _STAGE_WORDS[key]
    names = ", ".join(s.value.replace("_", " ") for s in Stage)
    raise InvalidValueError(f"'{text}' is not a stage; use one of: {names}.")


def parse_amount(value: object) -> Decimal:
    """50000, "50k", "$1.2m", "120,000" as an exact amount in cents."""
    text = str(value).strip().lower().replace(" ", "")
    m = _AMOUNT.match(text)
    try:
        if m is None:
            raise InvalidOperation
        amount = Decimal(m[1].replace(",", "")) * _SCALE.get(m[2] or "", 1)
    except InvalidOperation:
        raise InvalidValueError(
            f"'{value}' is not an amount; write it like 50000 or 50k."
        ) from None
    if amount < 0 or amount > MAX_AMOUNT:
        raise InvalidValueError(f"{value} is out of range for an amount.")
    return to_decimal(amount)


def parse_kind(text: str | None) -> ActivityKind:
    key = (text or "note").strip().lower()
    for kind in ActivityKind:
        if key in (kind.value, kind.value + "s"):
            return kind
    if key in _KIND_WORDS:
        return _KIND_WORDS[key]
    names = ", ".join(k.value for k in ActivityKind)
    raise InvalidValueError(f"'{text}' is not a kind of interaction; use one of: {names}.")


def clean_text(text: str | None, *, what: str, limit: int) -> str:
    """Text stripped of edge space; empty or too long is refused rather than cut silently."""
    cleaned = (text or "").strip()
    if not cleaned:
        raise InvalidValueError(f"The {what} is empty.")
    if len(cleaned) > limit:
        raise InvalidValueError(f"The {what} is longer than {limit} characters.")
    return cleaned
