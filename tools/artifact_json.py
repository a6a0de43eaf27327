"""Artifacts to JSON and back, exactly: what a stored answer (tools/analytics/precomputed.py)
needs so a figure read back is the figure computed, type and all.

Plain JSON would turn a Decimal into a float (or a string), a date into a string and a tuple
into a list. Those are tagged here instead, and only the types artifacts hold are accepted:
nothing read back can name a class to build.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from tools.artifacts import ArtifactType
from tools.models import ActivityKind, Role, Stage

# The enums an artifact may hold, by a stable name (never a module path read from storage).
ENUMS: dict[str, type[Enum]] = {
    "ArtifactType": ArtifactType,
    "Stage": Stage,
    "ActivityKind": ActivityKind,
    "Role": Role,
}
_ENUM_NAMES = {cls: name for name, cls in ENUMS.items()}
TAG = "$t"


def dumps(value: Any) -> str:
    return json.dumps(_encode(value), separators=(",", ":"))


def loads(text: str) -> Any:
    # The parser calls the hook on each object once its contents are built, innermost first:
    # the walk runs in C, and Python sees only objects (an admin's kept pipeline review, 50,000
    # of them, decoded in 0.8 s when every value went through a recursive Python walk).
    return json.loads(text, object_hook=_decode_object)


def _encode(value: Any) -> Any:
    if isinstance(value, Enum):  # before str: our enums are str enums
        name = _ENUM_NAMES.get(type(value))
        if name is None:
            raise TypeError(f"cannot store an artifact holding {type(value).__name__}")
        return {TAG: "enum", "c": name, "v": value.value}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return {TAG: "decimal", "v": str(value)}
    if isinstance(value, datetime):  # before date: a datetime is a date
        return {TAG: "datetime", "v": value.isoformat()}
    if isinstance(value, date):
        return {TAG: "date", "v": value.isoformat()}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, tuple):
        return {TAG: "tuple", "v": [_encode(v) for v in value]}
    if isinstance(value, dict):
        if all(isinstance(k, str) and not isinstance(k, Enum) for k in value) and TAG not in value:
            return {k: _encode(v) for k, v in value.items()}
        return {TAG: "dict", "v": [[_encode(k), _encode(v)] for k, v in value.items()]}
    raise TypeError(f"cannot store an artifact holding {type(value).__name__}")


def _decode_object(value: dict[str, Any]) -> Any:
    """One JSON object, whose contents are decoded already: a tagged value, or a plain dict."""
    tag = value.get(TAG)
    if tag is None:
        return value
    raw = value["v"]
    if tag == "decimal":
        return Decimal(raw)
    if tag == "datetime":
        return datetime.fromisoformat(raw)
    if tag == "date":
        return date.fromisoformat(raw)
    if tag == "tuple":
        return tuple(raw)
    if tag == "dict":
        return {k: v for k, v in raw}
    if tag == "enum":
        return ENUMS[value["c"]](raw)
    raise ValueError(f"unknown tag {tag!r} in a stored artifact")
