"""An answer that asks "did you mean" offers buttons; a click answers as the clicker, in place."""

from __future__ import annotations

import json
from typing import Any

from support.fakes.signing import action_body
from support.slack_harness import SlackHarness, blocks_json

from bot.slack.handlers.choices import STALE


def _buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    blocks = message["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    return [
        element
        for block in blocks
        if block.get("block_id") == "answer-choices"
        for element in block["elements"]
    ]


def _click(
    harness: SlackHarness, user: str, channel: str, message: dict[str, Any], button: dict[str, Any]
) -> None:
    payload = {
        "user": {"id": user},
        "channel": {"id": channel},
        "container": {"type": "message", "channel_id": channel, "is_ephemeral": False,
                      "message_ts": message["ts"]},
        "message": message,
        "response_url": harness.slack.response_url,
        "actions": [{"action_id": button["action_id"], "block_id": "answer-choices",
                     "value": button["value"], "type": "button", "action_ts": "1.1"}],
    }  # fmt: skip
    assert harness.send(action_body(payload))[0] == 200
    harness.deps.work.join()


def _posted_with_ts(harness: SlackHarness) -> list[dict[str, Any]]:
    calls = harness.slack.calls("chat.postMessage")
    return [{**c.params, "ts": c.response["ts"]} for c in calls if isinstance(c.response, dict)]


def test_an_ambiguous_deal_offers_its_deals_and_a_click_answers_in_the_thread(
    harness: SlackHarness,
) -> None:
    thread = harness.mention("UROB", "CTEAM", "how is the Acme deal going?")
    [offer] = _posted_with_ts(harness)
    buttons = _buttons(offer)
    labels = [b["text"]["text"] for b in buttons]
    assert len(buttons) == 2 and all(b["action_id"].startswith("choose-") for b in buttons)
    assert any("Acme Corp – Platform Expansion" in label for label in labels)
    assert "Did you mean" in offer["text"]

    chosen = next(b for b in buttons if "Platform Expansion" in b["text"]["text"])
    _click(harness, "UROB", "CTEAM", {**offer, "thread_ts": thread}, chosen)
    [_, answer] = _posted_with_ts(harness)
    assert answer["thread_ts"] == thread and answer["channel"] == "CTEAM"
    assert "$120,000" in blocks_json(answer) and "Negotiation" in blocks_json(answer)
    assert _buttons(answer) == []


def test_a_click_runs_as_the_clicker_not_the_asker(harness: SlackHarness) -> None:
    thread = harness.mention("UROB", "CMIXED", "how is the Acme deal going?")
    [offer] = _posted_with_ts(harness)
    chosen = next(b for b in _buttons(offer) if "Platform Expansion" in b["text"]["text"])
    # Otto (another team) clicks Rob's button: he is told what he may see, not Rob's deal.
    _click(harness, "UOTTO", "CMIXED", {**offer, "thread_ts": thread}, chosen)
    posted = harness.posted() + harness.posted("chat.postEphemeral")
    assert len(posted) == 2
    assert "120,000" not in blocks_json(posted[-1]) and "couldn't find" in posted[-1]["text"]


def test_an_unsure_reading_offers_readings_and_a_click_picks_one(harness: SlackHarness) -> None:
    thread = harness.mention("UROB", "CTEAM", "quota stuff")
    [offer] = _posted_with_ts(harness)
    buttons = _buttons(offer)
    assert [b["text"]["text"] for b in buttons][:1] == ["1. the pipeline and quota"]
    _click(harness, "UROB", "CTEAM", {**offer, "thread_ts": thread}, buttons[0])
    [_, answer] = _posted_with_ts(harness)
    assert answer["thread_ts"] == thread
    assert "Pipeline for Rob Rep" in blocks_json(answer) and "Quota" in blocks_json(answer)


def test_a_forged_choice_is_answered_not_crashed(harness: SlackHarness) -> None:
    forged = {"action_id": "choose-1", "value": "not json", "text": {"text": "1. x"}}
    _click(harness, "UROB", "CTEAM", {"ts": "1.000001"}, forged)
    [reply] = harness.posted("response_url")
    assert reply["text"] == STALE and reply["response_type"] == "ephemeral"
