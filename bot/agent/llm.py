"""Which chat model answers: an OpenAI-compatible LLM when configured, else the planner."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from bot.agent.llm_http import deadline_client, http_module
from bot.settings import Settings

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel


def llm_failures() -> tuple[type[BaseException], ...]:
    """Failures after which the same question is answered by the offline planner instead.

    openai's and its HTTP library's errors are included once openai is loaded: until then no
    model request was made, and the offline path never pays for importing them.
    """
    base: tuple[type[BaseException], ...] = (TimeoutError, ConnectionError)
    openai = sys.modules.get("openai")
    if openai is None:
        return base
    import httpx

    return (openai.APIError, httpx.HTTPError, http_module().HTTPError, *base)


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
    # langchain declares model/api_key/base_url/timeout as aliases of its fields; mypy's pydantic
    # plugin only sees the field names.
    return ChatOpenAI(  # type: ignore[call-arg]
        model=settings.openai_model,
        api_key=settings.openai_api_key or "not-needed",
        base_url=settings.openai_base_url,
        timeout=client.timeout,
        max_retries=settings.llm_max_retries,
        temperature=0,
        http_client=client,
    )
