""" "Log this thread" where the bot cannot read: the person is told why and what to do.

Signed message-shortcut requests to the real Bolt endpoint; the local Slack server answers
conversations.replies as Slack does for a channel the bot is not in (or lacks the scope for).
"""

from __future__ import annotations

from typing import Any

import pytest
from support.fakes.signing import action_body
from support.slack_harness import SlackHarness
from support.write_helpers import count

from bot.slack.handlers.log_thread import UNREADABLE
from bot.slack.ids import LOG_THREAD_CALLBACK_ID
from tools.models import PendingWrite


def use_shortcut(harness: SlackHarness, channel: str, *, response_url: bool = True) -> None:
    root = harness.slack.add_message(channel, text="Call notes from Acme Corp today", user="UROB")
    payload: dict[str, Any] = {
        "type": "message_action",
        "callback_id": LOG_THREAD_CALLBACK_ID,
        "user": {"id": "UROB"},
        "channel": {"id": channel},
        "message": {"ts": root, "text": "Call notes from Acme Corp today", "user": "UROB"},
    }
    if response_url:
        payload["response_url"] = harness.slack.response_url
    assert harness.send(action_body(payload))[0] == 200
    harness.deps.work.join()


@pytest.mark.parametrize(
    ("channel", "error"), [("CPUBLIC", "not_in_channel"), ("GPRIVATE", "channel_not_found")]
)
def test_a_channel_without_the_bot_gets_a_private_how_to(
    harness: SlackHarness, channel: str, error: str
) -> None:
    harness.slack.members[channel] = ["UROB", "UMIA"]  # the bot was never invited
    use_shortcut(harness, channel)
    [told] = harness.posted("response_url")
    assert told["response_type"] == "ephemeral" and told["text"] == UNREADABLE[error]
    assert "/invite @salesbot" in told["text"]
    assert [c.response["error"] for c in harness.slack.calls("conversations.replies")] == [error]
    assert harness.posted("chat.postMessage") == []  # nothing posted in any channel
    assert count(harness.sessions, PendingWrite) == 0


def test_a_missing_scope_says_so(harness: SlackHarness) -> None:
    harness.slack.fail_next("conversations.replies", "missing_scope", status=200)
    use_shortcut(harness, "CTEAM")
    [told] = harness.posted("response_url")
    assert told["text"] == UNREADABLE["missing_scope"] and "reinstall" in told["text"]


def test_without_a_response_url_the_message_falls_back_to_a_dm(harness: SlackHarness) -> None:
    harness.slack.members["CPUBLIC"] = ["UROB"]
    use_shortcut(harness, "CPUBLIC", response_url=False)
    [ephemeral] = harness.slack.calls("chat.postEphemeral")
    assert ephemeral.response["error"] == "not_in_channel"  # Slack refuses it there too
    [dm] = harness.posted("chat.postMessage")
    assert dm["channel"] == "UROB" and dm["text"] == UNREADABLE["not_in_channel"]


def test_an_unknown_error_is_still_explained(harness: SlackHarness) -> None:
    harness.slack.fail_next("conversations.replies", "fatal_error", status=200)
    use_shortcut(harness, "CTEAM")
    [told] = harness.posted("response_url")
    assert "Slack said: fatal_error" in told["text"] and "/invite @salesbot" in told["text"]
