"""Fault drills through the Slack app: the LLM endpoint down, the Chroma server down.

With the LLM unreachable the offline planner answers (with a notice); with Chroma unreachable
the search tool says so and every other tool answers as usual. Either way the answer is posted.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy.orm import Session, sessionmaker
from support.chroma_server import free_port
from support.crm_fixture import NOW
from support.fakes.slack_api import FakeSlackServer
from support.slack_harness import SlackHarness, make_harness

from bot.agent.llm import build_llm
from bot.agent.runner import FALLBACK_NOTICE, AgentRunner
from bot.settings import Settings
from tools.database_id import read_database_id
from tools.embeddings import LocalEmbeddings
from tools.interactions import InteractionIndex, open_client
from tools.principal import get_principal_by_email

# One question per tool, as a rep asks it, and words its answer must hold.
EVERY_OTHER_TOOL = [
    # The words say what a list adds up to; the rows are drawn under them.
    ("show my deals over 50k", "find_deals", "1 deal, $120k"),
    ("how is the Acme expansion deal going?", "get_deal", "Negotiation"),
    ("tell me about the Acme account", "account_overview", "Acme Corp"),
    ("how's my pipeline this quarter?", "pipeline_summary", "$165k"),
    ("what should I do today?", "next_actions", "Send revised quote to Acme"),
]


def closed_url() -> str:
    return f"http://127.0.0.1:{free_port()}/v1"  # nothing listens there: connection refused


@contextmanager
def running(
    crm: sessionmaker[Session], slack: FakeSlackServer, runner: AgentRunner
) -> Iterator[SlackHarness]:
    try:
        with contextmanager(make_harness)(crm, slack, runner) as harness:
            yield harness
    finally:
        runner.close()


def thread_text(bot: SlackHarness, ts: str) -> str:
    return json.dumps(
        [c.params for c in bot.slack.calls("chat.postMessage") if c.params.get("thread_ts") == ts]
    )


def test_llm_endpoint_down_the_offline_planner_answers_in_slack(
    crm: sessionmaker[Session], slack: FakeSlackServer
) -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        OPENAI_API_KEY="test",
        OPENAI_BASE_URL=closed_url(),
        LLM_MAX_RETRIES=1,
        LLM_TIMEOUT_SECONDS=5,
    )
    runner = AgentRunner(crm, llm=build_llm(settings), clock=lambda: NOW)
    with running(crm, slack, runner) as bot:
        ts = bot.mention("UROB", "CTEAM", "what should I do today?")
        posted = thread_text(bot, ts)
    assert "Send revised quote to Acme" in posted
    assert FALLBACK_NOTICE.split(".")[0] in posted
    assert "Traceback" not in posted and "went wrong" not in posted


@pytest.fixture
def chroma_down(crm: sessionmaker[Session]) -> Iterator[AgentRunner]:
    # The embedder never loads: the store is unreachable before any text is embedded.
    index = InteractionIndex(
        open_client(host="127.0.0.1", port=free_port()), LocalEmbeddings(), read_database_id(crm)
    )
    runner = AgentRunner(crm, index=index, clock=lambda: NOW)
    yield runner
    runner.close()


def test_chroma_down_search_says_so_and_the_answer_is_posted(
    crm: sessionmaker[Session], slack: FakeSlackServer, chroma_down: AgentRunner
) -> None:
    with running(crm, slack, chroma_down) as bot:
        ts = bot.mention("UROB", "CTEAM", "what did Acme say about pricing?")
        posted = thread_text(bot, ts)
    assert "Interaction search is unavailable right now" in posted
    assert "Traceback" not in posted and "went wrong" not in posted


def test_chroma_down_every_other_tool_works(
    crm: sessionmaker[Session], chroma_down: AgentRunner
) -> None:
    with crm() as session:
        rob = get_principal_by_email(session, "rob@x.test")
    for question, tool, expected in EVERY_OTHER_TOOL:
        answer = chroma_down.ask(rob, question)
        assert [c.name for c in answer.tool_calls] == [tool], question
        assert expected in answer.text and "unavailable" not in answer.text, answer.text
