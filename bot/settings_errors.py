"""Settings that fail validation, said as one line each: the variable, its value, what to do."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from bot.settings import Settings

_SECRET_WORDS = ("TOKEN", "SECRET", "KEY", "PASSWORD")
_PROBLEMS = {
    "int_parsing": "is not a whole number",
    "int_from_float": "is not a whole number",
    "float_parsing": "is not a number",
    "bool_parsing": "is not true or false",
    "string_pattern_mismatch": "is not a time of day: use HH:MM on a 24-hour clock",
}


def settings_problems(exc: ValidationError) -> list[str]:
    """One line per bad setting, in the order pydantic found them."""
    return [_line(error) for error in exc.errors()]


def _line(error: ErrorDetails) -> str:
    name = str(error["loc"][0]) if error["loc"] else "a setting"
    value = "(hidden)" if any(w in name for w in _SECRET_WORDS) else repr(error.get("input"))
    default = _default(name)
    example = f" (default: {default})" if default is not None else ""
    return f"{name}={value} {_problem(error)}; fix it in the environment or .env{example}."


def _problem(error: ErrorDetails) -> str:
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    kind = error["type"]
    if kind in _PROBLEMS:
        return _PROBLEMS[kind]
    if kind == "literal_error":
        return f"must be {ctx.get('expected')}"
    bounds = {
        "greater_than": "greater than {gt}",
        "greater_than_equal": "{ge} or more",
        "less_than": "less than {lt}",
        "less_than_equal": "{le} or less",
    }
    if kind in bounds:
        return "must be " + bounds[kind].format(**ctx)
    return error["msg"].removeprefix("Value error, ").rstrip(".")


def _default(alias: str) -> object | None:
    for field in Settings.model_fields.values():
        if field.alias == alias and field.default not in (None, ""):
            return field.default
    return None
