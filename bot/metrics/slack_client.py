"""A Slack WebClient that counts failed calls and 429s for the metrics."""

from __future__ import annotations

import re
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web import SlackResponse

from bot.metrics.registry import SLACK_API_ERRORS, SLACK_RATE_LIMITED

# Slack's error codes are short snake_case words; anything else is bucketed, never a label.
_CODE = re.compile(r"^[a-z0-9_]{1,60}$")
_METHOD = re.compile(r"^[a-zA-Z0-9_.]{1,60}$")


def _label(value: object, pattern: re.Pattern[str]) -> str:
    text = str(value or "")
    return text if pattern.match(text) else "other"


class MeteredWebClient(WebClient):
    """Every failed Web API call counted by method and Slack's error code."""

    def api_call(self, api_method: str, **kwargs: Any) -> SlackResponse:
        try:
            return super().api_call(api_method, **kwargs)
        except SlackApiError as exc:
            error = exc.response.get("error") if exc.response is not None else None
            SLACK_API_ERRORS.labels(
                method=_label(api_method, _METHOD), error=_label(error, _CODE)
            ).inc()
            raise


class CountingRateLimitHandler(RateLimitErrorRetryHandler):
    """Slack's own 429 handler (waits Retry-After), counting each 429 it sees."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is not None and response.status_code == 429:
            method = request.url.rstrip("/").rsplit("/", 1)[-1]
            SLACK_RATE_LIMITED.labels(method=_label(method, _METHOD)).inc()
        return bool(
            super()._can_retry(state=state, request=request, response=response, error=error)
        )
