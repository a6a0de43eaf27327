"""What the fake Slack shares with its methods: ids, errors, reading params, building objects."""

from __future__ import annotations

import base64
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from support.fakes.slack_api import FakeSlackServer

BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
TEAM_ID = "T1"
APP_ID = "A1"
# users.info flags a configured user may set; absent ones are false, as for a full member.
USER_FLAGS = ("is_stranger", "is_restricted", "is_ultra_restricted", "is_app_user")
JSON = dict[str, Any]


class SlackError(Exception):
    """Raised by a method handler to answer `{"ok": false, "error": ...}`."""


def require(params: JSON, key: str, error: str = "invalid_arguments") -> Any:
    value = params.get(key)
    if value is None or value == "":
        raise SlackError(error)
    return value


def decoded(value: Any) -> Any:
    """Form posts carry blocks, views and file lists as JSON text; JSON posts carry them as is."""
    if isinstance(value, str) and value[:1] in ("[", "{"):
        return json.loads(value)
    return value


def paginate(items: list[Any], params: JSON, default_limit: int = 100) -> tuple[list[Any], str]:
    """Slice `items` as Slack paginates: `limit` per page and an opaque `cursor` to the next."""
    cursor = str(params.get("cursor") or "")
    try:
        start = int(base64.b64decode(cursor).decode().removeprefix("next:")) if cursor else 0
    except ValueError as err:
        raise SlackError("invalid_cursor") from err
    end = start + int(params.get("limit") or default_limit)
    next_cursor = base64.b64encode(f"next:{end}".encode()).decode() if end < len(items) else ""
    return items[start:end], next_cursor


def paged_reply(key: str, items: list[Any], params: JSON, default_limit: int = 100) -> JSON:
    page, cursor = paginate(items, params, default_limit)
    return {key: page, "has_more": bool(cursor), "response_metadata": {"next_cursor": cursor}}


def ts_key(message: JSON) -> tuple[int, ...]:
    # Float timestamps lose the last digits at this magnitude; compare the two integer parts.
    return tuple(int(part) for part in message["ts"].split("."))


def conversation_for(channel: str) -> str:
    """Posting to a user id lands in the app's DM with that user, as on Slack."""
    return f"D{channel}" if channel[:1] in ("U", "W") else channel


def user_object(user_id: str, spec: JSON) -> JSON:
    name = spec.get("name", user_id.lower())
    profile = {"real_name": spec.get("real_name", name), "display_name": name}
    if spec.get("email"):
        profile["email"] = spec["email"]
    user = {
        "id": user_id,
        "team_id": spec.get("team_id", TEAM_ID),
        "name": name,
        "real_name": profile["real_name"],
        "deleted": spec.get("deleted", False),
        "is_bot": spec.get("is_bot", False),
        "tz": spec.get("tz", "America/New_York"),
        "profile": profile,
    }
    user |= {flag: bool(spec.get(flag, False)) for flag in USER_FLAGS}
    if "enterprise_user" in spec:
        user["enterprise_user"] = spec["enterprise_user"]
    return user


def channel_object(fake: FakeSlackServer, channel: str) -> JSON:
    """Configured flags win; otherwise the id's first letter says what it is, as Slack ids do."""
    kind = channel[:1]
    inferred = {
        "id": channel,
        "name": channel.lower(),
        "is_channel": kind == "C",
        "is_group": kind == "G",
        "is_im": kind == "D",
        "is_mpim": False,
        "is_private": kind in ("G", "D"),
        "is_archived": False,
    }
    return {**inferred, **fake.channels.get(channel, {})}


def view_object(fake: FakeSlackServer, params: JSON, view_id: str) -> JSON:
    view = dict(decoded(require(params, "view")))
    return {**view, "id": view_id, "team_id": TEAM_ID, "state": {"values": {}}}
