"""After an answer is posted, its charts go to the same place: the thread or conversation it was
posted in, or, when only the asker saw it (ephemeral, response URL), the asker's DM with the app,
never the channel. A chart is an extra: failures are logged and never touch the text answer."""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient

from bot.charts import Chart, charts_for
from bot.slack.inbound import Inbound

log = logging.getLogger(__name__)
Artifact = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Destination:
    """Where charts go. `channel` None means the asker's DM, opened when there is a chart."""

    channel: str | None
    thread_ts: str | None = None


def public_destination(inbound: Inbound) -> Destination:
    """Beside an answer posted where the conversation is: in its thread when it has one (a
    mention's answer always does), else just after it (a DM)."""
    return Destination(inbound.channel_id, inbound.thread_ts)


def private_destination(inbound: Inbound) -> Destination:
    """Beside an answer only the asker saw. A file cannot be ephemeral, so outside the asker's
    own DM with the app (a channel, or a slash command anywhere) it goes to that DM instead."""
    if inbound.response_url or inbound.in_shared_channel:
        return Destination(None)
    return Destination(inbound.channel_id, inbound.thread_ts)


class ChartUploader:
    """Draws the charts of an answer's artifacts and uploads them with `files_upload_v2`."""

    def __init__(self, draw: Callable[[Iterable[Artifact]], list[Chart]] = charts_for) -> None:
        self.draw = draw

    def upload_for(
        self, client: WebClient, user_id: str, artifacts: Sequence[Artifact], where: Destination
    ) -> list[Chart]:
        """Upload the artifacts' charts; returns those uploaded (none after a failure)."""
        try:
            charts = self.draw(artifacts)
            if charts:
                # The figures just drawn are garbage cycles holding their canvases: freed now,
                # not at the next full collection (cheap: bot/cli/process_memory.py).
                gc.collect()
                upload_charts(client, charts, destination_channel(client, user_id, where), where)
            return charts
        except Exception:
            # Logged with the traceback for us; the user already has the answer's figures.
            log.exception("uploading %d chart(s) for %s failed", len(artifacts), user_id)
            return []


def destination_channel(client: WebClient, user_id: str, where: Destination) -> str:
    if where.channel is not None:
        return where.channel
    return str(client.conversations_open(users=user_id)["channel"]["id"])


def upload_charts(
    client: WebClient, charts: Sequence[Chart], channel: str, where: Destination
) -> None:
    """All charts in one upload (one files.completeUploadExternal), so they arrive together."""
    client.files_upload_v2(
        file_uploads=[
            {"content": c.png, "filename": c.filename, "title": c.title, "alt_txt": c.alt}
            for c in charts
        ],
        channel=channel,
        thread_ts=where.thread_ts if where.channel is not None else None,
    )
