"""The digest's chart, carried by a NudgeMessage and uploaded into the digest's DM thread."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from datetime import date

import pytest
import support.analytics_samples as samples
from PIL import Image
from slack_sdk import WebClient
from support.fakes.slack_api import FakeSlackServer

from bot.charts import HEIGHT_PX, WIDTH_PX
from bot.nudges.config import MANAGER_DIGEST, Due
from bot.nudges.content import NudgeMessage
from bot.nudges.digest_blocks import digest_chart
from bot.nudges.slack_sender import SlackNudgeSender

DUE = Due(2, MANAGER_DIGEST, date(2026, 11, 30), "Mia Manager", "UTC", "UMIA")


@pytest.fixture
def slack() -> Iterator[FakeSlackServer]:
    with FakeSlackServer(users={"UMIA": {"email": "mia@x.test", "name": "mia"}}) as server:
        yield server


def _digest(*, with_chart: bool) -> NudgeMessage:
    charts = [digest_chart(samples.pipeline_review())] if with_chart else []
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "Weekly digest"}}]
    return NudgeMessage("Weekly digest", blocks, [], charts=[c for c in charts if c])


def test_digest_chart_is_the_reviews_pipeline_by_stage() -> None:
    chart = digest_chart(samples.pipeline_review())
    assert chart is not None and chart.name == "pipeline_by_stage"
    with Image.open(io.BytesIO(chart.png)) as image:
        assert image.size == (WIDTH_PX, HEIGHT_PX)
    assert "Morgan Lee's team" in chart.title and "$325,000.50" in chart.alt
    assert digest_chart(samples.pipeline_review(by_stage=[])) is None


def test_charts_are_uploaded_into_the_digests_thread(slack: FakeSlackServer) -> None:
    sender = SlackNudgeSender(WebClient(token="xoxb-test", base_url=slack.url))
    sent = sender.send(DUE, _digest(with_chart=True), None)
    [file] = slack.files
    assert (file.channel_id, file.thread_ts) == (sent.channel_id, sent.ts) == ("DUMIA", sent.ts)
    assert file.filename == "pipeline_by_stage.png"


def test_messages_without_charts_upload_nothing(slack: FakeSlackServer) -> None:
    SlackNudgeSender(WebClient(token="xoxb-test", base_url=slack.url)).send(
        DUE, _digest(with_chart=False), None
    )
    assert slack.calls("files.getUploadURLExternal") == [] and slack.files == []


def test_a_failed_upload_still_counts_the_digest_as_sent(
    slack: FakeSlackServer, caplog: pytest.LogCaptureFixture
) -> None:
    slack.fail_next("files.getUploadURLExternal", error="invalid_arguments", status=200)
    sender = SlackNudgeSender(WebClient(token="xoxb-test", base_url=slack.url))
    with caplog.at_level(logging.ERROR):
        sent = sender.send(DUE, _digest(with_chart=True), None)
    assert slack.find_message(sent.channel_id, sent.ts)["text"] == "Weekly digest"
    assert slack.files == [] and DUE.key in caplog.text
