"""The HTTP front door, over a real socket: signature before parsing, sizes, shapes, bursts.

Unsigned or badly signed requests get 401 and nothing runs; signed but malformed ones get 400
with one plain sentence; an oversized body gets 413 before it is sent; no response ever carries
a stack trace. A burst of 100 simultaneous connections gets 100 answers and no reset.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import socket
import threading
import time
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from support.fakes.signing import FORM_TYPE, JSON_TYPE, action_body, event_body, signed_headers
from support.slack_harness import SECRET, SlackHarness, mention_event

from bot.slack.http_server import MAX_BODY_BYTES
from bot.slack.ids import SHOW_MORE_ACTION_ID

TRACE_WORDS = ("Traceback", 'File "', "Error:")


def raw_post(
    url: str, body: bytes, headers: dict[str, str], method: str = "POST", timeout: float = 60
) -> tuple[int, str]:
    """One request on its own connection; bytes as given, whatever they are."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        conn.request(method, parts.path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def sign(body: bytes, content_type: str = JSON_TYPE, secret: str = SECRET) -> dict[str, str]:
    """Slack's signature over the raw bytes (the fakes' helper takes text only)."""
    stamp = str(int(time.time()))
    digest = hmac.new(secret.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256)
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": f"v0={digest.hexdigest()}",
    }


# build_deps asks who the bot is and which app it belongs to, before any request arrives.
STARTUP_CALLS = {"auth.test", "bots.info"}


def nothing_ran(harness: SlackHarness) -> bool:
    harness.deps.work.join()
    return [c for c in harness.slack.calls() if c.method not in STARTUP_CALLS] == []


GARBAGE = [
    b"\x00\xff\xfe garbage",
    b"{",
    b"payload=%7Bnot-json",
    b'{"type": "event_callback", "event": "x"}',
    b"",
]


@pytest.mark.parametrize("body", GARBAGE, ids=["binary", "brace", "bad-payload", "odd", "empty"])
def test_unsigned_garbage_is_refused_before_parsing(harness: SlackHarness, body: bytes) -> None:
    for headers in (
        {"Content-Type": JSON_TYPE},  # no signature at all
        sign(body, secret="not-the-secret"),
        {**sign(body), "X-Slack-Request-Timestamp": "soon"},  # not a number
    ):
        status, text = raw_post(harness.url, body, headers)
        assert status == 401, (body, headers, text)
        assert "signature" in text and not any(w in text for w in TRACE_WORDS)
    assert nothing_ran(harness)


def _event(**changes: Any) -> bytes:
    envelope = json.loads(event_body({"type": "app_mention", "user": "UROB"}, "EvShape"))
    return json.dumps({**envelope, **changes}).encode()


def _payload(payload: Any) -> bytes:
    return urlencode({"payload": json.dumps(payload)}).encode()


SIGNED_GARBAGE = {
    "bad JSON": (b'{"type": "event_callback", ', JSON_TYPE),
    "bad JSON in payload=": (b"payload=%7B%22type%22%3A", FORM_TYPE),
    "not UTF-8": (b'{"type": "\xff\xfe"}', JSON_TYPE),
    "wrong content type": (_event(), "text/plain"),
    "JSON array": (b'[{"type": "event_callback"}]', JSON_TYPE),
    "payload not an object": (_payload([1, 2]), FORM_TYPE),
    "no type": (b'{"event": {}}', JSON_TYPE),
    "event missing": (_event(event=None), JSON_TYPE),
    "event id missing": (_event(event_id=None), JSON_TYPE),
    "action without user": (_payload({"type": "block_actions", "actions": [{}]}), FORM_TYPE),
    "actions not a list": (
        _payload({"type": "block_actions", "user": {"id": "U1"}, "actions": "x"}),
        FORM_TYPE,
    ),
    "view not an object": (
        _payload({"type": "view_submission", "user": {"id": "U1"}, "view": True}),
        FORM_TYPE,
    ),
    "command without user": (b"command=%2Fsales&text=hi&channel_id=C1", FORM_TYPE),
    "form of nothing": (b"hello=world", FORM_TYPE),
}


@pytest.mark.parametrize("kind", list(SIGNED_GARBAGE))
def test_signed_garbage_gets_400_with_one_plain_sentence(harness: SlackHarness, kind: str) -> None:
    body, content_type = SIGNED_GARBAGE[kind]
    status, text = raw_post(harness.url, body, sign(body, content_type))
    assert status == 400, text
    assert len(text.strip().splitlines()) == 1 and not any(w in text for w in TRACE_WORDS)
    assert nothing_ran(harness)


@pytest.mark.parametrize("expect", ["", "Expect: 100-continue\r\n"], ids=["plain", "expect"])
def test_a_huge_body_is_refused_before_it_is_sent(harness: SlackHarness, expect: str) -> None:
    parts = urlsplit(harness.url)
    body = b'{"type": "x"}'
    signature = "".join(f"{k}: {v}\r\n" for k, v in sign(body).items() if k != "Content-Type")
    with socket.create_connection((parts.hostname, parts.port), timeout=60) as conn:
        # Headers only: the 5 MB body is never sent, so a 413 proves it was not awaited. (A
        # client that pushes the whole body regardless may see the connection close instead.)
        conn.sendall(
            f"POST {parts.path} HTTP/1.1\r\nHost: x\r\nContent-Type: {JSON_TYPE}\r\n"
            f"{signature}{expect}Content-Length: {5 * MAX_BODY_BYTES}\r\n\r\n".encode()
        )
        head = _final_response(conn)
    assert head.startswith("HTTP/1.1 413 "), head
    assert not any(w in head for w in TRACE_WORDS)
    assert nothing_ran(harness)


def _final_response(conn: socket.socket) -> str:
    """What the server said, past an interim "100 Continue" (waitress sends one first)."""
    received = b""
    while chunk := conn.recv(4096):
        received += chunk
        if b"\r\n\r\n" in received.removeprefix(b"HTTP/1.1 100 Continue\r\n\r\n"):
            break
    return received.decode().removeprefix("HTTP/1.1 100 Continue\r\n\r\n")


def test_unknown_paths_and_wrong_methods(harness: SlackHarness) -> None:
    base = harness.url.removesuffix("/slack/events")
    assert raw_post(f"{base}/nope", b"", {})[0] == 404
    assert raw_post(harness.url, b"", {}, method="GET")[0] == 405
    assert raw_post(f"{base}/healthz", b"{}", {}, method="POST")[0] == 405
    assert raw_post(f"{base}/healthz", b"", {}, method="GET") == (
        200,
        json.dumps({"ok": True, "database": "up"}),
    )


BURST = 100
EVENTS = 50  # plus 10 of them delivered twice in the same burst, as Slack retries
RETRIED = 10


def _burst(harness: SlackHarness) -> tuple[list[bytes], list[str]]:
    """60 event deliveries (50 events) and 40 "Show all" presses, each signed."""
    events = [
        mention_event(harness.slack, "UROB", "CTEAM", f"my day? ({i})") for i in range(EVENTS)
    ]
    bodies = [event_body(e, f"EvBurst{i}") for i, e in enumerate(events)]
    bodies += bodies[:RETRIED]
    value = json.dumps({"tool": "next_actions", "args": {}})
    press = {
        "user": {"id": "UROB"},
        "channel": {"id": "CTEAM"},
        "response_url": harness.slack.response_url,
        "actions": [{"action_id": SHOW_MORE_ACTION_ID, "value": value, "block_id": "b"}],
    }
    bodies += [action_body(press) for _ in range(BURST - len(bodies))]
    return [b.encode() for b in bodies], [str(e["ts"]) for e in events]


def test_a_burst_of_100_connections_is_all_acked_and_answered_once(
    harness: SlackHarness,
) -> None:
    bodies, threads = _burst(harness)
    barrier = threading.Barrier(len(bodies))
    results: list[int | str] = []

    def fire(body: bytes) -> None:
        headers = signed_headers(SECRET, body.decode())
        barrier.wait()  # every connection opens at the same moment
        try:
            results.append(raw_post(harness.url, body, headers)[0])
        except OSError as exc:  # a reset or refused connection
            results.append(repr(exc))

    workers = [threading.Thread(target=fire, args=(b,)) for b in bodies]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert results == [200] * BURST
    assert harness.deps.work.join(timeout=240)
    answers = [c["thread_ts"] for c in harness.posted() + harness.posted("chat.postEphemeral")]
    assert sorted(answers) == sorted(threads)  # every event once, the retried ones too
    assert len(harness.posted("response_url")) == BURST - EVENTS - RETRIED
