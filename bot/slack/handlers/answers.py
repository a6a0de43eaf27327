"""Answer buttons: "Show all" re-runs a list as the clicker; "Share" posts an answer in the channel.

Both run as whoever clicked: anything a button carries is a request, never a permission.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient

from bot.agent.answer import Answer
from bot.slack.asker import principal_or_reply
from bot.slack.blocks import build_answer_blocks, fallback_text
from bot.slack.chart_upload import Destination
from bot.slack.deps import SlackDeps
from bot.slack.direct_tools import run_tool
from bot.slack.identity import UNAVAILABLE_TEXT, IdentityUnavailableError
from bot.slack.inbound import Inbound
from tools.artifacts import ArtifactType

log = logging.getLogger(__name__)
SHOW_ALL_LIMIT = 50
CANNOT_SHARE = "I can't share this here: some members of this channel may not see all of this data."
# Out of scope reads exactly like missing, for a forged button value as for a deleted deal.
NOT_FOUND = "I couldn't find that {what}. It may have been removed, or it isn't in your book."


def _load(value: str | None) -> dict[str, Any]:
    try:
        loaded = json.loads(value or "{}")
    except json.JSONDecodeError:
        return {}
    return loaded if isinstance(loaded, dict) else {}


def show_all(deps: SlackDeps, user_id: str, value: str | None, respond: Respond) -> None:
    """Re-run a tool call as whoever clicked: the tools' scoping decides what they see.

    Anyone in a channel can click a button on a shared answer, so nothing is taken on trust.
    """
    principal = principal_or_reply(deps.identity, user_id, respond)
    if principal is None:
        return
    request = _load(value)
    args = {**request.get("args", {}), "limit": SHOW_ALL_LIMIT}
    artifact = run_tool(deps, principal, str(request.get("tool", "")), args)
    answer = Answer(text=unrendered_text(artifact), artifacts=[artifact])
    respond(
        blocks=build_answer_blocks(answer, timezone=principal.timezone, max_rows=SHOW_ALL_LIMIT),
        text=fallback_text(answer),
        response_type="ephemeral",
        replace_original=False,
    )


def unrendered_text(artifact: dict[str, Any]) -> str:
    """Words for the artifacts blocks do not draw (they leave it to the answer's text)."""
    if artifact.get("type") == ArtifactType.NOTICE:
        return str(artifact.get("text") or "")
    if artifact.get("type") == ArtifactType.NOT_FOUND:
        return NOT_FOUND.format(what=artifact.get("what") or "item")
    return ""


def share(
    deps: SlackDeps, client: WebClient, body: dict[str, Any], value: str | None, respond: Respond
) -> None:
    """Answer the question again as the clicker, and post it only if the channel may see it."""
    question = str(_load(value).get("q", ""))
    channel_id = (body.get("channel") or {}).get("id")
    inbound = Inbound(
        user_id=body["user"]["id"], channel_id=channel_id or "", text=question, surface="share"
    )
    try:
        principal = deps.identity.resolve(inbound.user_id)
    except IdentityUnavailableError:
        respond(text=UNAVAILABLE_TEXT, response_type="ephemeral", replace_original=False)
        return
    if principal is None or not channel_id:
        respond(text="I can't share that here.", response_type="ephemeral", replace_original=False)
        return
    answer = deps.runner.ask(principal, question)
    if not deps.audience.check(client, channel_id, answer).public:
        respond(text=CANNOT_SHARE, response_type="ephemeral", replace_original=False)
        return
    blocks = build_answer_blocks(answer, timezone=principal.timezone)
    client.chat_postMessage(
        channel=channel_id,
        blocks=blocks,
        text=fallback_text(answer),
        unfurl_links=False,
        unfurl_media=False,
    )
    respond(delete_original=True)
    deps.answerer.charts.upload_for(
        client, inbound.user_id, answer.artifacts, Destination(channel_id)
    )
