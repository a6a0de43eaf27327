"""Each Slack surface, through signed HTTP requests to the real Bolt endpoint."""

from __future__ import annotations

import json

from sqlalchemy import select, text
from support.fakes.slack_api import BOT_USER_ID
from support.slack_harness import SlackHarness, blocks_json

from tools.models import User


def test_mention_is_answered_in_the_thread(harness: SlackHarness) -> None:
    ts = harness.mention("UROB", "CTEAM", "what should I do today?")
    [reply] = harness.posted()
    assert reply["channel"] == "CTEAM" and reply["thread_ts"] == ts
    assert "Send revised quote to Acme" in blocks_json(reply)
    assert "Send revised quote" in reply["text"]


def test_follow_up_in_answered_thread_needs_no_mention(harness: SlackHarness) -> None:
    ts = harness.mention("UROB", "CTEAM", "how is the acme platform deal going?")
    follow = harness.slack.add_message(
        "CTEAM", text="and what about umbrella?", user="UROB", thread_ts=ts
    )
    harness.event(
        {
            "type": "message",
            "channel": "CTEAM",
            "channel_type": "channel",
            "user": "UROB",
            "text": "and what about umbrella?",
            "ts": follow,
            "thread_ts": ts,
        }
    )
    replies = harness.posted()
    assert len(replies) == 2 and replies[1]["thread_ts"] == ts
    assert "Umbrella Health" in blocks_json(replies[1])
    # The history came from the thread itself.
    assert harness.slack.calls("conversations.replies")


def test_message_in_unknown_thread_is_ignored(harness: SlackHarness) -> None:
    harness.event(
        {
            "type": "message",
            "channel": "CTEAM",
            "channel_type": "channel",
            "user": "UROB",
            "text": "what should I do today?",
            "ts": "5.0",
            "thread_ts": "4.0",
        }
    )
    assert harness.posted() == []


def test_direct_message_is_answered(harness: SlackHarness) -> None:
    harness.event(
        {
            "type": "message",
            "channel": "DROB",
            "channel_type": "im",
            "user": "UROB",
            "text": "pipeline this quarter",
            "ts": "10.0",
        }
    )
    [reply] = harness.posted()
    assert reply["channel"] == "DROB"
    assert "$165,000.50" in blocks_json(reply)


def test_bots_edits_and_deletions_trigger_nothing(harness: SlackHarness) -> None:
    base = {"type": "message", "channel": "DROB", "channel_type": "im", "text": "hi", "ts": "1.0"}
    harness.event({**base, "user": BOT_USER_ID})
    harness.event({**base, "user": "UOTHERBOT", "bot_id": "B2"})
    harness.event({**base, "subtype": "bot_message", "bot_id": "B2"})
    harness.event({**base, "subtype": "message_changed", "message": {"text": "x"}})
    harness.event({**base, "subtype": "message_deleted"})
    assert harness.posted() == [] and harness.posted("chat.postEphemeral") == []


def test_slash_command_answers_privately_with_share_button(harness: SlackHarness) -> None:
    status, body = harness.command("UROB", "CTEAM", "what should I do today?")
    assert status == 200 and "Looking that up" in body
    [reply] = harness.posted("response_url")
    assert reply["response_type"] == "ephemeral"
    assert "Send revised quote to Acme" in blocks_json(reply)
    assert "share-answer" in blocks_json(reply)
    assert harness.posted() == []


def test_share_posts_in_channel_when_everyone_may_see(harness: SlackHarness) -> None:
    from support.fakes.signing import action_body

    payload = {
        "user": {"id": "UROB"},
        "channel": {"id": "CTEAM"},
        "response_url": harness.slack.response_url,
        "actions": [
            {
                "action_id": "share-answer",
                "block_id": "b",
                "value": json.dumps({"q": "pipeline this quarter"}),
                "type": "button",
                "action_ts": "1.1",
            }
        ],
    }
    assert harness.send(action_body(payload))[0] == 200
    harness.deps.work.join()
    [shared] = harness.posted()
    assert shared["channel"] == "CTEAM" and "$165,000.50" in blocks_json(shared)


def test_app_home_shows_next_actions_and_pipeline(harness: SlackHarness) -> None:
    harness.event({"type": "app_home_opened", "user": "UROB", "channel": "DROB", "tab": "home"})
    [published] = harness.posted("views.publish")
    view = (
        published["view"] if isinstance(published["view"], str) else json.dumps(published["view"])
    )
    assert published["user_id"] == "UROB"
    assert "Send revised quote to Acme" in view and "$165,000.50" in view
    # The nudge schedule and its control: Rob never chose a time, so the default shows.
    assert "Daily nudges" in view and "*08:30*" in view and "nudge-settings-open" in view


def test_user_is_mapped_by_email_and_linked(harness: SlackHarness) -> None:
    harness.mention("URITA", "CREPS", "what should I do today?")
    with harness.sessions() as session:
        rita = session.scalar(select(User).where(User.email == "rita@x.test"))
        assert rita is not None and rita.slack_user_id == "URITA"
    harness.mention("URITA", "CREPS", "what should I do today?")
    # Cached: users.info is asked once for Rita, however many questions she asks.
    assert [c.params.get("user") for c in harness.slack.calls("users.info")].count("URITA") == 1


def test_unmapped_user_gets_a_clear_message_and_no_data(harness: SlackHarness) -> None:
    harness.mention("UNOBODY", "CTEAM", "what should I do today?")
    assert harness.posted() == []
    [private] = harness.posted("chat.postEphemeral")
    assert private["user"] == "UNOBODY"
    assert "CRM" in private["text"]
    assert "$" not in blocks_json(private) and "Acme" not in blocks_json(private)


def test_crm_markup_is_escaped(harness: SlackHarness) -> None:
    with harness.sessions.begin() as session:
        session.execute(
            text("update deals set next_step = :s where id = 1"),
            {"s": "<!channel> wire money <https://evil.example|bank.com> & go"},
        )
    harness.mention("UROB", "CTEAM", "how is the acme platform deal going?")
    [reply] = harness.posted()
    dumped = blocks_json(reply)
    assert "<!channel>" not in dumped and "<!channel>" not in reply["text"]
    assert "|bank.com>" not in dumped
    assert "&lt;!channel&gt;" in dumped
