"""The plain data the offline planner reads and writes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Vocabulary:
    """The names a question may use, as the asker is allowed to see them."""

    me: str
    is_manager: bool
    accounts: tuple[str, ...]
    deals: tuple[str, ...]
    reps: tuple[str, ...]
    today: date | None = None  # the asker's today, for periods only the planner reads


@dataclass(frozen=True)
class PlannedCall:
    name: str
    args: dict[str, Any]


@dataclass(frozen=True)
class ToolResult:
    name: str
    args: dict[str, Any]
    content: str
    artifact: dict[str, Any] | None
