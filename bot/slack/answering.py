"""From a question in Slack to an answer where the right people see it."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from bot.agent.answer import Answer
from bot.agent.runner import FALLBACK_NOTICE, AgentRunner, History
from bot.metrics.correlation import current_ref
from bot.metrics.events import record_answer
from bot.slack.audience import Audience
from bot.slack.blocks import (
    build_answer_blocks,
    build_choice_blocks,
    build_error_blocks,
    build_identity_unavailable_blocks,
    build_private_reason_blocks,
    build_share_button_blocks,
    build_unmapped_user_blocks,
    fallback_text,
)
from bot.slack.chart_upload import (
    ChartUploader,
    Destination,
    private_destination,
    public_destination,
)
from bot.slack.identity import UNAVAILABLE_TEXT, IdentityResolver, IdentityUnavailableError
from bot.slack.inbound import Inbound, is_from_bot, question_text
from tools.crm.events import mark_thread_answered
from tools.db import Session, SQLAlchemyError, sessionmaker
from tools.interactions import when_model_loads
from tools.principal import Principal

log = logging.getLogger(__name__)
HISTORY_MESSAGES = 20
UNMAPPED_TEXT = "I can't find you in the CRM, so I can't show you any data."
EMPTY_QUESTION = "help"
LOADING_TEXT = "Loading the search model (first search since the bot started); one moment..."


class Answerer:
    """Runs the agent for an inbound question and delivers the answer on the right surface."""

    def __init__(
        self,
        *,
        runner: AgentRunner,
        identity: IdentityResolver,
        audience: Audience,
        sessions: sessionmaker[Session],
        clock: Callable[[], datetime],
        bot_user_id: str | None,
        charts: ChartUploader | None = None,
    ) -> None:
        self.runner = runner
        self.identity = identity
        self.audience = audience
        self.sessions = sessions
        self.clock = clock
        self.bot_user_id = bot_user_id
        self.charts = charts or ChartUploader()

    def answer(
        self, client: WebClient, inbound: Inbound, history: History | None = None
    ) -> Answer | None:
        """Answer one question; returns the Answer (None for an unmapped user).

        `history` is the conversation so far when the caller has it (a clicked choice carries
        its own); otherwise it is read from the Slack thread.
        Counted, timed and logged as one JSON line (bot/metrics/events.py), failures included.
        """
        started = time.perf_counter()
        answer, outcome = None, "error"
        try:
            answer, outcome = self._answer(client, inbound, history)
            return answer
        finally:
            _record(inbound, answer, outcome, time.perf_counter() - started)

    def _answer(
        self, client: WebClient, inbound: Inbound, given: History | None
    ) -> tuple[Answer | None, str]:
        try:
            principal = self.identity.resolve(inbound.user_id)
        except IdentityUnavailableError:
            self.reply_privately(
                client, inbound, build_identity_unavailable_blocks(), UNAVAILABLE_TEXT
            )
            return None, "identity_unavailable"
        if principal is None:
            self.reply_privately(client, inbound, build_unmapped_user_blocks(), UNMAPPED_TEXT)
            return None, "unmapped"
        history = self.thread_history(client, inbound) if given is None else given
        with when_model_loads(lambda: self.say_loading(client, inbound)):
            answer = self.runner.ask(principal, inbound.text or EMPTY_QUESTION, history)
        where = self.deliver(client, inbound, answer, self.blocks_for(answer, inbound, principal))
        # After the answer, so the text is never held up by drawing or a failed upload.
        self.charts.upload_for(client, inbound.user_id, answer.artifacts, where)
        return answer, "fallback" if answer.notice == FALLBACK_NOTICE else "ok"

    def blocks_for(
        self, answer: Answer, inbound: Inbound, principal: Principal
    ) -> list[dict[str, Any]]:
        """The answer's blocks, then a button per choice it offers."""
        choices = build_choice_blocks(answer.choices, inbound.text, answer.text)
        # A slash-command answer gets a Share button after it: keep one block free for it.
        reserve = len(choices) + (1 if inbound.surface == "command" else 0)
        blocks = build_answer_blocks(
            answer, timezone=principal.timezone, more_key=more_key(answer), reserve=reserve
        )
        return blocks + choices

    def deliver(
        self, client: WebClient, inbound: Inbound, answer: Answer, blocks: list[dict[str, Any]]
    ) -> Destination:
        """Post the answer; returns where its charts belong."""
        text = fallback_text(answer)
        if inbound.surface == "command":
            share = json.dumps({"q": inbound.text[:1500]})
            self.reply_privately(client, inbound, blocks + build_share_button_blocks(share), text)
            return private_destination(inbound)
        if inbound.in_shared_channel:
            verdict = self.audience.check(client, inbound.channel_id, answer)
            if not verdict.public:
                reason = build_private_reason_blocks(verdict.reason or "")
                self.reply_privately(client, inbound, reason + blocks, text)
                return private_destination(inbound)
        client.chat_postMessage(
            channel=inbound.channel_id,
            thread_ts=inbound.thread_ts,
            blocks=blocks,
            text=text,
            unfurl_links=False,
            unfurl_media=False,
        )
        if inbound.thread_ts:
            self.remember_thread(inbound.channel_id, inbound.thread_ts)
        return public_destination(inbound)

    def remember_thread(self, channel_id: str, thread_ts: str) -> None:
        """So follow-ups without a mention are answered; never an error after a posted answer.

        A database locked past its busy timeout only costs those follow-ups a mention.
        """
        try:
            with self.sessions.begin() as session:
                mark_thread_answered(session, channel_id, thread_ts, now=self.clock())
        except SQLAlchemyError as exc:
            log.warning("could not remember thread %s/%s: %s", channel_id, thread_ts, exc)

    def say_loading(self, client: WebClient, inbound: Inbound) -> None:
        """The first search after a start waits for the model: the asker is told, once."""
        blocks = [{"type": "context", "elements": [{"type": "mrkdwn", "text": LOADING_TEXT}]}]
        try:
            self.reply_privately(client, inbound, blocks, LOADING_TEXT)
        except SlackApiError:  # only a courtesy: the answer still follows
            log.warning("Could not post the loading note", exc_info=True)

    def reply_privately(
        self, client: WebClient, inbound: Inbound, blocks: list[dict[str, Any]], text: str
    ) -> None:
        """Only the asker sees it: the slash command's response URL, an ephemeral, or the DM."""
        if inbound.response_url:
            WebhookClient(inbound.response_url).send(
                text=text, blocks=blocks, response_type="ephemeral", replace_original=False
            )
        elif inbound.in_shared_channel:
            client.chat_postEphemeral(
                channel=inbound.channel_id,
                user=inbound.user_id,
                thread_ts=inbound.thread_ts,
                blocks=blocks,
                text=text,
            )
        else:
            client.chat_postMessage(
                channel=inbound.channel_id, thread_ts=inbound.thread_ts, blocks=blocks, text=text
            )

    def report_error(self, client: WebClient, inbound: Inbound, ref: str) -> None:
        """The user who asked always hears back, with the reference we logged."""
        message = (
            "I couldn't answer that because of an error on my side. Please try again in a minute."
        )
        self.reply_privately(
            client, inbound, build_error_blocks(message, ref), f"{message} (ref {ref})"
        )

    def thread_history(self, client: WebClient, inbound: Inbound) -> list[tuple[str, str]]:
        """Earlier turns of the thread, oldest first, as (role, text)."""
        if not inbound.thread_ts or inbound.thread_ts == inbound.ts:
            return []
        replies: list[dict[str, Any]] = client.conversations_replies(
            channel=inbound.channel_id, ts=inbound.thread_ts, limit=HISTORY_MESSAGES + 1
        ).get("messages", [])
        history = []
        for message in replies:
            if message.get("ts") == inbound.ts or not message.get("text"):
                continue
            role = "assistant" if is_from_bot(message, self.bot_user_id) else "user"
            history.append((role, question_text(message["text"])))
        return history[-HISTORY_MESSAGES:]


def _record(inbound: Inbound, answer: Answer | None, outcome: str, seconds: float) -> None:
    content = {"question": inbound.text, "answer": answer.text if answer else ""}
    record_answer(
        surface=inbound.surface,
        outcome=outcome,
        seconds=seconds,
        ref=current_ref(),
        engine=answer.engine if answer else None,
        tools=[call.name for call in answer.tool_calls] if answer else (),
        artifacts=len(answer.artifacts) if answer else 0,
        content=content,
    )


def more_key(answer: Answer) -> str | None:
    """The tool call behind the first cut-short list, so "Show all" can re-run it as the clicker."""
    for artifact in answer.artifacts:
        if artifact.get("truncated") and artifact.get("source"):
            return json.dumps(artifact["source"])[:1900]
    return None
