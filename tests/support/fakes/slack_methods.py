"""The Web API methods the fake Slack serves.

Each takes the server and the request's params, returns the reply without "ok", or raises
SlackError. Called with the server's lock held.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from support.fakes.slack_payloads import (
    APP_ID,
    BOT_ID,
    BOT_USER_ID,
    JSON,
    TEAM_ID,
    SlackError,
    channel_object,
    conversation_for,
    decoded,
    paged_reply,
    paginate,
    require,
    ts_key,
    user_object,
    view_object,
)

if TYPE_CHECKING:
    from support.fakes.slack_api import FakeSlackServer

# A string: the server class imports this module, so it is only named here for type checkers.
Method = Callable[["FakeSlackServer", JSON], JSON]
METHODS: dict[str, Method] = {}
APP_TOKEN_METHODS = frozenset({"apps.connections.open"})


@dataclass(frozen=True)
class UploadedFile:
    """A file that went through the whole upload v2 flow and was shared."""

    id: str
    filename: str
    title: str | None
    content: bytes
    channel_id: str | None
    thread_ts: str | None
    initial_comment: str | None


def _method(*names: str) -> Callable[[Method], Method]:
    def register(handler: Method) -> Method:
        METHODS.update(dict.fromkeys(names, handler))
        return handler

    return register


@_method("auth.test")
def _auth_test(fake: FakeSlackServer, params: JSON) -> JSON:
    return {
        "url": "https://fake.slack.com/",
        "team": "Fake Workspace",
        "user": "salesbot",
        "team_id": TEAM_ID,
        "user_id": BOT_USER_ID,
        "bot_id": BOT_ID,
        "is_enterprise_install": False,
    }


@_method("bots.info")
def _bots_info(fake: FakeSlackServer, params: JSON) -> JSON:
    bot = require(params, "bot", "bot_not_found")
    if bot != BOT_ID:
        raise SlackError("bot_not_found")
    return {"bot": {"id": BOT_ID, "deleted": False, "name": "salesbot", "app_id": APP_ID}}


@_method("apps.connections.open")
def _apps_connections_open(fake: FakeSlackServer, params: JSON) -> JSON:
    if fake.socket_mode is None:
        raise SlackError("socket_mode_not_enabled")  # the fake's own word: no socket server set
    return {"url": fake.socket_mode.issue_url()}


@_method("chat.postMessage")
def _chat_post_message(fake: FakeSlackServer, params: JSON) -> JSON:
    channel = conversation_for(require(params, "channel", "channel_not_found"))
    if not params.get("text") and not params.get("blocks") and not params.get("attachments"):
        raise SlackError("no_text")
    keys = ("blocks", "attachments", "thread_ts", "metadata")
    extra = {key: decoded(params[key]) for key in keys if key in params}
    text = params.get("text", "")
    ts = fake.add_message(channel, text=text, user=BOT_USER_ID, bot_id=BOT_ID, **extra)
    return {"channel": channel, "ts": ts, "message": fake.find_message(channel, ts)}


@_method("chat.postEphemeral")
def _chat_post_ephemeral(fake: FakeSlackServer, params: JSON) -> JSON:
    readable(fake, require(params, "channel", "channel_not_found"))
    require(params, "user", "user_not_in_channel")
    return {"message_ts": fake.next_ts()}


@_method("chat.update")
def _chat_update(fake: FakeSlackServer, params: JSON) -> JSON:
    channel = require(params, "channel", "channel_not_found")
    message = fake.find_message(channel, require(params, "ts", "message_not_found"))
    keys = ("text", "blocks", "attachments", "metadata")
    message.update({key: decoded(params[key]) for key in keys if key in params})
    return {"channel": channel, "ts": message["ts"], "text": message["text"], "message": message}


@_method("chat.delete")
def _chat_delete(fake: FakeSlackServer, params: JSON) -> JSON:
    channel = require(params, "channel", "channel_not_found")
    message = fake.find_message(channel, require(params, "ts", "message_not_found"))
    fake.messages[channel].remove(message)
    return {"channel": channel, "ts": message["ts"]}


@_method("chat.getPermalink")
def _chat_get_permalink(fake: FakeSlackServer, params: JSON) -> JSON:
    channel = require(params, "channel", "channel_not_found")
    ts = require(params, "message_ts", "message_not_found")
    link = f"https://fake.slack.com/archives/{channel}/p{ts.replace('.', '')}"
    return {"channel": channel, "permalink": link}


@_method("users.info")
def _users_info(fake: FakeSlackServer, params: JSON) -> JSON:
    user_id = require(params, "user", "user_not_found")
    if user_id not in fake.users:
        raise SlackError("user_not_found")
    return {"user": user_object(user_id, fake.users[user_id])}


@_method("users.list")
def _users_list(fake: FakeSlackServer, params: JSON) -> JSON:
    everyone = [user_object(user_id, spec) for user_id, spec in fake.users.items()]
    return paged_reply("members", everyone, params)


@_method("users.lookupByEmail")
def _users_lookup_by_email(fake: FakeSlackServer, params: JSON) -> JSON:
    email = require(params, "email", "users_not_found")
    for user_id, spec in fake.users.items():
        if spec.get("email") == email:
            return {"user": user_object(user_id, spec)}
    raise SlackError("users_not_found")


@_method("conversations.members")
def _conversations_members(fake: FakeSlackServer, params: JSON) -> JSON:
    channel = require(params, "channel", "channel_not_found")
    if channel not in fake.members:
        raise SlackError("channel_not_found")
    page, cursor = paginate(fake.members[channel], params)
    return {"members": page, "response_metadata": {"next_cursor": cursor}}


@_method("conversations.info")
def _conversations_info(fake: FakeSlackServer, params: JSON) -> JSON:
    return {"channel": channel_object(fake, require(params, "channel", "channel_not_found"))}


def readable(fake: FakeSlackServer, channel: str) -> str:
    """As on Slack: a channel with a known member list is readable only by a member bot;
    outside it a public channel says not_in_channel, a private one does not exist."""
    members = fake.members.get(channel)
    if members is not None and BOT_USER_ID not in members:
        private = channel_object(fake, channel)["is_private"]
        raise SlackError("channel_not_found" if private else "not_in_channel")
    return channel


@_method("conversations.history")
def _conversations_history(fake: FakeSlackServer, params: JSON) -> JSON:
    channel = readable(fake, require(params, "channel", "channel_not_found"))
    stored = fake.messages.get(channel, [])
    top_level = [m for m in stored if m.get("thread_ts", m["ts"]) == m["ts"]]
    if str(params.get("include_all_metadata", "")).lower() not in ("1", "true"):
        # As on Slack: message metadata is returned only when asked for.
        top_level = [{k: v for k, v in m.items() if k != "metadata"} for m in top_level]
    return paged_reply("messages", sorted(top_level, key=ts_key, reverse=True), params)


@_method("conversations.replies")
def _conversations_replies(fake: FakeSlackServer, params: JSON) -> JSON:
    channel = readable(fake, require(params, "channel", "channel_not_found"))
    ts = require(params, "ts", "thread_not_found")
    thread = [m for m in fake.messages.get(channel, []) if ts in (m["ts"], m.get("thread_ts"))]
    if not thread:
        raise SlackError("thread_not_found")
    return paged_reply("messages", sorted(thread, key=ts_key), params, default_limit=1000)


@_method("conversations.open")
def _conversations_open(fake: FakeSlackServer, params: JSON) -> JSON:
    users = [u for u in str(require(params, "users", "users_list_not_supplied")).split(",") if u]
    if len(users) == 1:
        channel, spec = conversation_for(users[0]), {"is_im": True, "user": users[0]}
    else:
        channel, spec = "G" + "".join(sorted(users)), {"is_mpim": True, "is_group": False}
    fake.channels.setdefault(channel, spec)
    return {"channel": {"id": channel}}


@_method("views.publish")
def _views_publish(fake: FakeSlackServer, params: JSON) -> JSON:
    user_id = require(params, "user_id")
    fake.home_views[user_id] = view_object(fake, params, fake.next_id("V"))
    return {"view": fake.home_views[user_id]}


@_method("views.open")
def _views_open(fake: FakeSlackServer, params: JSON) -> JSON:
    require(params, "trigger_id", "invalid_trigger_id")
    return {"view": view_object(fake, params, fake.next_id("V"))}


@_method("views.update")
def _views_update(fake: FakeSlackServer, params: JSON) -> JSON:
    view_id = params.get("view_id") or params.get("external_id")
    if not view_id:
        raise SlackError("not_found")
    return {"view": view_object(fake, params, view_id)}


@_method(
    "assistant.threads.setStatus",
    "assistant.threads.setSuggestedPrompts",
    "assistant.threads.setTitle",
)
def _assistant_thread(fake: FakeSlackServer, params: JSON) -> JSON:
    require(params, "channel_id", "channel_not_found")
    require(params, "thread_ts", "invalid_thread_ts")
    return {}


@_method("reactions.add")
def _reactions_add(fake: FakeSlackServer, params: JSON) -> JSON:
    require(params, "channel", "channel_not_found")
    require(params, "timestamp", "message_not_found")
    require(params, "name", "invalid_name")
    return {}


@_method("files.getUploadURLExternal")
def _files_get_upload_url(fake: FakeSlackServer, params: JSON) -> JSON:
    filename = require(params, "filename")
    length = int(require(params, "length"))
    file_id = fake.next_id("F")
    fake.pending_uploads[file_id] = {"filename": filename, "length": length}
    return {"upload_url": f"{fake.url}upload/{file_id}", "file_id": file_id}


@_method("files.completeUploadExternal")
def _files_complete_upload(fake: FakeSlackServer, params: JSON) -> JSON:
    items = decoded(require(params, "files"))
    pending = [fake.pending_uploads.get(item["id"], {}) for item in items]
    if any("content" not in upload for upload in pending):
        raise SlackError("file_not_found")
    shared = [
        UploadedFile(
            id=item["id"],
            filename=upload["filename"],
            title=item.get("title"),
            content=upload["content"],
            channel_id=params.get("channel_id"),
            thread_ts=params.get("thread_ts"),
            initial_comment=params.get("initial_comment"),
        )
        for item, upload in zip(items, pending, strict=True)
    ]
    fake.files.extend(shared)
    return {"files": [{"id": f.id, "name": f.filename, "title": f.title} for f in shared]}
