"""A call transcript summarised by the LLM (prompts/summarize_call.md) when one is configured.

None when the model fails or says nothing: the caller keeps the extractive summary
(tools/capture/transcripts.py), so a call is never captured without one.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from bot.agent.llm import llm_failures
from prompts import load_prompt

log = logging.getLogger(__name__)
MAX_INPUT_CHARS = 24_000
MAX_SUMMARY_CHARS = 1_500


def summarize_call(llm: BaseChatModel, lines: Sequence[str]) -> str | None:
    """The model's summary of the call's "Speaker: text" lines, or None."""
    content = summarize_lines(llm, "summarize_call", lines, "call summary", MAX_INPUT_CHARS)
    if content is None:
        return None
    return " ".join(content.split())[:MAX_SUMMARY_CHARS]


def summarize_lines(
    llm: BaseChatModel, prompt: str, lines: Sequence[str], what: str, max_chars: int
) -> str | None:
    """The model's reply to prompt file `prompt` over `lines` (capped), or None when it fails;
    the caller then summarises extractively."""
    text = "\n".join(lines)[:max_chars]
    try:
        reply = llm.invoke([SystemMessage(load_prompt(prompt)), HumanMessage(text)])
    except llm_failures() as exc:
        log.warning("%s: the LLM failed (%s); summarising extractively", what, exc)
        return None
    content = reply.content
    if not isinstance(content, str):
        content = "".join(p.get("text", "") for p in content if isinstance(p, dict))
    return content.strip() or None
