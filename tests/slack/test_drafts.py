"""Follow-up drafts say only what the deal's CRM history says, with or without an LLM."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker
from support.crm_fixture import ACTIVITIES, NOW, build_fixture
from support.fakes.openai_api import Error, FakeOpenAIServer, Reply

from bot.agent.llm import build_llm
from bot.agent.runner import AgentRunner
from bot.settings import Settings
from bot.slack.handlers.draft_check import unsupported_facts
from bot.slack.handlers.drafts import DealNotFoundError, draft_follow_up
from tools.principal import Principal, get_principal_by_email

INVENTED = (
    "Subject: Your new price\n\nHi Acme,\n\nGreat news: we can do $99,999 if you sign by "
    "December 3.\n\nBest regards,\nRob Rep"
)
GROUNDED = (
    "Subject: Following up on pricing\n\nHi Acme,\n\nThanks for the pricing discussion on "
    "November 20. I'll send the revised quote by Friday.\n\nBest regards,\nRob Rep"
)
OTHER_DEALS_TEXT = ("Initech", "Security review", "Umbrella org chart", "Pilot kickoff")


@pytest.fixture
def crm(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    with sessions.begin() as session:
        build_fixture(session)
    return sessions


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as fake:
        yield fake


def principal(crm: sessionmaker[Session], email: str) -> Principal:
    with crm() as session:
        return get_principal_by_email(session, email)


def deps_for(crm: sessionmaker[Session], server: FakeOpenAIServer | None = None) -> Any:
    llm = None
    if server is not None:
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None,
            OPENAI_API_KEY="test",
            OPENAI_MODEL="gpt-4o-mini",
            OPENAI_BASE_URL=server.url + "/v1",
            LLM_TIMEOUT_SECONDS=5,
            LLM_MAX_RETRIES=0,
        )
        llm = build_llm(settings)
    runner = AgentRunner(crm, llm=llm, clock=lambda: NOW)
    return SimpleNamespace(sessions=crm, runner=runner, clock=lambda: NOW)


def deal_one_facts() -> str:
    """Every CRM fact about deal 1 a draft may use, written out independently of the code."""
    rows = [a for a in ACTIVITIES if a[2] == 1]
    parts = ["Acme Corp – Platform Expansion", "120000.00", "2026-12-15", "Acme Corp Buyer"]
    parts += [f"{a[5]} {a[6]} {a[7]}" for a in rows]
    return " ".join(parts)


def numbers(text: str) -> set[str]:
    return {n.lstrip("0") or "0" for n in re.findall(r"\d+", text)}


def test_offline_draft_uses_only_the_deals_interactions(crm: sessionmaker[Session]) -> None:
    draft = draft_follow_up(deps_for(crm), principal(crm, "rob@x.test"), 1)
    assert draft.startswith("Subject: Following up: Pricing discussion")
    assert "Hi Acme," in draft and "“Pricing discussion” on November 20" in draft
    assert "Discovery call" in draft
    assert draft.rstrip().endswith("Rob Rep")
    assert numbers(draft) <= numbers(deal_one_facts())
    assert "$" not in draft and not any(text in draft for text in OTHER_DEALS_TEXT)
    assert unsupported_facts(draft, deal_one_facts()) == []


def test_no_draft_for_a_deal_out_of_scope(crm: sessionmaker[Session]) -> None:
    with pytest.raises(DealNotFoundError):
        draft_follow_up(deps_for(crm), principal(crm, "otto@x.test"), 1)
    with pytest.raises(DealNotFoundError):
        draft_follow_up(deps_for(crm), principal(crm, "rob@x.test"), 999)


def test_invented_price_is_rejected_for_the_template(
    crm: sessionmaker[Session], server: FakeOpenAIServer
) -> None:
    server.script = [Reply(INVENTED)]
    draft = draft_follow_up(deps_for(crm, server), principal(crm, "rob@x.test"), 1)
    assert "99,999" not in draft and "December" not in draft
    assert draft.startswith("Subject: Following up: Pricing discussion")
    [request] = server.requests
    sent = json.dumps(request["messages"])
    assert "Pricing discussion" in sent and "Discovery call" in sent
    assert not any(text in sent for text in OTHER_DEALS_TEXT)
    assert "never state a price" in request["messages"][0]["content"].lower()


def test_grounded_llm_draft_is_used(crm: sessionmaker[Session], server: FakeOpenAIServer) -> None:
    server.script = [Reply(f"```\n{GROUNDED}\n```")]
    draft = draft_follow_up(deps_for(crm, server), principal(crm, "rob@x.test"), 1)
    assert draft == GROUNDED


def test_failing_llm_falls_back_to_the_template(
    crm: sessionmaker[Session], server: FakeOpenAIServer
) -> None:
    server.script = [Error(500)]
    draft = draft_follow_up(deps_for(crm, server), principal(crm, "rob@x.test"), 1)
    assert draft.startswith("Subject: Following up: Pricing discussion")


FACTS = (
    '{"amount": "120000.00", "close_date": "2026-12-15", "date": "2026-11-20", "x": "by Friday"}'
)


@pytest.mark.parametrize(
    ("draft", "unsupported"),
    [
        ("Our call on November 20; the quote by Friday.", []),
        ("The total is $120,000 (120k), closing Dec 15.", []),
        ("We can offer $99,999.", ["99999"]),
        ("A 15% discount", ["discount"]),
        ("Let's talk on December 3.", ["3"]),
        ("See you tomorrow or on Wednesday.", ["wednesday", "tomorrow"]),
        ("May 5 works.", ["5", "may"]),
        ("You may want to review it.", []),
        ("Five thousand seats", ["thousand"]),
    ],
)
def test_unsupported_facts(draft: str, unsupported: list[str]) -> None:
    assert sorted(unsupported_facts(draft, FACTS)) == sorted(unsupported)
