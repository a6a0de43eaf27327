"""A running salesbot Slack app on HTTP, against the local Slack Web API server and a real CRM."""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from slack_bolt import App
from sqlalchemy.orm import Session, sessionmaker

from bot.agent.runner import AgentRunner
from bot.settings import Settings
from bot.slack.app import build_app, build_client, build_deps
from bot.slack.deps import SlackDeps
from bot.slack.http_server import Wsgi
from bot.slack.server import make_http_server
from support.fakes.signing import command_body, event_body, post, signed_headers
from support.fakes.slack_api import BOT_USER_ID, FakeSlackServer

SECRET = "test-signing-secret"
USERS = {
    "UROB": {"email": "rob@x.test", "name": "rob", "tz": "America/New_York"},
    "URITA": {"email": "RITA@x.test", "name": "rita"},
    "UMIA": {"email": "mia@x.test", "name": "mia"},
    "UOTTO": {"email": "otto@x.test", "name": "otto"},
    "UNOBODY": {"email": "stranger@elsewhere.test", "name": "stranger"},
    "UOTHERBOT": {"name": "otherbot", "is_bot": True},
}
MEMBERS = {
    "CTEAM": ["UROB", "UMIA", BOT_USER_ID],  # Mia manages Rob: both may see Rob's book
    "CMIXED": ["UROB", "UOTTO", BOT_USER_ID],  # Otto is on another team
    "CREPS": ["UROB", "URITA", BOT_USER_ID],  # two reps of the same manager
}
_ids = itertools.count(1)


@dataclass
class SlackHarness:
    slack: FakeSlackServer
    deps: SlackDeps
    url: str
    sessions: sessionmaker[Session]

    def send(
        self, body: str, *, retry_num: int | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, str]:
        status, text = post(self.url, body, headers or signed_headers(SECRET, body), retry_num)
        return status, text

    def event(
        self, event: dict[str, Any], *, event_id: str | None = None, retry_num: int | None = None
    ) -> tuple[int, str]:
        body = event_body(event, event_id or f"Ev{next(_ids):06d}")
        result = self.send(body, retry_num=retry_num)
        self.deps.work.join()
        return result

    def mention(self, user: str, channel: str, text: str, **extra: Any) -> str:
        event = mention_event(self.slack, user, channel, text, **extra)
        assert self.event(event)[0] == 200
        return str(event["ts"])

    def command(self, user: str, channel: str, text: str) -> tuple[int, str]:
        body = command_body(
            text=text, user_id=user, channel_id=channel, response_url=self.slack.response_url
        )
        result = self.send(body)
        self.deps.work.join()
        return result

    def posted(self, method: str = "chat.postMessage") -> list[dict[str, Any]]:
        return [c.params for c in self.slack.calls(method)]


def mention_event(
    slack: FakeSlackServer, user: str, channel: str, text: str, **extra: Any
) -> dict[str, Any]:
    """An `app_mention` of the bot by `user`, whose message is also stored in `slack`."""
    ts = slack.add_message(channel, text=f"<@{BOT_USER_ID}> {text}", user=user, **extra)
    return {
        "type": "app_mention",
        "user": user,
        "channel": channel,
        "ts": ts,
        "text": f"<@{BOT_USER_ID}> {text}",
        **extra,
    }


def blocks_json(params: dict[str, Any]) -> str:
    blocks = params.get("blocks", [])
    return blocks if isinstance(blocks, str) else json.dumps(blocks)


def build_test_app(
    slack: FakeSlackServer,
    runner: AgentRunner,
    *,
    process_before_response: bool = True,
    **settings_env: Any,
) -> tuple[SlackDeps, App]:
    """The production app and its collaborators, talking to `slack` with a test token.

    `settings_env` adds or overrides settings by their environment names (SLACK_ALLOW_GUESTS).
    """
    settings = Settings(
        **{
            "SLACK_BOT_TOKEN": "xoxb-test",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": slack.url,
            "SLACK_WORKERS": 5,
            **settings_env,
        },
        _env_file=None,
    )
    client = build_client(settings)
    deps = build_deps(settings, runner, client)
    app = build_app(settings, deps, client, process_before_response=process_before_response)
    return deps, app


def make_harness(
    sessions: sessionmaker[Session],
    slack: FakeSlackServer,
    runner: AgentRunner,
    *,
    process_before_response: bool = True,
    mounts: dict[str, Wsgi] | None = None,
    **settings_env: Any,
) -> Iterator[SlackHarness]:
    deps, app = build_test_app(
        slack, runner, process_before_response=process_before_response, **settings_env
    )
    server = make_http_server(app, sessions, "127.0.0.1", 0, signing_secret=SECRET, mounts=mounts)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield SlackHarness(
            slack, deps, f"http://127.0.0.1:{server.server_port}/slack/events", sessions
        )
    finally:
        server.shutdown()
        server.server_close()
        deps.work.shutdown()
