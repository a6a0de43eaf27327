"""Which chat model answers: an OpenAI-compatible LLM when configured, else the planner."""

from __future__ import annotations

import httpx
import openai
from langchain_core.language_models import BaseChatModel

from bot.settings import Settings

# Failures after which the same question is answered by the offline planner instead.
LLM_FAILURES: tuple[type[BaseException], ...] = (
    openai.APIError,
    httpx.HTTPError,
    TimeoutError,
    ConnectionError,
)


def build_llm(settings: Settings) -> BaseChatModel | None:
    """ChatOpenAI against OpenAI or any compatible server, or None when none is configured."""
    if not settings.llm_configured:
        return None
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        model=settings.openai_model,
        api_key=settings.openai_api_key or "not-needed",  # type: ignore[arg-type]
        base_url=settings.openai_base_url,
        timeout=settings.llm_timeout_seconds,
        max_retries=settings.llm_max_retries,
        temperature=0,
    )
