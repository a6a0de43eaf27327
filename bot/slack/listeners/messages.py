"""Direct messages, and follow-ups in a thread the bot already answered (no new mention)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.slack.deps import SlackDeps
from bot.slack.inbound import from_message, should_ignore
from tools.crm.events import is_answered_thread


def register(app: App, deps: SlackDeps) -> None:
    @app.event("message")
    def handle_message(event: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        if should_ignore(event, deps.bot_user_id):
            return
        surface = _surface(event, deps)
        if surface is None:
            return
        inbound = from_message(event, body.get("team_id"), surface)
        deps.work.submit(
            lambda: deps.answerer.answer(client, inbound),
            on_error=lambda _exc, ref: deps.answerer.report_error(client, inbound, ref),
        )


def _surface(event: dict[str, Any], deps: SlackDeps) -> str | None:
    if event.get("channel_type") == "im":
        return "dm"
    thread_ts = event.get("thread_ts")
    if not thread_ts or thread_ts == event.get("ts"):
        return None
    # A message that mentions the bot also arrives as app_mention; answer it only once.
    if deps.bot_user_id and f"<@{deps.bot_user_id}" in event.get("text", ""):
        return None
    with deps.sessions() as session:
        return "thread" if is_answered_thread(session, event["channel"], thread_ts) else None
