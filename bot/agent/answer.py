"""What the agent hands to an interface: words, the exact figures, and how it got them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class ToolCallRecord:
    name: str
    args: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Choice:
    """One reading to choose from: the label shown, and the message that chooses it."""

    label: str
    reply: str  # sent as the next message of the same conversation


@dataclass(slots=True)
class Answer:
    """The agent's reply; `artifacts` carry the figures interfaces must render exactly."""

    text: str
    artifacts: list[dict[str, Any]] = field(default_factory=list)
    tool_calls: list[ToolCallRecord] = field(default_factory=list)
    engine: str = "offline"
    notice: str | None = None
    # The answer asks the user to choose (numbered in text, buttons in Slack); their turn.
    choices: list[Choice] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
