"""Charts reach Slack beside the answer, through the real slack_sdk upload v2 flow to the fake
server, after signed requests to the real app: same thread when the answer is public, the
asker's DM when it was private, and a failed upload never costs the text answer."""

from __future__ import annotations

import gc
import io
import json
import logging

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image
from support.fakes.signing import action_body
from support.fakes.slack_api import FakeSlackServer, UploadedFile
from support.slack_harness import SlackHarness

from bot.charts import HEIGHT_PX, WIDTH_PX


def _png_size(file: UploadedFile) -> tuple[int, int]:
    with Image.open(io.BytesIO(file.content)) as image:
        assert image.format == "PNG"
        return image.size


def test_public_answer_gets_its_chart_in_the_same_thread(harness: SlackHarness) -> None:
    ts = harness.mention("UROB", "CTEAM", "pipeline this quarter")  # Mia manages Rob
    [reply] = harness.posted()
    [file] = harness.slack.files
    assert (file.channel_id, file.thread_ts) == ("CTEAM", ts) == (reply["channel"], ts)
    assert file.filename == "pipeline_by_stage.png"
    assert _png_size(file) == (WIDTH_PX, HEIGHT_PX)
    [url_call] = harness.slack.calls("files.getUploadURLExternal")
    assert "$165,000.50" in url_call.params["alt_txt"]  # the artifact's open total, exactly


def test_direct_message_gets_its_chart_in_the_dm(harness: SlackHarness) -> None:
    event = {"type": "message", "channel": "DROB", "channel_type": "im", "user": "UROB"}
    harness.event({**event, "text": "pipeline this quarter", "ts": "10.0"})
    [file] = harness.slack.files
    assert file.channel_id == "DROB" and file.thread_ts is None


def test_private_answer_sends_its_chart_to_the_askers_dm_not_the_channel(
    harness: SlackHarness,
) -> None:
    harness.mention("UROB", "CMIXED", "pipeline this quarter")  # Otto is on another team
    assert harness.posted() == [] and harness.posted("chat.postEphemeral")
    [file] = harness.slack.files
    assert file.channel_id == "DUROB" and file.thread_ts is None
    [opened] = harness.slack.calls("conversations.open")
    assert opened.params["users"] == "UROB"


def test_slash_command_chart_goes_to_the_askers_dm(harness: SlackHarness) -> None:
    assert harness.command("UROB", "CTEAM", "pipeline this quarter")[0] == 200
    assert harness.posted("response_url")
    [file] = harness.slack.files
    assert file.channel_id == "DUROB"


def test_answers_without_a_chart_upload_nothing(harness: SlackHarness) -> None:
    harness.mention("UROB", "CTEAM", "what should I do today?")
    assert harness.posted() and harness.slack.files == []
    assert harness.slack.calls("files.getUploadURLExternal") == []


def test_failed_upload_is_logged_and_the_answer_still_arrives(
    harness: SlackHarness, slack: FakeSlackServer, caplog: pytest.LogCaptureFixture
) -> None:
    slack.fail_next("files.completeUploadExternal", error="not_in_channel", status=200)
    with caplog.at_level(logging.ERROR, logger="bot.slack.chart_upload"):
        harness.mention("UROB", "CTEAM", "pipeline this quarter")
    [reply] = harness.posted()
    assert "$165,000.50" in str(reply["blocks"])
    assert slack.files == []
    assert "chart" in caplog.text and "not_in_channel" in caplog.text


def test_shared_answer_brings_its_chart_to_the_channel(harness: SlackHarness) -> None:
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
    [file] = harness.slack.files
    assert (file.channel_id, file.thread_ts) == ("CTEAM", None)


def test_a_drawn_chart_leaves_no_figure_behind(harness: SlackHarness) -> None:
    """A figure is a reference cycle holding its 3.2 MB canvas: left to the cyclic collector's
    rare full runs, `serve` kept one per chart answer (benchmarks/memory.py)."""
    gc.collect()
    gc.disable()  # only the uploader's own collection may free it
    try:
        harness.mention("UROB", "CTEAM", "pipeline this quarter")
        alive = [o for o in gc.get_objects() if isinstance(o, (Figure, FigureCanvasAgg))]
    finally:
        gc.enable()
    assert harness.slack.files and alive == []
