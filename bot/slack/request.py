"""The front door of /slack/events: only a signed, bounded, well-formed Slack request gets in.

Checked in an order that keeps a stranger's cost low: the size before reading the body, the
signature on the raw bytes before any parsing (an unsigned body is never parsed), then the shape
Bolt relies on. Each refusal is a status and one short plain sentence, never a stack trace.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from slack_sdk.signature import SignatureVerifier

JSON_TYPE = "application/json"
FORM_TYPE = "application/x-www-form-urlencoded"
# Interactive payloads always name the user who acted; listeners rely on it.
INTERACTIVE = {
    "block_actions",
    "block_suggestion",
    "message_action",
    "shortcut",
    "view_closed",
    "view_submission",
}


@dataclass(frozen=True)
class Refusal:
    status: str
    message: str


def bad(message: str) -> Refusal:
    return Refusal("400 Bad Request", message)


UNSIGNED = Refusal("401 Unauthorized", "The Slack signature is missing, wrong or too old.")


class RawBodyVerifier(SignatureVerifier):
    """Slack signs the raw bytes; the SDK's verifier decodes them first and fails on bad UTF-8."""

    def generate_signature(self, *, timestamp: str, body: str | bytes) -> str | None:
        if not isinstance(body, bytes):
            return super().generate_signature(timestamp=timestamp, body=body)
        base = b"v0:" + timestamp.encode() + b":" + body
        digest = hmac.new(self.signing_secret.encode(), base, hashlib.sha256).hexdigest()
        return f"v0={digest}"


def content_length(environ: dict[str, Any]) -> int | None:
    """The declared body size; None when it is not a number."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    return length if length >= 0 else None


def is_signed(verifier: SignatureVerifier, environ: dict[str, Any], raw: bytes) -> bool:
    timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP")
    signature = environ.get("HTTP_X_SLACK_SIGNATURE")
    try:
        return verifier.is_valid(body=raw, timestamp=timestamp, signature=signature)
    except ValueError:  # a timestamp that is not a number
        return False


def check_body(raw: bytes, content_type: str) -> str | Refusal:
    """The body as text when Bolt can parse it and it has the fields listeners rely on."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return bad("The body is not UTF-8 text.")
    media = content_type.split(";")[0].strip().lower()
    if media not in (JSON_TYPE, FORM_TYPE):
        return bad(f"Unsupported content type {media[:60]!r}: send JSON or a form.")
    # The same choice Bolt makes when it parses (slack_bolt.request.internals.parse_body).
    if media == JSON_TYPE or text.startswith("{"):
        problem = _envelope_problem(_json_object(text, "the body"))
    else:
        problem = _form_problem(dict(parse_qsl(text, keep_blank_values=True)))
    return bad(problem) if problem else text


def _json_object(text: str, what: str) -> dict[str, Any] | str:
    try:
        loaded = json.loads(text)
    except ValueError:
        return f"{what.capitalize()} is not valid JSON."
    return loaded if isinstance(loaded, dict) else f"{what.capitalize()} is not a JSON object."


def _form_problem(form: dict[str, str]) -> str | None:
    if "payload" in form:
        return _envelope_problem(_json_object(form["payload"], "the payload"))
    if "ssl_check" in form:
        return None
    if not all(form.get(name) for name in ("command", "user_id", "channel_id")):
        return "The form is not a Slack command: command, user_id or channel_id is missing."
    return None


def _envelope_problem(body: dict[str, Any] | str) -> str | None:
    if isinstance(body, str):
        return body
    kind = body.get("type")
    if not isinstance(kind, str) or not kind:
        return "The request has no type."
    if kind == "event_callback":
        event = body.get("event")
        if not isinstance(event, dict) or not isinstance(event.get("type"), str):
            return "The event callback has no event, or its event has no type."
        if not isinstance(body.get("event_id"), str):
            return "The event callback has no event_id."
    if kind == "url_verification" and not isinstance(body.get("challenge"), str):
        return "The URL verification has no challenge."
    if kind in INTERACTIVE and not _has_str(body.get("user"), "id"):
        return f"The {kind} payload has no user id."
    return _nested_problem(kind, body)


def _nested_problem(kind: str, body: dict[str, Any]) -> str | None:
    """The fields Bolt indexes into without checking (it would raise on a bad one)."""
    if "view" in body and not isinstance(body["view"], dict):
        return f"The {kind} payload's view is not an object."
    actions = body.get("actions", [{}])
    if not isinstance(actions, list) or not actions or not isinstance(actions[0], dict):
        return f"The {kind} payload's actions are not a list of objects."
    if kind == "block_actions" and not _has_str(actions[0], "action_id"):
        return "The block_actions payload has no action."
    return None


def _has_str(value: object, key: str) -> bool:
    return isinstance(value, dict) and isinstance(value.get(key), str)
