"""Semantic search with the real offline model, limited to what the asker may see."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker
from support.crm_fixture import NOW, build_fixture

from tools.context import ToolContext
from tools.crm_tools import make_tools
from tools.database_id import read_database_id
from tools.embeddings import LocalEmbeddings
from tools.indexing import index_activities
from tools.interactions import InteractionIndex, open_client
from tools.models import Contact
from tools.principal import get_principal_by_email


@pytest.fixture
def indexed(
    sessions: sessionmaker[Session], tmp_path: Path
) -> tuple[sessionmaker[Session], InteractionIndex]:
    with sessions.begin() as session:
        build_fixture(session)
    index = InteractionIndex(
        open_client(str(tmp_path / "chroma")), LocalEmbeddings(), read_database_id(sessions)
    )
    with sessions() as session:
        assert index_activities(session, index) == 6
    return sessions, index


def search(
    indexed: tuple[sessionmaker[Session], InteractionIndex], email: str, **args: object
) -> dict:
    sessions, index = indexed
    with sessions() as session:
        principal = get_principal_by_email(session, email)
    tools = {t.name: t for t in make_tools(ToolContext(principal, sessions, index, lambda: NOW))}
    call = {"type": "tool_call", "id": "s1", "name": "search_interactions", "args": args}
    return tools["search_interactions"].invoke(call).artifact


def test_paraphrase_sharing_no_words_finds_the_note(indexed: tuple) -> None:
    # The meeting note says "SOC 2 Type II report and a penetration test summary".
    got = search(indexed, "mia@x.test", query="audit attestation for compliance", limit=1)
    assert [h["activity_id"] for h in got["hits"]] == [3]


def test_pricing_paraphrase(indexed: tuple) -> None:
    got = search(indexed, "rob@x.test", query="too expensive for them", limit=1)
    assert got["hits"][0]["subject"] == "Pricing discussion"


def test_search_never_returns_other_books(indexed: tuple) -> None:
    got = search(indexed, "rob@x.test", query="champion leaving the company", limit=10)
    assert 4 not in {h["activity_id"] for h in got["hits"]}
    assert {h["account"] for h in got["hits"]} <= {"Acme Corp", "Umbrella Health"}
    other = search(indexed, "otto@x.test", query="champion leaving the company", limit=1)
    assert [h["activity_id"] for h in other["hits"]] == [4]


def test_filters_by_account_kind_and_date(indexed: tuple) -> None:
    got = search(indexed, "rob@x.test", query="anything", account="acme", kind="call")
    assert [h["activity_id"] for h in got["hits"]] == [6]
    recent = search(indexed, "rob@x.test", query="customer update", since="last 30 days")
    assert {h["activity_id"] for h in recent["hits"]} == {1, 5, 6}


def test_unknown_account_filter_is_not_found(indexed: tuple) -> None:
    assert search(indexed, "rob@x.test", query="x", account="Initech")["type"] == "not_found"


def test_a_company_given_as_the_contact_filters_by_that_account(indexed: tuple) -> None:
    # "What did Acme Corp say?" reads like a person's words; the company is what was meant.
    sessions, _ = indexed
    with sessions.begin() as session:  # the fixture's contact, "Acme Corp Buyer", would match
        session.execute(update(Contact).where(Contact.account_id == 1).values(name="Jane Doe"))
    got = search(indexed, "rob@x.test", query="price", contact="Acme Corp", limit=10)
    assert got["hits"] and {h["account"] for h in got["hits"]} == {"Acme Corp"}


def test_chroma_down_says_so(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        build_fixture(session)
    dead = InteractionIndex(
        open_client(host="127.0.0.1", port=9), LocalEmbeddings(), read_database_id(sessions)
    )
    got = search((sessions, dead), "rob@x.test", query="pricing")
    assert got["type"] == "notice" and "unavailable" in got["text"]
