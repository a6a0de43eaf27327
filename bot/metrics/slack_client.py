"""Counting Slack Web API failures and 429s, as a retry handler that never retries.

Bolt makes a fresh WebClient for every request but copies the app client's retry handlers, and
slack_sdk shows every response (200s with `ok: false` included) to each handler in turn: placed
first, this one sees every call the app and the scheduler make.
"""

from __future__ import annotations

import re

from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from bot.metrics.registry import SLACK_API_ERRORS, SLACK_RATE_LIMITED

# Slack's error codes and method names are short words; anything else is bucketed as "other".
_CODE = re.compile(r"^[a-z0-9_]{1,60}$")
_METHOD = re.compile(r"^[a-zA-Z0-9_.]{1,60}$")


def _label(value: object, pattern: re.Pattern[str]) -> str:
    text = str(value or "")
    return text if pattern.match(text) else "other"


class SlackCallMetrics(RetryHandler):
    """Counts 429s by method, and failed calls by method and Slack's error code."""

    def can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        method = _label(request.url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1], _METHOD)
        if response is None:
            SLACK_API_ERRORS.labels(method=method, error="connection").inc()
        elif response.status_code == 429:
            SLACK_RATE_LIMITED.labels(method=method).inc()
        elif response.status_code >= 400:
            SLACK_API_ERRORS.labels(method=method, error=f"http_{response.status_code}").inc()
        elif isinstance(response.body, dict) and response.body.get("ok") is False:
            code = _label(response.body.get("error"), _CODE)
            SLACK_API_ERRORS.labels(method=method, error=code).inc()
        return False  # never retries: the handlers after it decide
