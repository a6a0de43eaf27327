"""Slack says someone changed (email, deactivated, became a guest) or joined: re-check them."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App

from bot.slack.deps import SlackDeps
from bot.slack.work import WorkPoolBusy

log = logging.getLogger(__name__)


def register(app: App, deps: SlackDeps) -> None:
    @app.event("user_change")
    def handle_user_change(event: dict[str, Any]) -> None:
        user_id = str((event.get("user") or {}).get("id") or "")
        # At once, in the listener: the old link must not answer another question.
        if not user_id or not deps.identity.distrust(user_id):
            return
        try:
            deps.work.submit(lambda: deps.identity.recheck(user_id))
        except WorkPoolBusy:  # still distrusted: their next request asks Slack
            log.info("busy: %s is re-checked on their next request", user_id)

    @app.event("team_join")
    def handle_team_join(event: dict[str, Any]) -> None:
        # A newcomer may have been looked up (and found unknown) a moment ago.
        deps.identity.forget(str((event.get("user") or {}).get("id") or ""))
