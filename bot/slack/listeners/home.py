"""App Home: refreshed each time it opens or its button is clicked (handlers/home draws it),
and its captured items' File under… and Dismiss buttons with the filing modal."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.slack.deps import SlackDeps
from bot.slack.handlers.capture_reviews import (
    ReviewClick,
    account_options,
    after_filing,
    deal_options,
    press_dismiss,
    press_file,
    submit_filing,
)
from bot.slack.handlers.home import publish_home
from bot.slack.ids import (
    CAPTURE_ACCOUNT_ACTION_ID,
    CAPTURE_DEAL_ACTION_ID,
    CAPTURE_DISMISS_ACTION_ID,
    CAPTURE_FILE_ACTION_ID,
    CAPTURE_FILE_CALLBACK_ID,
    HOME_REFRESH_ACTION_ID,
)


def register(app: App, deps: SlackDeps) -> None:
    @app.event("app_home_opened")
    def handle_app_home_opened(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        user_id = event["user"]
        deps.work.submit(lambda: publish_home(deps, client, user_id))

    @app.action(HOME_REFRESH_ACTION_ID)
    def handle_home_refresh(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        user_id = body["user"]["id"]
        deps.work.submit(lambda: publish_home(deps, client, user_id))

    register_capture_reviews(app, deps)


def register_capture_reviews(app: App, deps: SlackDeps) -> None:
    @app.action(CAPTURE_DISMISS_ACTION_ID)
    def handle_capture_dismiss(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        click = ReviewClick.from_payload(body, action)
        deps.work.submit(lambda: press_dismiss(deps, client, click))

    @app.action(CAPTURE_FILE_ACTION_ID)
    def handle_capture_file(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        click = ReviewClick.from_payload(body, action)
        deps.work.submit(lambda: press_file(deps, client, click))

    @app.view(CAPTURE_FILE_CALLBACK_ID)
    def handle_capture_file_submission(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        # Filed before acking, like the Edit modal: a refusal stays on its input, modal open.
        user_id = body["user"]["id"]
        filing = submit_filing(deps, user_id, view)
        if filing.errors:
            ack(response_action="errors", errors=filing.errors)
            return
        ack()
        if filing.activity_id is not None:
            activity_id = filing.activity_id
            deps.work.submit(lambda: after_filing(deps, client, user_id, activity_id))

    @app.options(CAPTURE_ACCOUNT_ACTION_ID)
    def handle_capture_account_options(ack: Ack, body: dict[str, Any]) -> None:
        ack(options=account_options(deps, body["user"]["id"], str(body.get("value") or "")))

    @app.options(CAPTURE_DEAL_ACTION_ID)
    def handle_capture_deal_options(ack: Ack, body: dict[str, Any]) -> None:
        query = str(body.get("value") or "")
        ack(options=deal_options(deps, body["user"]["id"], query, body.get("view")))
