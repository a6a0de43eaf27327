"""A confirmed call is searchable at once; the LLM only proposes; a dead index keeps the write."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker
from support.fakes.openai_api import FakeOpenAIServer, Reply, ToolCall
from support.index_helpers import WordVectors, make_index
from support.write_helpers import NOW, build_write_fixture, call_tool, count, principal

from bot.agent.llm import build_llm
from bot.agent.runner import AgentRunner
from bot.settings import Settings
from tools.database_id import read_database_id
from tools.embeddings import LocalEmbeddings
from tools.indexing import index_activities, sync_index
from tools.interactions import InteractionIndex, open_client
from tools.models import Activity, AuditSurface, Deal, PendingWrite
from tools.writes.confirm import Outcome, confirm_write, undo_write

ROB = "rob@x.test"


@pytest.fixture
def crm(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    with sessions.begin() as session:
        build_write_fixture(session)
    return sessions


@pytest.mark.slow
def test_a_confirmed_call_is_found_by_the_next_search(
    crm: sessionmaker[Session], tmp_path: Path
) -> None:
    index = InteractionIndex(
        open_client(str(tmp_path / "chroma")), LocalEmbeddings(), read_database_id(crm)
    )
    with crm() as session:
        index_activities(session, index)
    text = "They need the SOC 2 report before procurement, decision by March."
    proposal = call_tool(crm, ROB, "log_interaction", index, account="Acme", kind="call", text=text)
    before = call_tool(crm, ROB, "search_interactions", index, query="compliance audit report")
    assert proposal["id"] not in str(before)
    result = confirm_write(
        crm,
        proposal["id"],
        principal(crm, ROB),
        "k",
        now=NOW,
        surface=AuditSurface.SLACK,
        index=index,
    )
    assert result.outcome is Outcome.APPLIED and result.warnings == []
    new_id = result.artifact["result"]["activity_id"]  # type: ignore[index]
    found = call_tool(
        crm, ROB, "search_interactions", index, query="compliance audit report", account="Acme"
    )
    assert found["hits"][0]["activity_id"] == new_id
    other = call_tool(crm, "otto@x.test", "search_interactions", index, query="SOC 2 report")
    assert new_id not in {h["activity_id"] for h in other.get("hits", [])}


def test_confirm_indexes_with_the_current_version_and_undo_removes_it(
    crm: sessionmaker[Session], tmp_path: Path
) -> None:
    index = make_index(crm, tmp_path / "chroma")
    with crm() as session:
        sync_index(session, index)
    proposal = call_tool(crm, ROB, "log_interaction", index, account="Acme", kind="call", text="Hi")
    rob = principal(crm, ROB)
    done = confirm_write(
        crm, proposal["id"], rob, "k", now=NOW, surface=AuditSurface.CLI, index=index
    )
    new_id = done.artifact["result"]["activity_id"]  # type: ignore[index]
    assert index.stored([new_id])[new_id]["db_id"] == index.database_id
    WordVectors.embedded.clear()
    with crm() as session:  # the write path left nothing for `salesbot index` to do
        assert not sync_index(session, index).wrote and WordVectors.embedded == []
    undone = undo_write(
        crm, proposal["id"], rob, "u", now=NOW, surface=AuditSurface.CLI, index=index
    )
    assert undone.outcome is Outcome.UNDONE and index.stored([new_id]) == {}
    with crm() as session:
        assert not sync_index(session, index).wrote


def test_an_unreachable_index_keeps_the_write_and_says_how_to_reindex(
    crm: sessionmaker[Session],
) -> None:
    dead = InteractionIndex(
        open_client(host="127.0.0.1", port=9), LocalEmbeddings(), read_database_id(crm)
    )
    proposal = call_tool(crm, ROB, "log_interaction", account="Acme", kind="note", text="Hello")
    result = confirm_write(
        crm,
        proposal["id"],
        principal(crm, ROB),
        "k",
        now=NOW,
        surface=AuditSurface.SLACK,
        index=dead,
    )
    assert result.outcome is Outcome.APPLIED and "salesbot index" in result.warnings[0]
    assert count(crm, Activity, body="Hello", subject="Note on Acme Corp") == 1


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as fake:
        yield fake


def test_the_llm_proposes_but_nothing_is_written_without_confirmation(
    crm: sessionmaker[Session], server: FakeOpenAIServer
) -> None:
    server.script = [
        Reply(tool_calls=(ToolCall("update_deal", {"deal": "Acme platform", "stage": "won"}),)),
        Reply("Done! I marked the deal as won."),  # the model may even claim it is saved
    ]
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        OPENAI_API_KEY="test",
        OPENAI_MODEL="gpt-4o-mini",
        OPENAI_BASE_URL=server.url + "/v1",
        LLM_TIMEOUT_SECONDS=5,
        LLM_MAX_RETRIES=0,
    )
    runner = AgentRunner(crm, llm=build_llm(settings), clock=lambda: NOW)
    try:
        answer = runner.ask(principal(crm, ROB), "we won acme platform!")
    finally:
        runner.close()
    [proposal] = answer.artifacts
    assert proposal["type"] == "write_proposal" and proposal["status"] == "proposed"
    with crm() as session:
        assert session.get(Deal, 1).stage == "negotiation"  # type: ignore[union-attr]
    assert count(crm, PendingWrite, status="proposed") == 1
    assert "confirm" in str(server.requests[1]["messages"][-1]["content"])  # the model was told
