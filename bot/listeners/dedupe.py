"""A repeated delivery (same event_id, any retry number, HTTP or Socket Mode) does nothing."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltResponse

from bot.slack_deps import SlackDeps
from tools.crm.events import claim_event

log = logging.getLogger(__name__)


def register(app: App, deps: SlackDeps) -> None:
    @app.middleware
    def drop_repeated_events(body: dict[str, Any], next: Callable[[], None]) -> BoltResponse | None:
        event_id = body.get("event_id")
        if not event_id:
            next()
            return None
        with deps.sessions.begin() as session:
            first = claim_event(session, f"slack:{event_id}", now=deps.clock())
        if first:
            next()
            return None
        log.info("dropping repeated delivery of %s", event_id)
        return BoltResponse(status=200, body="")
