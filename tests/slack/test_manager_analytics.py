"""A manager's analytics questions answered in Slack (local Slack server, offline planner)."""

from __future__ import annotations

from support.slack_harness import SlackHarness, blocks_json


def test_team_review_is_answered_privately_in_front_of_a_rep(harness: SlackHarness) -> None:
    harness.slack.members["CTEAM"] = ["UROB", "UMIA", "UBOT"]
    harness.mention("UMIA", "CTEAM", "how did the team do this week?")
    assert harness.posted() == []
    [private] = harness.posted("chat.postEphemeral")
    assert private["user"] == "UMIA"
    assert "Pipeline review for Mia Manager's team" in blocks_json(private)


def test_forecast_and_one_on_one_in_a_direct_message(harness: SlackHarness) -> None:
    for n, (text, words) in enumerate(
        [
            ("what will we close this quarter?", "Forecast for Mia Manager's team"),
            ("prep my 1:1 with Rob", "1:1 brief for Rob Rep"),
        ]
    ):
        harness.event(
            {
                "type": "message",
                "channel": "DMIA",
                "channel_type": "im",
                "user": "UMIA",
                "text": text,
                "ts": f"{20 + n}.0",
            }
        )
        reply = harness.posted()[-1]
        assert reply["channel"] == "DMIA" and words in blocks_json(reply)
