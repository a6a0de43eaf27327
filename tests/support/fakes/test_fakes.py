"""The Slack doubles work with the real clients: slack_sdk's WebClient and a slack_bolt App."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
import time_machine
from slack_bolt import App, BoltRequest, Say
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.error import BoltError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import builtin_handlers
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from support.fakes.signing import (
    action_body,
    command_body,
    event_body,
    post,
    signed_headers,
    view_submission_body,
)
from support.fakes.slack_api import FakeSlackServer

SECRET = "test-signing-secret"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
USERS: dict[str, dict[str, Any]] = {
    "U1": {"email": "ana@example.com", "name": "ana", "tz": "Europe/Lisbon"},
    "U2": {"email": "bo@example.com", "name": "bo", "deleted": True},
}
MENTION = {"type": "app_mention", "user": "U1", "text": "<@UBOT> hi", "channel": "C1"}


@pytest.fixture
def slack() -> Iterator[FakeSlackServer]:
    members = {"C1": ["U1", "U2", "U3", "U4", "U5", "UBOT"], "C2": ["U1"], "G1": ["U1"]}
    with FakeSlackServer(users=USERS, members=members) as server:
        yield server


@pytest.fixture
def client(slack: FakeSlackServer) -> WebClient:
    return WebClient(token="xoxb-test", base_url=slack.url)


@pytest.fixture
def slept(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Retry-After waits, recorded instead of slept, so the tests stay fast."""
    durations: list[float] = []
    monkeypatch.setattr(builtin_handlers, "time", SimpleNamespace(sleep=durations.append))
    return durations


def test_post_message_is_recorded_with_params_and_token(
    slack: FakeSlackServer, client: WebClient
) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*hi*"}}]
    first = client.chat_postMessage(channel="C1", text="hi", blocks=blocks)
    second = client.chat_postMessage(channel="C1", text="again", thread_ts=first["ts"])

    assert first["ts"] == "1700000000.000100"
    assert second["ts"] > first["ts"] and second["message"]["thread_ts"] == first["ts"]
    [call, _] = slack.calls("chat.postMessage")
    assert call.params == {"channel": "C1", "text": "hi", "blocks": blocks}
    assert call.headers["authorization"] == "Bearer xoxb-test"


def test_users_info_answers_configured_users_only(client: WebClient) -> None:
    user = client.users_info(user="U1")["user"]
    assert (user["profile"]["email"], user["tz"], user["deleted"]) == (
        "ana@example.com",
        "Europe/Lisbon",
        False,
    )
    assert client.users_lookupByEmail(email="bo@example.com")["user"]["deleted"] is True
    with pytest.raises(SlackApiError) as raised:
        client.users_info(user="U404")
    assert raised.value.response["error"] == "user_not_found"


def test_members_paginate_through_the_sdk_cursor_iteration(
    slack: FakeSlackServer, client: WebClient
) -> None:
    pages = [page["members"] for page in client.conversations_members(channel="C1", limit=2)]

    assert pages == [["U1", "U2"], ["U3", "U4"], ["U5", "UBOT"]]
    cursors = [call.params.get("cursor") for call in slack.calls("conversations.members")]
    assert cursors[0] is None and all(cursors[1:])


def test_files_upload_v2_stores_the_bytes(slack: FakeSlackServer, client: WebClient) -> None:
    response = client.files_upload_v2(content=PNG, filename="x.png", channel="C1", title="Chart")

    [stored] = slack.files
    assert (stored.id, stored.filename, stored.title) == (response["file"]["id"], "x.png", "Chart")
    assert stored.content == PNG and stored.channel_id == "C1"
    methods = [call.method for call in slack.calls()]
    assert methods == ["files.getUploadURLExternal", "upload", "files.completeUploadExternal"]


def test_threads_dms_and_edits_keep_workspace_state(
    slack: FakeSlackServer, client: WebClient
) -> None:
    parent = slack.add_message("C1", text="Q3 forecast?")
    reply = client.chat_postMessage(channel="C1", text="Looking.", thread_ts=parent)["ts"]
    client.chat_update(channel="C1", ts=reply, text="Here it is.")

    thread = client.conversations_replies(channel="C1", ts=parent)["messages"]
    assert [m["text"] for m in thread] == ["Q3 forecast?", "Here it is."]
    assert [m["ts"] for m in client.conversations_history(channel="C1")["messages"]] == [parent]
    dm = client.conversations_open(users="U1")["channel"]["id"]
    assert dm == "DU1" and client.conversations_info(channel=dm)["channel"]["is_im"] is True
    client.chat_delete(channel="C1", ts=reply)
    assert len(client.conversations_replies(channel="C1", ts=parent)["messages"]) == 1


@pytest.mark.parametrize(
    ("channel", "error"), [("C2", "not_in_channel"), ("G1", "channel_not_found")]
)
def test_a_channel_the_bot_is_not_in_cannot_be_read(
    slack: FakeSlackServer, client: WebClient, channel: str, error: str
) -> None:
    parent = slack.add_message(channel, text="private talk")
    for read in (
        lambda: client.conversations_replies(channel=channel, ts=parent),
        lambda: client.conversations_history(channel=channel),
    ):
        with pytest.raises(SlackApiError) as caught:
            read()
        assert caught.value.response["error"] == error


def test_missing_token_and_unknown_method_are_refused(
    slack: FakeSlackServer, client: WebClient
) -> None:
    with pytest.raises(SlackApiError) as raised:
        WebClient(base_url=slack.url).auth_test()
    assert raised.value.response["error"] == "not_authed"
    with pytest.raises(SlackApiError) as raised:
        client.api_call("deals.sell")
    assert raised.value.response["error"] == "unknown_method"


def test_one_shot_429_is_retried_after_its_retry_after(
    slack: FakeSlackServer, slept: list[float]
) -> None:
    handler = RateLimitErrorRetryHandler(max_retry_count=1)
    client = WebClient(token="xoxb-test", base_url=slack.url, retry_handlers=[handler])
    slack.fail_next("chat.postMessage", retry_after=3)

    assert client.chat_postMessage(channel="C1", text="hi")["ok"] is True
    assert [call.status for call in slack.calls("chat.postMessage")] == [429, 200]
    assert len(slept) == 1 and 3 <= slept[0] < 4


def test_without_a_retry_handler_the_429_reaches_the_caller(
    slack: FakeSlackServer, client: WebClient
) -> None:
    slack.fail_next("users.info", retry_after=7)
    with pytest.raises(SlackApiError) as raised:
        client.users_info(user="U1")
    assert raised.value.response.status_code == 429
    assert raised.value.response.headers["retry-after"] == "7"


def test_fail_next_can_inject_a_slack_error_without_429(
    slack: FakeSlackServer, client: WebClient
) -> None:
    slack.fail_next("chat.postMessage", error="channel_not_found", status=200)
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C9", text="hi")
    assert raised.value.response["error"] == "channel_not_found"
    assert client.chat_postMessage(channel="C9", text="hi")["ok"] is True


def _statuses_under_rate_limit(seed: int) -> list[int]:
    with FakeSlackServer() as server:
        server.rate_limit(fraction=0.3, retry_after=0, seed=seed)
        handler = RateLimitErrorRetryHandler(max_retry_count=50)
        client = WebClient(token="xoxb-test", base_url=server.url, retry_handlers=[handler])
        for _ in range(20):
            assert client.auth_test()["user_id"] == "UBOT"
        return [call.status for call in server.calls()]


def test_rate_limit_is_honoured_and_deterministic_by_seed(slept: list[float]) -> None:
    statuses = _statuses_under_rate_limit(seed=7)

    assert statuses.count(200) == 20 and statuses.count(429) == len(slept) > 0
    assert _statuses_under_rate_limit(seed=7) == statuses


# ---- A Bolt app in front of the fake API, fed by signing.py.


@dataclass
class Seen:
    """What the listeners received."""

    events: list[dict[str, Any]] = field(default_factory=list)
    retries: list[tuple[str | None, str | None]] = field(default_factory=list)


def _header(request: BoltRequest, name: str) -> str | None:
    return next(iter(request.headers.get(name, [])), None)


def build_app(slack: FakeSlackServer, seen: Seen) -> App:
    client = WebClient(token="xoxb-test", base_url=slack.url)
    app = App(client=client, signing_secret=SECRET, process_before_response=True)

    @app.event("app_mention")
    def handle_app_mention(event: dict[str, Any], say: Say, request: BoltRequest) -> None:
        seen.events.append(event)
        seen.retries.append(
            (_header(request, "x-slack-retry-num"), _header(request, "x-slack-retry-reason"))
        )
        say(text="On it.", thread_ts=event["ts"])

    return app


@pytest.fixture
def seen() -> Seen:
    return Seen()


@pytest.fixture
def app(slack: FakeSlackServer, seen: Seen) -> App:
    return build_app(slack, seen)


@pytest.fixture
def endpoint(app: App) -> Iterator[str]:
    """The app behind Bolt's WSGI adapter on a local port, as Slack would reach it."""

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            """Keep request lines out of the test output."""

    server = make_server("127.0.0.1", 0, SlackRequestHandler(app), handler_class=QuietHandler)
    poll = {"poll_interval": 0.02}
    thread = threading.Thread(target=server.serve_forever, kwargs=poll, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/slack/events"
    server.shutdown()
    server.server_close()


def dispatch(app: App, body: str, headers: dict[str, str]) -> int:
    wire: dict[str, str | Sequence[str]] = {**headers}
    return app.dispatch(BoltRequest(body=body, headers=wire)).status


def mention_body(event_id: str = "Ev1") -> str:
    return event_body({**MENTION, "ts": "1700000000.000001"}, event_id)


def test_app_checks_its_token_with_auth_test_once_when_built(slack: FakeSlackServer) -> None:
    app = build_app(slack, Seen())
    body = mention_body()
    assert dispatch(app, body, signed_headers(SECRET, body)) == 200

    assert len(slack.calls("auth.test")) == 1


def test_app_ignores_token_argument_when_given_a_client(slack: FakeSlackServer) -> None:
    # Bolt takes the token from the client and only warns that `token=` is unused.
    with pytest.raises(BoltError, match="token"):
        App(token="xoxb-test", signing_secret=SECRET, client=WebClient(base_url=slack.url))


def test_signed_event_reaches_the_listener_before_dispatch_returns(
    app: App, seen: Seen, slack: FakeSlackServer
) -> None:
    body = mention_body()
    assert dispatch(app, body, signed_headers(SECRET, body)) == 200

    assert [event["text"] for event in seen.events] == ["<@UBOT> hi"]
    [call] = slack.calls("chat.postMessage")
    assert call.params["thread_ts"] == "1700000000.000001" and call.params["team_id"] == "T1"


def refused_headers(fault: str, body: str) -> dict[str, str]:
    """Headers signed with the wrong secret, or correct ones with the header `fault` left out."""
    if fault == "wrong-secret":
        return signed_headers("wrong-secret", body)
    headers = signed_headers(SECRET, body)
    del headers[fault]
    return headers


@pytest.mark.parametrize(
    "fault", ["wrong-secret", "X-Slack-Signature", "X-Slack-Request-Timestamp"]
)
def test_unsigned_requests_are_refused(app: App, seen: Seen, fault: str) -> None:
    body = mention_body()
    assert dispatch(app, body, refused_headers(fault, body)) == 401
    assert seen.events == []


@pytest.mark.parametrize(("age", "status"), [(299, 200), (300, 200), (301, 401), (-301, 401)])
def test_request_timestamps_older_than_five_minutes_are_refused(
    app: App, age: int, status: int
) -> None:
    now = 1_800_000_000
    body = mention_body()
    with time_machine.travel(now, tick=False):
        assert dispatch(app, body, signed_headers(SECRET, body, timestamp=now - age)) == status


def test_retry_headers_reach_the_listener_over_http(endpoint: str, seen: Seen) -> None:
    body = mention_body()
    assert post(endpoint, body, signed_headers(SECRET, body))[0] == 200
    assert post(endpoint, body, signed_headers(SECRET, body), retry_num=1)[0] == 200

    assert seen.retries == [(None, None), ("1", "http_timeout")]
    assert post(endpoint, body, signed_headers("wrong-secret", body))[0] == 401


def test_command_action_and_view_bodies_are_parsed_by_bolt(
    app: App, slack: FakeSlackServer
) -> None:
    received: list[Any] = []

    @app.command("/sales")
    def handle_sales(ack: Any, command: dict[str, Any], respond: Any) -> None:
        ack()
        received.append(command["text"])
        respond(text="Pipeline coming up.")

    @app.action("approve-deal")
    def handle_approve(ack: Any, action: dict[str, Any]) -> None:
        ack()
        received.append(action["value"])

    @app.view("deal-note")
    def handle_note(ack: Any, view: dict[str, Any]) -> None:
        ack()
        received.append(view["private_metadata"])

    bodies = [
        command_body(text="pipeline", response_url=slack.response_url),
        action_body(
            {
                "user": {"id": "U1"},
                "actions": [{"action_id": "approve-deal", "value": "D42", "type": "button"}],
            }
        ),
        view_submission_body(
            {"user": {"id": "U1"}, "view": {"callback_id": "deal-note", "private_metadata": "7"}}
        ),
    ]
    for body in bodies:
        assert dispatch(app, body, signed_headers(SECRET, body)) == 200

    assert received == ["pipeline", "D42", "7"]
    [response] = slack.calls("response_url")
    assert response.params["text"] == "Pipeline coming up."
