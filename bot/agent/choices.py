"""What a user may answer when the reply asks them to choose: a reading, or a name in scope.

The planner, unsure of a question, offers numbered readings (bot/agent/planner/clarify.py); a
tool that found no such account, deal, rep or contact offers the nearest names the asker may
see. Each becomes a `Choice` whose reply is a plain next message, so a typed number, a chat
prompt and a Slack button all ask the same thing, as whoever answers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from bot.agent.answer import Choice
from tools.artifacts import ArtifactType

MAX_CHOICES = 3
_NUMBER = re.compile(r"^\s*(\d)\s*[.)]?\s*$")


def reading_choices(labels: Sequence[str]) -> list[Choice]:
    """The planner's numbered readings: answering with the number re-reads the question."""
    return [Choice(label, str(n)) for n, label in enumerate(labels[:MAX_CHOICES], 1)]


def name_choices(question: str, artifacts: Sequence[dict[str, Any]]) -> list[Choice]:
    """The names a "not found" suggests, each as the question asked again with that name."""
    for artifact in artifacts:
        if artifact.get("type") != ArtifactType.NOT_FOUND or not artifact.get("suggestions"):
            continue
        query = str(artifact.get("query") or "")
        return [
            Choice(name, with_name(question, query, name))
            for name in artifact["suggestions"][:MAX_CHOICES]
        ]
    return []


def with_name(question: str, query: str, name: str) -> str:
    """`question` with the name it gave replaced by `name` (or `name` added when not found).

    The tool may have been asked a longer name than was typed ("Acme Corp" for "the Acme
    deal"): the longest leading part of it that the question holds is what gets replaced.
    """
    words = re.findall(r"\w+", query)
    for n in range(len(words), 0, -1):
        pattern = re.compile(r"\b" + r"\W+".join(map(re.escape, words[:n])) + r"\b", re.I)
        replaced, count = pattern.subn(lambda _m: name, question, count=1)
        if count:
            return replaced
    return f"{question.rstrip()} ({name})"


def chosen(text: str, choices: Sequence[Choice]) -> Choice | None:
    """The choice a typed "2" (or "2.") picks among `choices`, else None."""
    m = _NUMBER.match(text)
    if m is None or not 1 <= int(m[1]) <= len(choices):
        return None
    return choices[int(m[1]) - 1]
