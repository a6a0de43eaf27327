"""/metrics after answers run through the Slack path: signed requests to the Bolt app, answers
posted to the local Slack Web API server."""

from __future__ import annotations

import json
import logging
import re
import urllib.request

import pytest
from prometheus_client import REGISTRY
from support.slack_harness import SlackHarness

from bot.metrics.events import EVENT_LOGGER

QUESTION = "show my open deals"


def scrape(harness: SlackHarness) -> str:
    url = harness.url.replace("/slack/events", "/metrics")
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.status == 200
        return str(response.read().decode())


def sample(text: str, name: str, **labels: str) -> float:
    """One sample of the Prometheus text format (0 when absent)."""
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        found = re.match(r"^(\w+)(?:\{(.*)\})? (\S+)$", line)
        if found and found[1] == name:
            have = ",".join(sorted((found[2] or "").split(","))) if found[2] else ""
            if have == wanted:
                return float(found[3])
    return 0.0


def value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_answers_through_slack_show_up_on_metrics(metered: SlackHarness) -> None:
    before = {
        "answers": value("salesbot_answers_total", surface="mention", outcome="ok"),
        "latency": value("salesbot_answer_duration_seconds_count", surface="mention"),
        "db": value("salesbot_db_query_duration_seconds_count"),
        "unmapped": value("salesbot_answers_total", surface="mention", outcome="unmapped"),
    }
    metered.mention("UROB", "CTEAM", QUESTION)
    metered.mention("UROB", "CTEAM", "pipeline this quarter")
    metered.mention("UNOBODY", "CTEAM", QUESTION)
    text = scrape(metered)

    answers = sample(text, "salesbot_answers_total", surface="mention", outcome="ok")
    assert answers == before["answers"] + 2
    latency = sample(text, "salesbot_answer_duration_seconds_count", surface="mention")
    assert latency == before["latency"] + 3
    unmapped = sample(text, "salesbot_answers_total", surface="mention", outcome="unmapped")
    assert unmapped == before["unmapped"] + 1
    assert sample(text, "salesbot_db_query_duration_seconds_count") > before["db"]
    assert "salesbot_work_pool_pending" in text and "salesbot_llm_calls_total" in text


def test_labels_never_carry_user_data(metered: SlackHarness) -> None:
    metered.mention("UROB", "CTEAM", QUESTION)
    text = scrape(metered)
    for secret in ("UROB", "CTEAM", "rob@x.test", "Acme", QUESTION):
        assert secret not in text


def test_one_json_line_per_answer_with_the_ref_and_no_text(
    metered: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger=EVENT_LOGGER):
        metered.mention("UROB", "CTEAM", QUESTION)
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == EVENT_LOGGER]
    answers = [line for line in lines if line["event"] == "answer"]
    assert len(answers) == 1
    line = answers[0]
    assert line["surface"] == "mention" and line["outcome"] == "ok"
    assert re.fullmatch(r"[0-9a-f]{8}", line["ref"]) and line["duration_ms"] >= 0
    assert "find_deals" in line["tools"]
    raw = caplog.text
    assert QUESTION not in raw and "Acme" not in raw and "question" not in line


def test_a_failed_answer_logs_the_ref_the_user_was_shown(
    metered: SlackHarness, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("database on fire")

    monkeypatch.setattr(metered.deps.answerer.runner, "ask", broken)
    errors = value("salesbot_answers_total", surface="mention", outcome="error")
    with caplog.at_level(logging.INFO, logger=EVENT_LOGGER):
        metered.mention("UROB", "CTEAM", QUESTION)
    line = next(
        json.loads(r.getMessage())
        for r in caplog.records
        if r.name == EVENT_LOGGER and '"answer"' in r.getMessage()
    )
    told = " ".join(str(p.get("text")) for p in metered.posted("chat.postEphemeral"))
    assert line["outcome"] == "error" and f"ref {line['ref']}" in told
    assert value("salesbot_answers_total", surface="mention", outcome="error") == errors + 1


def test_slack_errors_and_429s_are_counted(metered: SlackHarness) -> None:
    limited = value("salesbot_slack_rate_limited_total", method="chat.postMessage")
    failed = value(
        "salesbot_slack_api_errors_total", method="conversations.replies", error="fatal_error"
    )
    metered.slack.fail_next("chat.postMessage", retry_after=1)
    metered.mention("UROB", "CTEAM", QUESTION)
    thread = metered.mention("UROB", "CTEAM", QUESTION)
    metered.slack.fail_next("conversations.replies", "fatal_error", status=200)
    metered.event(
        {
            "type": "app_mention",
            "user": "UROB",
            "channel": "CTEAM",
            "text": "<@UBOT> more",
            "ts": metered.slack.next_ts(),
            "thread_ts": thread,
        }
    )
    text = scrape(metered)
    assert (
        sample(text, "salesbot_slack_rate_limited_total", method="chat.postMessage") == limited + 1
    )
    got = sample(
        text, "salesbot_slack_api_errors_total", method="conversations.replies", error="fatal_error"
    )
    assert got == failed + 1
