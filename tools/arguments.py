"""Tool arguments as a model (or a forged button) sends them: checked, clamped, or refused with
a sentence the model can act on and the user understands, never a traceback."""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from langchain_core.tools import BaseTool, StructuredTool
from pydantic import ValidationError

from tools.artifacts import ArtifactType
from tools.results import Result, as_result

MAX_DAYS = 3650  # "no activity in N days": ten years is already every deal
MAX_AMOUNT = Decimal("999999999999.99")  # Numeric(14, 2)
# NUL cannot be stored in PostgreSQL text; a lone surrogate cannot be encoded as UTF-8 at all.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class ArgumentError(ValueError):
    """A tool argument that cannot be used; the message says which one and what works."""


def guarded(tools: list[BaseTool]) -> list[BaseTool]:
    """The same tools, answering a refused or wrongly typed argument with a notice."""
    for t in tools:
        if isinstance(t, StructuredTool) and t.func is not None:
            t.func = _refusing(t.func)
        t.handle_validation_error = functools.partial(_wrong_type, t.name)
    return tools


def notice(text: str) -> Result:
    return as_result({"type": ArtifactType.NOTICE, "text": text})


def clean(value: Any) -> Any:
    """`value` with every NUL dropped and every lone surrogate made U+FFFD, at any depth."""
    if isinstance(value, str):
        return _UNSTORABLE.sub(lambda m: "" if m[0] == "\x00" else "\ufffd", value)
    if isinstance(value, dict):
        return {clean(k): clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean(v) for v in value]
    return value


def _refusing(func: Callable[..., Result]) -> Callable[..., Result]:
    @functools.wraps(func)
    def run(*args: Any, **kwargs: Any) -> Result:
        try:
            return func(*clean(list(args)), **clean(kwargs))
        except ArgumentError as exc:
            return notice(str(exc))

    return run


def _wrong_type(name: str, error: Any) -> str:
    problems = error.errors() if isinstance(error, ValidationError) else []
    said = "; ".join(f"{'.'.join(map(str, p['loc']))}: {p['msg']}" for p in problems)
    return f"{name} cannot use these values ({said or error}); nothing was looked up or changed."


def clamp(value: int, low: int, high: int) -> int:
    """A row count: whatever was asked, between `low` and `high`."""
    return max(low, min(value, high))


def days_arg(value: int | None, name: str) -> int | None:
    """A number of days: None or 0 means not given; out of 1..MAX_DAYS is refused."""
    if not value:
        return None
    if not 1 <= value <= MAX_DAYS:
        raise ArgumentError(f"{name} must be a number of days from 1 to {MAX_DAYS}, not {value}.")
    return value


def amount_arg(value: float | None, name: str) -> Decimal | None:
    """A money amount: finite and from 0 to the largest amount the CRM stores."""
    if value is None:
        return None
    if not math.isfinite(value) or not 0 <= value <= MAX_AMOUNT:
        raise ArgumentError(f"{name} must be an amount from 0 to {MAX_AMOUNT:,}, not {value}.")
    return Decimal(str(value))
