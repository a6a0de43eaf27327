"""A click on one of an answer's choices: the same as typing its number, as the clicker.

The button carries the question, the answer that offered the choices and the reply; the
reply is asked as whoever clicked (the tools scope it to their book), where the choices were:
in the thread or DM for everyone there, or privately when the choices were private.
"""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient

from bot.slack.asker import principal_or_reply
from bot.slack.deps import SlackDeps
from bot.slack.inbound import Inbound, Surface

STALE = "That choice can't be read any more; please ask your question again."
FAILED = "I couldn't answer that because of an error on my side (ref {ref}). Please try again."


def choose(deps: SlackDeps, client: WebClient, body: dict[str, Any], value: str | None,
           respond: Respond) -> None:  # fmt: skip
    user_id = body["user"]["id"]
    request = _request(value)
    if request is None:
        respond(text=STALE, response_type="ephemeral", replace_original=False)
        return
    question, offered, reply = request
    history = [("user", question), ("assistant", offered)]
    container = body.get("container") or {}
    message = body.get("message")
    channel_id = container.get("channel_id") or (body.get("channel") or {}).get("id") or ""
    if container.get("is_ephemeral") or message is None:
        _answer_privately(deps, user_id, reply, history, respond)
        return
    surface: Surface = "dm" if channel_id.startswith("D") else "thread"
    inbound = Inbound(
        user_id=user_id,
        channel_id=channel_id,
        text=reply,
        surface=surface,
        thread_ts=message.get("thread_ts") or (message.get("ts") if surface == "thread" else None),
        team_id=(body.get("team") or {}).get("id"),
    )
    deps.answerer.answer(client, inbound, history)


def _answer_privately(
    deps: SlackDeps, user_id: str, reply: str, history: list[tuple[str, str]], respond: Respond
) -> None:
    principal = principal_or_reply(deps.identity, user_id, respond)
    if principal is None:
        return
    answer = deps.runner.ask(principal, reply, history)
    inbound = Inbound(user_id=user_id, channel_id="", text=reply, surface="share")
    blocks = deps.answerer.blocks_for(answer, inbound, principal)
    respond(
        blocks=blocks,
        text=answer.text[:3000] or "Here is what I found.",
        response_type="ephemeral",
        replace_original=False,
    )


def _request(value: str | None) -> tuple[str, str, str] | None:
    try:
        loaded = json.loads(value or "")
    except json.JSONDecodeError:
        return None
    if not isinstance(loaded, dict):
        return None
    parts = (loaded.get("q"), loaded.get("a"), loaded.get("r"))
    if not all(isinstance(p, str) for p in parts) or not str(parts[2]).strip():
        return None
    return str(parts[0]), str(parts[1]), str(parts[2])


def report_failure(respond: Respond, ref: str) -> None:
    """The clicker always hears back, with the reference we logged."""
    respond(text=FAILED.format(ref=ref), response_type="ephemeral", replace_original=False)
