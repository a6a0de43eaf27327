"""Chroma in client/server mode: a real `chroma run`, selected by CHROMA_HOST / CHROMA_PORT."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from sqlalchemy.orm import Session, sessionmaker
from support.chroma_server import chroma_server
from support.crm_fixture import NOW

from bot.agent.runner import AgentRunner
from bot.services import Services
from bot.settings import Settings
from tools.indexing import index_activities
from tools.interactions import SearchUnavailableError, auth_headers
from tools.principal import get_principal_by_email

SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def _settings(port: int, **extra: str) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None, CHROMA_HOST="127.0.0.1", CHROMA_PORT=port, **extra
    )


@SQLITE_ONLY  # the point is Chroma's transport; the CRM backend does not matter here
def test_index_and_search_through_a_chroma_server(
    crm: sessionmaker[Session], db_url: str, tmp_path: Path
) -> None:
    with chroma_server(tmp_path / "chroma") as port:
        # A token is sent on every request; a bare `chroma run` ignores it, a proxy checks it.
        svc = Services(_settings(port, CHROMA_AUTH_TOKEN="secret-token", DATABASE_URL=db_url))
        with crm() as session:
            assert index_activities(session, svc.index) == 6
            rob = get_principal_by_email(session, "rob@x.test")
        assert svc.index.count() == 6
        runner = AgentRunner(crm, index=svc.index, clock=lambda: NOW)
        try:
            answer = runner.ask(rob, "what did Acme say about pricing?")
        finally:
            runner.close()
    [found] = [a for a in answer.artifacts if a.get("type") == "interactions"]
    assert found["hits"][0]["subject"] == "Pricing discussion"
    assert {h["account"] for h in found["hits"]} <= {"Acme Corp", "Umbrella Health"}


class _Recorder(BaseHTTPRequestHandler):
    seen: ClassVar[list[dict[str, str]]] = []

    def _refuse(self) -> None:
        self.seen.append(dict(self.headers))
        self.send_response(503)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST = _refuse

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def recorder() -> Iterator[int]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield int(httpd.server_address[1])
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize(
    ("header", "sent"),
    [("Authorization", "Bearer tok-1"), ("X-Chroma-Token", "tok-1")],
)
def test_the_auth_token_goes_in_the_configured_header(
    recorder: int, header: str, sent: str
) -> None:
    _Recorder.seen.clear()
    svc = Services(_settings(recorder, CHROMA_AUTH_TOKEN="tok-1", CHROMA_AUTH_HEADER=header))
    with pytest.raises(SearchUnavailableError):
        svc.index.count()
    assert _Recorder.seen and all(h.get(header) == sent for h in _Recorder.seen)
    assert auth_headers(None) == {}
