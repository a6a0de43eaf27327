"""What the agent hands to an interface: words, the exact figures, and how it got them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class ToolCallRecord:
    name: str
    args: dict[str, Any]


@dataclass(slots=True)
class Answer:
    """The agent's reply; `artifacts` carry the figures interfaces must render exactly."""

    text: str
    artifacts: list[dict[str, Any]] = field(default_factory=list)
    tool_calls: list[ToolCallRecord] = field(default_factory=list)
    engine: str = "offline"
    notice: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
