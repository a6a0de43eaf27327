"""Each record against what is stored: create, update (which fields) or unchanged."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from tools.importers.records import Record

# Set once, when the record is created; a re-export never moves them.
_CREATE_ONLY = {"created_at", "closed_at"}


@dataclass(slots=True)
class Update:
    id: int
    record: Record
    before: dict[str, Any]  # the stored row
    changes: dict[str, Any]  # column -> new value (a str ref for a record created in this run)


@dataclass(slots=True)
class Plan:
    creates: list[Record] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)
    unchanged: int = 0


def plan(records: list[Record], existing: dict[str, dict[str, Any]]) -> Plan:
    """What writing `records` would do, given the stored rows by external id."""
    result = Plan()
    for record in records:
        stored = existing.get(record.external_id)
        if stored is None:
            result.creates.append(record)
            continue
        changes = {
            column: value
            for column, value in record.values.items()
            if column not in _CREATE_ONLY and _differs(stored.get(column), value)
        }
        if changes:
            result.updates.append(Update(int(stored["id"]), record, stored, changes))
        else:
            result.unchanged += 1
    return result


def _differs(old: Any, new: Any) -> bool:
    if isinstance(new, str) and isinstance(old, int):
        return True  # points at a record this import creates
    return _norm(old) != _norm(new)


def _norm(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        # SQLite hands back naive datetimes; everything we store is UTC.
        aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return aware.replace(microsecond=0)
    if isinstance(value, Decimal | float) and not isinstance(value, bool):
        return Decimal(value).quantize(Decimal("0.01"))
    if value == "":
        return None
    return value
