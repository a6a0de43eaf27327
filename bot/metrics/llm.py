"""LLM requests and tokens, counted by a LangChain callback on the LLM's runs only."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.outputs import LLMResult

from bot.metrics.registry import LLM_CALLS, LLM_TOKENS, PLANNER_FALLBACKS


class LLMMetrics(BaseCallbackHandler):
    """Counts each chat-model request and the tokens its reply reports."""

    def on_llm_end(self, response: LLMResult, **_kwargs: Any) -> None:
        LLM_CALLS.labels(outcome="ok").inc()
        prompt, completion = _usage(response)
        if prompt:
            LLM_TOKENS.labels(kind="prompt").inc(prompt)
        if completion:
            LLM_TOKENS.labels(kind="completion").inc(completion)

    def on_llm_error(self, error: BaseException, **_kwargs: Any) -> None:
        LLM_CALLS.labels(outcome="error").inc()


def count_fallback(error: BaseException) -> None:
    """The offline planner answers in the LLM's place; the reason is the error's type."""
    PLANNER_FALLBACKS.labels(reason=type(error).__name__[:40]).inc()


def _usage(response: LLMResult) -> tuple[int, int]:
    usage = (response.llm_output or {}).get("token_usage") or {}
    prompt, completion = usage.get("prompt_tokens"), usage.get("completion_tokens")
    if prompt is None and completion is None:
        for generations in response.generations:
            for generation in generations:
                meta = getattr(getattr(generation, "message", None), "usage_metadata", None) or {}
                prompt = (prompt or 0) + int(meta.get("input_tokens", 0))
                completion = (completion or 0) + int(meta.get("output_tokens", 0))
    return int(prompt or 0), int(completion or 0)
