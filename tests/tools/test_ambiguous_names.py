"""A name that fits several records asks which; a company named where a person was expected
is still found; neither tells another book apart from a missing one."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker
from support.crm_fixture import build_fixture
from test_tool_figures import call

from tools.name_match import best_match


@pytest.fixture
def crm(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    with sessions.begin() as session:
        build_fixture(session)
    return sessions


def test_an_account_name_for_its_open_deals_offers_them(
    crm: sessionmaker[Session],
) -> None:
    # Two open Acme deals and one won last quarter: "the Acme deal" is one of the open two.
    found = call(crm, "rob@x.test", "get_deal", deal="Acme Corp")
    assert found["type"] == "not_found"
    assert set(found["suggestions"]) == {
        "Acme Corp – Platform Expansion",
        "Acme Corp – Next Year",
    }


def test_an_account_name_with_one_open_deal_is_that_deal(crm: sessionmaker[Session]) -> None:
    # Globex: one open deal, one lost, one won. The closed ones do not make it a question.
    found = call(crm, "mia@x.test", "get_deal", deal="Globex")
    assert found["type"] == "deal", found
    assert found["deal"]["name"] == "Globex – Analytics Suite"


def test_a_closed_deal_named_in_full_is_still_found(crm: sessionmaker[Session]) -> None:
    found = call(crm, "mia@x.test", "get_deal", deal="Globex Old Deal")
    assert found["deal"]["name"] == "Globex – Old Deal"


def test_words_that_tell_the_deals_apart_pick_one(crm: sessionmaker[Session]) -> None:
    assert call(crm, "rob@x.test", "get_deal", deal="acme expansion")["deal"]["id"] == 1
    assert call(crm, "rob@x.test", "get_deal", deal="Acme Corp – Renewal")["deal"]["id"] == 3


def test_the_same_deal_name_twice_is_not_a_question() -> None:
    # Two records of one name: the earlier (open, soonest) wins, as before.
    match = best_match("Acme – Renewal", [(7, "Acme – Renewal"), (9, "Acme – Renewal")])
    assert match.id == 7


def test_an_exact_name_beats_its_longer_namesakes() -> None:
    candidates = [(1, "Acme Corp"), (2, "Acme Corp Europe"), (3, "Acme Logistics")]
    assert best_match("acme corp", candidates).id == 1
    assert best_match("acme", candidates).suggestions == (
        "Acme Corp",
        "Acme Corp Europe",
        "Acme Logistics",
    )


def test_a_name_neither_an_account_nor_a_contact_says_both(crm: sessionmaker[Session]) -> None:
    hidden = call(crm, "rob@x.test", "search_interactions", query="pricing", contact="Initech")
    missing = call(crm, "rob@x.test", "search_interactions", query="pricing", contact="Zyxwv")
    assert hidden["type"] == missing["type"] == "not_found"
    assert hidden["what"] == missing["what"] == "account or contact"
    assert hidden["suggestions"] == missing["suggestions"] == []
