"""Build the Bolt app; no environment reads here, so tests build it against local servers."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.agent.runner import AgentRunner
from bot.metrics.slack_client import SlackCallMetrics
from bot.settings import Settings
from bot.slack.answering import Answerer
from bot.slack.audience import Audience
from bot.slack.deps import SlackDeps
from bot.slack.identity import IdentityResolver
from bot.slack.listeners import register_listeners
from bot.slack.work import BUSY_TEXT, WorkPool, WorkPoolBusy
from bot.slack.workspace import discover_installation, workspace_gate

log = logging.getLogger(__name__)
AGAIN = "Please try again in a minute."


def build_client(settings: Settings) -> WebClient:
    """A Web API client for the configured base URL that honours 429 Retry-After; failed calls
    and 429s are counted for the metrics."""
    client = WebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url)
    client.retry_handlers.insert(0, SlackCallMetrics())
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=3))
    return client


def build_deps(settings: Settings, runner: AgentRunner, client: WebClient) -> SlackDeps:
    """Wire the listeners' collaborators; asks Slack once who the bot is, and in which workspace."""
    sessions = runner.sessions
    installation = discover_installation(client, settings.slack_app_id)
    bot_user_id = installation.bot_user_id
    identity = IdentityResolver(
        sessions, client, installation, allow_guests=settings.slack_allow_guests
    )
    audience = Audience(identity, bot_user_id=bot_user_id)
    answerer = Answerer(
        runner=runner,
        identity=identity,
        audience=audience,
        sessions=sessions,
        clock=runner.clock,
        bot_user_id=bot_user_id,
    )
    return SlackDeps(
        sessions=sessions,
        runner=runner,
        identity=identity,
        audience=audience,
        answerer=answerer,
        work=WorkPool(settings.slack_workers, settings.slack_queue_limit),
        clock=runner.clock,
        bot_user_id=bot_user_id,
        nudge_time=settings.nudge_time,
        installation=installation,
    )


def build_app(
    settings: Settings, deps: SlackDeps, client: WebClient, *, process_before_response: bool = False
) -> App:
    """The Bolt app with every listener registered and one error handler."""
    app = App(
        signing_secret=settings.slack_signing_secret,
        client=client,
        process_before_response=process_before_response,
        # Events are acked before the listener runs; an ignored event type is not an error.
        raise_error_for_unhandled_request=False,
    )
    if deps.installation is not None:
        # First of our middleware, before de-duplication: another workspace's events are not
        # even recorded as seen.
        app.middleware(workspace_gate(deps.installation))
    register_listeners(app, deps)

    @app.error
    def handle_error(error: Exception, body: dict[str, Any], client: WebClient) -> BoltResponse:
        if isinstance(error, WorkPoolBusy):  # overload is not a fault: no stack trace, no ref
            log.warning("busy, turned away %s: %s", _kind(body), error)
            _tell_user(client, body, BUSY_TEXT)
            return BoltResponse(status=200, body="")
        ref = uuid.uuid4().hex[:8]
        log.error("unhandled error (ref %s) for %s", ref, _kind(body), exc_info=error)
        _tell_user(client, body, f"Sorry, something went wrong on my side (ref {ref}). {AGAIN}")
        return BoltResponse(status=200, body="")

    return app


def _kind(body: dict[str, Any]) -> str:
    return str(body.get("type") or body.get("command") or (body.get("event") or {}).get("type"))


def _tell_user(client: WebClient, body: dict[str, Any], text: str) -> None:
    """Whoever addressed the bot hears back (with the reference that is in our logs, if any)."""
    event = body.get("event") or {}
    user = event.get("user") or body.get("user_id") or (body.get("user") or {}).get("id")
    channel = (
        event.get("channel") or body.get("channel_id") or (body.get("channel") or {}).get("id")
    )
    if not user or not channel or event.get("bot_id"):
        return
    try:
        client.chat_postEphemeral(
            channel=channel,
            user=user,
            text=text,
            thread_ts=event.get("thread_ts") or event.get("ts"),
        )
    except Exception:  # the report itself must never raise out of the error handler
        log.exception("could not report %r to the user", text)
