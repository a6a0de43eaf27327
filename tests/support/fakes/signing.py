"""Signed requests for the Bolt HTTP endpoint, built the way Slack builds them.

Slack signs `v0:<timestamp>:<raw body>` with HMAC-SHA256 keyed by the app's signing secret; Bolt
checks it with `slack_sdk.signature.SignatureVerifier` and refuses timestamps over 300 s away.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier
from support.fakes.slack_api import APP_ID, BOT_USER_ID, TEAM_ID

JSON_TYPE = "application/json"
FORM_TYPE = "application/x-www-form-urlencoded"
# The default response_url refuses connections at once, so a test can never reach real Slack.
UNREACHABLE_RESPONSE_URL = "http://127.0.0.1:9/response_url"


def content_type(body: str) -> str:
    """Events arrive as JSON; commands, actions and view submissions as forms."""
    return JSON_TYPE if body.startswith("{") else FORM_TYPE


def signed_headers(secret: str, body: str, timestamp: int | None = None) -> dict[str, str]:
    """Headers Slack would send with `body`: its timestamp, signature and content type.

    Args:
        secret: The app's signing secret.
        body: The raw request body, exactly as it will be sent.
        timestamp: Unix seconds to sign with; now if None (pass an old one to test replays).
    """
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
    return {
        "Content-Type": content_type(body),
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature or "",
    }


def event_body(
    event: dict[str, Any], event_id: str, team_id: str = TEAM_ID, api_app_id: str = APP_ID
) -> str:
    """An Events API `event_callback` envelope around `event`, authorised for the fake bot."""
    envelope = {
        "token": "legacy-verification-token",
        "team_id": team_id,
        "api_app_id": api_app_id,
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team_id,
                "user_id": BOT_USER_ID,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
    }
    return json.dumps(envelope)


def command_body(
    command: str = "/sales",
    *,
    text: str = "",
    user_id: str = "U1",
    channel_id: str = "C1",
    response_url: str = UNREACHABLE_RESPONSE_URL,
    trigger_id: str = "1.1.fake-trigger",
    team_id: str = TEAM_ID,
    api_app_id: str = APP_ID,
) -> str:
    """A slash command as Slack posts it; point `response_url` at `FakeSlackServer.response_url`."""
    fields = {
        "token": "legacy-verification-token",
        "team_id": team_id,
        "team_domain": "fake",
        "channel_id": channel_id,
        "channel_name": channel_id.lower(),
        "user_id": user_id,
        "user_name": user_id.lower(),
        "command": command,
        "text": text,
        "api_app_id": api_app_id,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id,
    }
    return urlencode(fields)


def action_body(payload: dict[str, Any]) -> str:
    """An interactive payload; `payload` overrides the `block_actions` envelope's defaults."""
    return _payload_form({"type": "block_actions", "trigger_id": "1.1.fake-trigger", **payload})


def view_submission_body(payload: dict[str, Any]) -> str:
    """A modal submission; `payload["view"]` is merged over a minimal modal view."""
    view = {"id": "V1", "type": "modal", "state": {"values": {}}, **payload.get("view", {})}
    return _payload_form({"type": "view_submission", **payload, "view": view})


def _payload_form(payload: dict[str, Any]) -> str:
    envelope = {"team": {"id": TEAM_ID}, "user": {"id": "U1"}, "api_app_id": APP_ID, **payload}
    return urlencode({"payload": json.dumps(envelope)})


def post(
    url: str,
    body: str,
    headers: dict[str, str],
    retry_num: int | None = None,
    retry_reason: str = "http_timeout",
) -> tuple[int, str]:
    """POST `body` to a running Bolt endpoint as Slack would; answer (status, body) even for 4xx.

    Args:
        url: The endpoint, e.g. "http://127.0.0.1:3000/slack/events".
        body: The raw body the headers were signed for.
        headers: Usually `signed_headers(...)`; a content type is added if missing.
        retry_num: Set to mark the request as Slack's retry number `retry_num`.
        retry_reason: Why Slack retried; sent only with `retry_num`.
    """
    sent = {"Content-Type": content_type(body), **headers}
    if retry_num is not None:
        sent |= {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": retry_reason}
    request = urllib.request.Request(url, data=body.encode(), headers=sent, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()
