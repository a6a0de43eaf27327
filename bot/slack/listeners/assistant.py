"""Slack's AI app container: suggested prompts by role, a thinking status, a thread title."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, Assistant, Say, SetStatus, SetSuggestedPrompts, SetTitle
from slack_sdk import WebClient

from bot.slack.deps import SlackDeps
from bot.slack.identity import IdentityUnavailableError
from bot.slack.inbound import Inbound, question_text

REP_PROMPTS = [
    ("What should I do today?", "what should I do today?"),
    ("My pipeline this quarter", "how's my pipeline this quarter?"),
    ("Deals gone quiet", "which of my deals had no activity in 14 days?"),
    ("What did a customer say?", "what did Acme say about pricing?"),
]
MANAGER_PROMPTS = [
    ("Team pipeline", "pipeline for my team this quarter"),
    ("Deals closing this month", "team deals closing this month"),
    ("Stalled deals", "team deals with no activity in 21 days"),
    ("What should I do today?", "what should I do today?"),
]
GREETING = "Hi! Ask me about your deals, accounts, pipeline or what customers said."
THINKING = "is looking through the CRM…"


def register(app: App, deps: SlackDeps) -> None:
    assistant = Assistant()

    @assistant.thread_started
    def handle_thread_started(
        say: Say, set_suggested_prompts: SetSuggestedPrompts, payload: dict[str, Any]
    ) -> None:
        user_id = payload.get("assistant_thread", {}).get("user_id") or payload.get("user", "")
        try:
            principal = deps.identity.resolve(user_id) if user_id else None
        except IdentityUnavailableError:  # prompts are only words: the rep's set will do
            principal = None
        prompts = MANAGER_PROMPTS if principal and principal.is_manager else REP_PROMPTS
        say(GREETING)
        set_suggested_prompts(prompts=[{"title": t, "message": m} for t, m in prompts])

    @assistant.user_message
    def handle_user_message(
        payload: dict[str, Any],
        body: dict[str, Any],
        client: WebClient,
        set_status: SetStatus,
        set_title: SetTitle,
    ) -> None:
        if payload.get("subtype") or payload.get("bot_id"):
            return
        inbound = Inbound(
            user_id=payload["user"],
            channel_id=payload["channel"],
            text=question_text(payload.get("text", "")),
            surface="assistant",
            thread_ts=payload.get("thread_ts"),
            ts=payload.get("ts"),
            team_id=body.get("team_id"),
        )

        def work() -> None:
            set_title(inbound.text[:60] or "salesbot")
            set_status(THINKING)
            try:
                deps.answerer.answer(client, inbound)
            finally:
                set_status("")

        deps.work.submit(
            work, on_error=lambda _exc, ref: deps.answerer.report_error(client, inbound, ref)
        )

    app.use(assistant)
