"""Which chat model answers: an OpenAI-compatible LLM when configured, else the planner."""

from __future__ import annotations

import httpx
import openai
from langchain_core.language_models import BaseChatModel

from bot.agent.llm_http import deadline_client, http_module
from bot.settings import Settings

# Failures after which the same question is answered by the offline planner instead.
LLM_FAILURES: tuple[type[BaseException], ...] = (
    openai.APIError,
    httpx.HTTPError,
    http_module().HTTPError,
    TimeoutError,
    ConnectionError,
)


class MalformedReplyError(ValueError):
    """The model's reply cannot be used (arguments that are no object, unreadable tool calls);
    the question is answered by the offline planner, as for an outage."""


def build_llm(settings: Settings) -> BaseChatModel | None:
    """ChatOpenAI against OpenAI or any compatible server, or None when none is configured.

    Each request to it ends within LLM_DEADLINE_SECONDS, however slowly the server answers.
    """
    if not settings.llm_configured:
        return None
    from langchain_openai import ChatOpenAI

    client = deadline_client(settings.llm_timeout_seconds, settings.llm_deadline_seconds)
    return ChatOpenAI(
        model=settings.openai_model,
        api_key=settings.openai_api_key or "not-needed",  # type: ignore[arg-type]
        base_url=settings.openai_base_url,
        timeout=client.timeout,
        max_retries=settings.llm_max_retries,
        temperature=0,
        http_client=client,
    )
