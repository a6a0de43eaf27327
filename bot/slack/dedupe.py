"""A repeated delivery (same event_id, any retry number, HTTP or Socket Mode) is answered once.

The ack never waits on the database: an event is acked at once and handed to a claim thread,
which records its id (bot/slack/event_claims.py) and only then runs the listeners, by dispatching the
event again inside this app, marked as claimed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse

from bot.slack.deps import SlackDeps
from bot.slack.event_claims import Claim, EventClaims

log = logging.getLogger(__name__)
CLAIMED = "salesbot_event_claimed"


def register(app: App, deps: SlackDeps) -> None:
    claims = EventClaims(deps.sessions, lambda: deps.clock())

    @app.middleware
    def ack_then_claim(
        req: BoltRequest, body: dict[str, Any], next: Callable[[], None]
    ) -> BoltResponse | None:
        event_id = body.get("event_id")
        if not event_id or req.context.get(CLAIMED):
            next()
            return None
        key = f"slack:{event_id}"
        if not claims.first_sight(key):
            log.info("dropping repeated delivery of %s", event_id)
            return BoltResponse(status=200, body="")
        try:
            deps.work.submit_claim(lambda: claim_then_dispatch(app, claims, req, key))
        except Exception:
            claims.forget(key)  # not queued (busy or stopping): a retry may try again
            raise
        return BoltResponse(status=200, body="")


def claim_then_dispatch(app: App, claims: EventClaims, req: BoltRequest, key: str) -> None:
    outcome = claims.claim(key)
    if outcome is Claim.REPEAT:
        log.info("dropping repeated delivery of %s", key.removeprefix("slack:"))
        return
    # mode="socket_mode" only stops Bolt from checking the signature again: it was checked on
    # arrival (HTTP), and by now the timestamp may be older than Bolt's five-minute window.
    context = {CLAIMED: True}
    app.dispatch(
        BoltRequest(
            body=req.body, query=req.query, headers=req.headers, context=context, mode="socket_mode"
        )
    )
