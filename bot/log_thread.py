"""The "Log this thread" message shortcut: a thread's summary proposed as a note on its account.

The note links the thread's permalink and goes through the same proposal card as any other
write, shown only to the person who used the shortcut.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.agent.question import parse
from bot.answering import UNMAPPED_TEXT
from bot.blocks.proposals import build_proposal_blocks, card_text
from bot.identity import UNAVAILABLE_TEXT, IdentityUnavailableError
from bot.slack_deps import SlackDeps
from bot.thread_summary import summarize_thread, thread_lines
from tools.context import ToolContext
from tools.crm.names import list_visible_names
from tools.models import User
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


def log_thread(deps: SlackDeps, client: WebClient, body: dict[str, Any]) -> None:
    """Summarise the thread the shortcut was used on and show the proposal card privately."""
    user_id = body["user"]["id"]
    channel = (body.get("channel") or {}).get("id") or ""
    message = body.get("message") or {}
    root = str(message.get("thread_ts") or message.get("ts") or "")
    try:
        principal = deps.identity.resolve(user_id)
    except IdentityUnavailableError:
        _tell(client, channel, user_id, UNAVAILABLE_TEXT)
        return
    if principal is None:
        _tell(client, channel, user_id, UNMAPPED_TEXT)
        return
    replies = client.conversations_replies(channel=channel, ts=root, limit=MAX_MESSAGES)
    messages = replies.get("messages") or [message]
    lines = thread_lines(messages, _names(deps, messages))
    if not lines:
        _tell(client, channel, user_id, EMPTY)
        return
    link = client.chat_getPermalink(channel=channel, message_ts=root).get("permalink")
    artifact = _propose_note(deps, principal, lines, link)
    if artifact.get("type") != "write_proposal":
        _tell(client, channel, user_id, str(artifact.get("text") or NO_ACCOUNT))
        return
    _show(client, channel, user_id, artifact)


def _propose_note(
    deps: SlackDeps, principal: Principal, lines: list[str], link: str | None
) -> dict[str, Any]:
    account, deal = _subject(deps, principal, "\n".join(lines))
    if account is None:
        return {"type": "notice", "text": NO_ACCOUNT}
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

    ctx = ToolContext(principal, deps.sessions, deps.runner.index, deps.clock)
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
        rows = session.execute(
            select(User.slack_user_id, User.name).where(User.slack_user_id.in_(ids))
        ).all()
    return {str(slack_id): name for slack_id, name in rows}


def _show(client: WebClient, channel: str, user_id: str, artifact: dict[str, Any]) -> None:
    blocks, text = build_proposal_blocks(artifact), card_text(artifact)
    try:
        client.chat_postEphemeral(channel=channel, user=user_id, blocks=blocks, text=text)
    except SlackApiError:  # e.g. the bot is not in that channel: the DM always works
        client.chat_postMessage(channel=user_id, blocks=blocks, text=text)


def _tell(client: WebClient, channel: str, user_id: str, text: str) -> None:
    try:
        client.chat_postEphemeral(channel=channel, user=user_id, text=text)
    except SlackApiError:
        client.chat_postMessage(channel=user_id, text=text)
