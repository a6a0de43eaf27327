"""A model server that never finishes answering: every question still ends, with the planner's
answer, the connection closed and the worker thread free again.

The scripted responses would take minutes to send (Drip) or never end (Hang); the deadlines are
a second. What is asserted is causal: the fake server saw the client hang up, every thread
started for the question ended, and the `ask` process exited. The waits are bounds on a loaded
machine, far above the deadlines, never timing assertions.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker
from support.crm_fixture import NOW, build_fixture
from support.fakes.openai_api import Drip, FakeOpenAIServer, Hang, Reply, ScriptItem, ToolCall

from bot.agent.answer import Answer
from bot.agent.llm import build_llm
from bot.agent.runner import FALLBACK_NOTICE, AgentRunner
from bot.settings import Settings
from tools.principal import get_principal_by_email

BOUND = 60.0  # seconds: far beyond every deadline below
SLOW = Drip(every=0.25)  # about 700 bytes: three minutes to send in full
QUESTION_SECONDS = 4.0  # a question's deadline long enough to reach its second request


@pytest.fixture
def crm(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    with sessions.begin() as session:
        build_fixture(session)
    return sessions


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as fake:
        yield fake


def ask(
    crm: sessionmaker[Session],
    server: FakeOpenAIServer,
    *,
    deadline: float = 1.0,
    question_seconds: float = 60.0,
    retries: int = 0,
) -> Answer:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        OPENAI_API_KEY="test",
        OPENAI_BASE_URL=server.url + "/v1",
        LLM_TIMEOUT_SECONDS=600,  # so that only the deadlines can end a slow answer
        LLM_DEADLINE_SECONDS=deadline,
        LLM_MAX_RETRIES=retries,
    )
    with crm() as session:
        principal = get_principal_by_email(session, "rob@x.test")
    runner = AgentRunner(
        crm, llm=build_llm(settings), clock=lambda: NOW, timeout_seconds=question_seconds
    )
    try:
        return runner.ask(principal, "what should I do today?")
    finally:
        runner.close()


def assert_planner_answered(answer: Answer) -> None:
    assert (answer.engine, answer.notice) == ("offline", FALLBACK_NOTICE)
    assert "Send revised quote to Acme" in answer.text


def assert_threads_back(before: list[threading.Thread]) -> None:
    """Every thread started since `before` ends: none is left blocked on the model."""
    started = [t for t in threading.enumerate() if t not in before]
    for thread in started:
        thread.join(timeout=BOUND)
    assert [t.name for t in started if t.is_alive()] == []
    # Threads of earlier tests may end meanwhile; none may have been added.
    assert set(threading.enumerate()) <= set(before)


@pytest.mark.parametrize("slow", [SLOW, Hang()], ids=["drip", "hang-after-headers"])
def test_a_model_request_past_its_deadline_is_closed_and_the_planner_answers(
    crm: sessionmaker[Session], server: FakeOpenAIServer, slow: ScriptItem
) -> None:
    server.script.append(slow)
    before = threading.enumerate()

    answer = ask(crm, server, deadline=1.0)

    assert_planner_answered(answer)
    assert server.wait_hung_up(timeout=BOUND), "the connection to the model was left open"
    assert_threads_back(before)


def test_the_question_deadline_bounds_every_request_and_retry(
    crm: sessionmaker[Session], server: FakeOpenAIServer
) -> None:
    # A tool call first, then a drip: the question's deadline, not the request's (a minute),
    # ends it, and the retries after it never reach the server. The question is given a few
    # seconds, not one: on a loaded machine one second could pass before the second request is
    # sent, and then no request is left for the deadline to cut.
    server.script += [Reply(tool_calls=(ToolCall("next_actions"),)), SLOW]
    before = threading.enumerate()

    answer = ask(crm, server, deadline=BOUND, question_seconds=QUESTION_SECONDS, retries=2)

    assert_planner_answered(answer)
    assert len(server.requests) == 2, "the second request never reached the model"
    assert server.wait_hung_up(timeout=BOUND / 2)
    assert_threads_back(before)
    assert len(server.requests) == 2


def test_salesbot_ask_exits_with_the_planners_answer(
    db_url: str,
    crm: sessionmaker[Session],
    server: FakeOpenAIServer,
    tmp_path: Path,
) -> None:
    # The process exits only when no thread is left running: a held worker kept it forever.
    server.script.append(Hang())
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "CHROMA_PATH": str(tmp_path / "chroma"),
        "OPENAI_API_KEY": "test",
        "OPENAI_BASE_URL": server.url + "/v1",
        "LLM_TIMEOUT_SECONDS": "600",
        "LLM_DEADLINE_SECONDS": "1",
        "LLM_MAX_RETRIES": "0",
        "COLUMNS": "200",
    }
    command = [sys.executable, "-m", "bot", "ask", "--as", "rob@x.test", "what should I do today?"]
    done = subprocess.run(
        command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=3 * BOUND
    )

    assert done.returncode == 0, done.stderr
    assert FALLBACK_NOTICE in " ".join(done.stdout.split())
    assert "Send revised quote to Acme" in done.stdout
    assert server.wait_hung_up(timeout=BOUND)
