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
    text = "\n".join(lines)[:MAX_INPUT_CHARS]
    try:
        reply = llm.invoke([SystemMessage(load_prompt("summarize_call")), HumanMessage(text)])
    except llm_failures() as exc:
        log.warning("call summary: the LLM failed (%s); summarising extractively", exc)
        return None
    content = reply.content
    if not isinstance(content, str):
        content = "".join(p.get("text", "") for p in content if isinstance(p, dict))
    return " ".join(content.split())[:MAX_SUMMARY_CHARS] or None
