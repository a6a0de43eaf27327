"""A Slack thread summarised for a CRM note: by the LLM when configured, else extractively."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

from langchain_core.language_models import BaseChatModel

from bot.agent.call_summary import summarize_lines

log = logging.getLogger(__name__)
MAX_INPUT_CHARS = 12_000
MAX_SUMMARY_CHARS = 1_200
_MENTION = re.compile(r"<[@#!][^>]*>")
_LINK = re.compile(r"<(https?://[^|>]+)(?:\|([^>]*))?>")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
# Sentences that carry a need, a decision, a date or a next step are the ones worth keeping.
_CUES = re.compile(
    r"\b(?:need|needs|want|decid\w*|decision|agree\w*|by|deadline|next|will|send|sign\w*"
    r"|budget|price|pricing|contract|legal|security|timeline|risk|block\w*)\b|\d",
    re.IGNORECASE,
)


def thread_lines(messages: Sequence[dict[str, Any]], names: dict[str, str]) -> list[str]:
    """Each message as "name: text", Slack markup turned into plain words."""
    lines = []
    for message in messages:
        text = _LINK.sub(lambda m: m[2] or m[1], str(message.get("text") or ""))
        text = " ".join(_MENTION.sub("", text).split())
        if text:
            who = names.get(str(message.get("user") or ""), "someone")
            lines.append(f"{who}: {text}")
    return lines


def summarize_thread(llm: BaseChatModel | None, lines: Sequence[str]) -> str:
    """The summary to log; the extractive one when there is no LLM or it fails."""
    if llm is not None:
        written = _llm_summary(llm, lines)
        if written:
            return written[:MAX_SUMMARY_CHARS]
    return extractive_summary(lines)


def extractive_summary(lines: Sequence[str]) -> str:
    """The opening message, then the sentences with needs, dates and next steps, in order."""
    if not lines:
        return ""
    picked = [lines[0]]
    for line in lines[1:]:
        who, _, text = line.partition(": ")
        kept = [s for s in _SENTENCE.split(text) if _CUES.search(s)]
        if kept:
            picked.append(f"{who}: {' '.join(kept)}")
    summary = "\n".join(picked)
    return summary if len(summary) <= MAX_SUMMARY_CHARS else summary[: MAX_SUMMARY_CHARS - 1] + "…"


def _llm_summary(llm: BaseChatModel, lines: Sequence[str]) -> str | None:
    return summarize_lines(llm, "summarize_thread", lines, "thread summary", MAX_INPUT_CHARS)
