"""The full-text objects migration 0020 made, which the ORM models do not describe."""

from __future__ import annotations

from typing import Any

FTS_TABLE = "activities_fts"
PG_INDEX = "ix_activities_fulltext"


def is_full_text_object(obj: Any, name: str | None, type_: str, *_: Any) -> bool:
    """True for the FTS5 table (and its shadow tables) and the PostgreSQL GIN index."""
    return bool(name) and (str(name).startswith(FTS_TABLE) or name == PG_INDEX)


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Alembic's filter: leave the full-text objects out of autogenerate's comparison."""
    return not is_full_text_object(obj, name, type_)
