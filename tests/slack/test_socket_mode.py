"""Socket Mode: slack_bolt's own SocketModeHandler, connected to the local Socket Mode server."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session, sessionmaker
from support.crm_fixture import NOW
from support.db_locks import write_lock
from support.fakes.signing import event_body
from support.fakes.slack_api import FakeSlackServer
from support.fakes.socket_mode import FakeSocketModeServer
from support.slack_harness import build_test_app, mention_event

from bot.agent.runner import AgentRunner
from bot.slack.deps import SlackDeps


@pytest.fixture
def sockets(slack: FakeSlackServer) -> Iterator[FakeSocketModeServer]:
    with FakeSocketModeServer() as server:
        slack.socket_mode = server
        yield server


@pytest.fixture
def connected(
    crm: sessionmaker[Session], slack: FakeSlackServer, sockets: FakeSocketModeServer
) -> Iterator[SlackDeps]:
    """The production app (acking before it answers) connected over Socket Mode."""
    runner = AgentRunner(crm, clock=lambda: NOW)
    deps, app = build_test_app(slack, runner, process_before_response=False)
    handler = SocketModeHandler(app, "xapp-test", web_client=app.client)
    handler.connect()
    try:
        assert sockets.wait_for_connections(1)
        yield deps
    finally:
        # Closing from our side first spares the client's 3-second read timeout on close().
        handler.client.auto_reconnect_enabled = False
        sockets.drop_connections()
        handler.close()
        deps.work.shutdown()


def _eventually(check: Callable[[], bool], timeout: float = 15.0) -> bool:
    """Poll `check` until it holds; a bounded wait for asynchronous answers, not a timing test."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _mention_payload(slack: FakeSlackServer, event_id: str) -> dict[str, Any]:
    event = mention_event(slack, "UROB", "CTEAM", "what should I do today?")
    return json.loads(event_body(event, event_id))


def test_mention_is_answered_once_and_every_delivery_is_acked(
    connected: SlackDeps,
    slack: FakeSlackServer,
    sockets: FakeSocketModeServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    payload = _mention_payload(slack, "EvSocket1")
    first = sockets.push_event(payload)
    assert sockets.wait_for_ack(first) == {"envelope_id": first}
    assert _eventually(lambda: len(slack.calls("chat.postMessage")) == 1)
    with caplog.at_level(logging.INFO, logger="bot.slack.dedupe"):
        retries = [
            sockets.push_event(payload, retry_attempt=n, retry_reason="timeout") for n in (1, 2, 3)
        ]
        for envelope_id in retries:
            assert sockets.wait_for_ack(envelope_id) == {"envelope_id": envelope_id}
    # Retries are recognised in memory on the ack path: three acks, three drops already logged.
    dropped = [r for r in caplog.records if "repeated delivery of EvSocket1" in r.getMessage()]
    assert len(dropped) == 3
    assert connected.work.join()
    [reply] = [c.params for c in slack.calls("chat.postMessage")]
    assert (reply["channel"], reply["thread_ts"]) == ("CTEAM", payload["event"]["ts"])
    assert "Send revised quote to Acme" in json.dumps(reply.get("blocks"))
    assert all(len(sockets.acks[e]) == 1 for e in [first, *retries])


def test_an_event_is_acked_under_a_write_lock_and_answered_once_after(
    connected: SlackDeps, slack: FakeSlackServer, sockets: FakeSocketModeServer
) -> None:
    payload = _mention_payload(slack, "EvSocketLocked")
    with write_lock(connected.sessions):
        envelopes = [sockets.push_event(payload)]
        envelopes += [sockets.push_event(payload, retry_attempt=1, retry_reason="timeout")]
        # Acked while the lock is still held, and nothing could be answered yet.
        assert [sockets.wait_for_ack(e) for e in envelopes] == [
            {"envelope_id": e} for e in envelopes
        ]
        assert slack.calls("chat.postMessage") == [] and slack.calls("chat.postEphemeral") == []
    assert _eventually(lambda: len(slack.calls("chat.postMessage")) == 1, timeout=60)
    assert connected.work.join(timeout=60)
    assert len(slack.calls("chat.postMessage")) == 1 and slack.calls("chat.postEphemeral") == []


def test_client_moves_to_a_new_url_when_slack_asks(
    connected: SlackDeps, slack: FakeSlackServer, sockets: FakeSocketModeServer
) -> None:
    sockets.request_reconnect()
    assert sockets.wait_for_connections(2)
    assert len(slack.calls("apps.connections.open")) == 2
    envelope_id = sockets.push_event(_mention_payload(slack, "EvSocketAfterRefresh"))
    assert sockets.wait_for_ack(envelope_id) == {"envelope_id": envelope_id}
    assert _eventually(lambda: len(slack.calls("chat.postMessage")) == 1)


def test_connections_open_takes_only_the_app_token(
    slack: FakeSlackServer, sockets: FakeSocketModeServer
) -> None:
    client = WebClient(base_url=slack.url)
    assert client.apps_connections_open(app_token="xapp-test")["url"].startswith("ws://127.0.0.1:")
    with pytest.raises(SlackApiError) as raised:
        client.apps_connections_open(app_token="xoxb-test")
    assert raised.value.response["error"] == "not_allowed_token_type"
    with pytest.raises(SlackApiError) as raised:
        WebClient(token="xapp-test", base_url=slack.url).auth_test()
    assert raised.value.response["error"] == "not_allowed_token_type"
