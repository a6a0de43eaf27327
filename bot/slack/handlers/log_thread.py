"""The "Log this thread" message shortcut: a thread's summary proposed as a note on its account.

The note links the thread's permalink and goes through the same proposal card as any other
write, shown only to the person who used the shortcut.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from bot.agent.planner.parse import parse
from bot.slack.answering import UNMAPPED_TEXT
from bot.slack.blocks.proposals import build_proposal_blocks, card_text
from bot.slack.deps import SlackDeps
from bot.slack.handlers.thread_summary import summarize_thread, thread_lines
from bot.slack.identity import UNAVAILABLE_TEXT, IdentityUnavailableError
from tools.artifacts import ArtifactType
from tools.context import ToolContext
from tools.crm.names import list_visible_names
from tools.crm.users import names_by_slack_id
from tools.db import Session
from tools.principal import Principal
from tools.write_tools import propose
from tools.writes.propose import Draft, draft_interaction
from tools.writes.resolve import account_deal, resolve_account, resolve_deal

log = logging.getLogger(__name__)
MAX_MESSAGES = 200
MAX_NAME_TEXT = 6_000
NO_ACCOUNT = (
    "I couldn't tell which of your accounts this thread is about. Mention the account's name "
    "in the thread and try again, or ask me: log a note with ACCOUNT: what was said."
)
EMPTY = "That thread has no text I could log."
INVITE = (
    "invite me with `/invite @salesbot` and use Log this thread again, or use it on a thread "
    "in a channel I'm already in"
)
# Why Slack would not hand over the thread, and what the person can do about it.
UNREADABLE = {
    "not_in_channel": f"I can't read that thread: I'm not a member of this channel. To log it, "
    f"{INVITE}.",
    "channel_not_found": "I can't read that thread: it is in a private channel or a direct "
    f"message I'm not part of. In a private channel, {INVITE}.",
    "missing_scope": "I can't read that thread: salesbot isn't allowed to read this kind of "
    "conversation (a group DM, say). Use Log this thread in a channel instead (if I'm not "
    "there, invite me with `/invite @salesbot`), or ask a Slack admin to reinstall salesbot "
    "from its manifest.",
}
UNREADABLE_OTHER = (
    "I couldn't read that thread (Slack said: {error}). Try again in a minute; if it keeps "
    f"failing, {INVITE}."
)


def log_thread(deps: SlackDeps, client: WebClient, body: dict[str, Any]) -> None:
    """Summarise the thread the shortcut was used on and show the proposal card privately."""
    user_id = body["user"]["id"]
    channel = (body.get("channel") or {}).get("id") or ""
    message = body.get("message") or {}
    root = str(message.get("thread_ts") or message.get("ts") or "")
    reply_to = Reply(client, channel, user_id, body.get("response_url"))
    try:
        principal = deps.identity.resolve(user_id)
    except IdentityUnavailableError:
        reply_to.tell(UNAVAILABLE_TEXT)
        return
    if principal is None:
        reply_to.tell(UNMAPPED_TEXT)
        return
    try:
        replies = client.conversations_replies(channel=channel, ts=root, limit=MAX_MESSAGES)
        link = client.chat_getPermalink(channel=channel, message_ts=root).get("permalink")
    except SlackApiError as exc:  # the bot cannot read this conversation: say so, and how to fix it
        error = str(exc.response.get("error") or "unknown_error")
        log.info("log this thread: cannot read %s (%s)", channel, error)
        reply_to.tell(UNREADABLE.get(error) or UNREADABLE_OTHER.format(error=error))
        return
    messages = replies.get("messages") or [message]
    lines = thread_lines(messages, _names(deps, messages))
    if not lines:
        reply_to.tell(EMPTY)
        return
    artifact = _propose_note(deps, principal, lines, link)
    if artifact.get("type") != ArtifactType.WRITE_PROPOSAL:
        reply_to.tell(str(artifact.get("text") or NO_ACCOUNT))
        return
    _show(client, channel, user_id, artifact)


def _propose_note(
    deps: SlackDeps, principal: Principal, lines: list[str], link: str | None
) -> Mapping[str, Any]:
    account, deal = _subject(deps, principal, "\n".join(lines))
    if account is None:
        return {"type": ArtifactType.NOTICE, "text": NO_ACCOUNT}
    summary = summarize_thread(deps.runner.llm, lines)

    def build(session: Session) -> Draft:
        found = resolve_account(session, principal, account)
        on_deal = resolve_deal(session, principal, deal) if deal else None
        return draft_interaction(
            found,
            today=ctx.today(),
            kind="note",
            text=summary,
            deal=on_deal or account_deal(session, principal, found.id),
            link=link,
        )

    ctx = ToolContext(
        principal, deps.sessions, deps.runner.index, deps.clock, deps.runner.reporting_currency
    )
    _, artifact = propose(ctx, build)
    return artifact


def _subject(deps: SlackDeps, principal: Principal, text: str) -> tuple[str | None, str | None]:
    """The account (and deal) of the asker's book that the thread names."""
    with deps.sessions() as session:
        accounts, deals, people = list_visible_names(session, principal)
    p = parse(text[:MAX_NAME_TEXT], accounts, deals, people, principal.name)
    return p.account, p.deal


def _names(deps: SlackDeps, messages: list[dict[str, Any]]) -> dict[str, str]:
    """Slack ids of the authors to CRM names, where they are linked."""
    ids = {str(m.get("user")) for m in messages if m.get("user")}
    with deps.sessions() as session:
        return names_by_slack_id(session, ids)


def _show(client: WebClient, channel: str, user_id: str, artifact: Mapping[str, Any]) -> None:
    blocks, text = build_proposal_blocks(artifact), card_text(artifact)
    try:
        client.chat_postEphemeral(channel=channel, user=user_id, blocks=blocks, text=text)
    except SlackApiError:  # e.g. the bot is not in that channel: the DM always works
        client.chat_postMessage(channel=user_id, blocks=blocks, text=text)


@dataclass(frozen=True)
class Reply:
    """Where a message for the person who used the shortcut can go, most private first."""

    client: WebClient
    channel: str
    user_id: str
    response_url: str | None

    def tell(self, text: str) -> None:
        """The shortcut's response URL (it works even where the bot is not a member), then
        an ephemeral message, then a DM: the person always hears why."""
        if self.response_url and _respond(self.response_url, text):
            return
        try:
            self.client.chat_postEphemeral(channel=self.channel, user=self.user_id, text=text)
        except SlackApiError:
            self.client.chat_postMessage(channel=self.user_id, text=text)


def _respond(url: str, text: str) -> bool:
    try:
        sent = WebhookClient(url).send(text=text, response_type="ephemeral")
    except (OSError, SlackApiError) as exc:
        log.warning("log this thread: the response URL failed (%s)", exc)
        return False
    return sent.status_code == 200
