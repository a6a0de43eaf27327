"""One module per Slack surface, each with `register(app, deps)`; thin: parse, submit, ack."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.deps import SlackDeps
from bot.slack.listeners import (
    actions,
    assistant,
    commands,
    dedupe,
    home,
    mentions,
    messages,
    nudge_actions,
    nudge_settings,
    people,
    write_actions,
)


def register_listeners(app: App, deps: SlackDeps) -> None:
    # Order matters: de-duplication runs before anything else sees the event.
    for module in (
        dedupe,
        assistant,
        mentions,
        messages,
        commands,
        actions,
        home,
        nudge_actions,
        nudge_settings,
        people,
        write_actions,
    ):
        module.register(app, deps)
