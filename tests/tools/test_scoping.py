"""A rep cannot reach another rep's book by name, id, account, owner or search."""

from __future__ import annotations

import json

import pytest
from sqlalchemy.orm import Session, sessionmaker
from support.crm_fixture import build_fixture
from test_tool_figures import call

SECRETS = ("Initech", "99000", "Otto", "Peter")


@pytest.fixture
def crm(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    with sessions.begin() as session:
        build_fixture(session)
    return sessions


def assert_no_secret(artifact: dict) -> None:
    # The user's own words are echoed back in "query"; anything else must not name the secret.
    dumped = json.dumps({k: v for k, v in artifact.items() if k != "query"}, ensure_ascii=False)
    for secret in SECRETS:
        assert secret not in dumped, f"{secret} leaked: {dumped[:300]}"


@pytest.mark.parametrize(
    ("tool", "args"),
    [
        ("get_deal", {"deal": "Initech – Data Migration"}),
        ("get_deal", {"deal": "initech"}),
        ("get_deal", {"deal": "6"}),
        ("get_deal", {"deal": "#6"}),
        ("account_overview", {"account": "Initech"}),
        ("find_deals", {"account": "Initech"}),
        ("find_deals", {"owner": "Otto Outsider"}),
        ("find_deals", {"owner": "otto@x.test"}),
        ("find_deals", {"stage": "all"}),
        ("pipeline_summary", {"scope": "Otto Outsider"}),
        ("pipeline_summary", {"scope": "team"}),
        ("next_actions", {}),
    ],
)
def test_rep_cannot_reach_other_book(crm: sessionmaker[Session], tool: str, args: dict) -> None:
    assert_no_secret(call(crm, "rob@x.test", tool, **args))


def test_out_of_scope_looks_like_missing(crm: sessionmaker[Session]) -> None:
    hidden = call(crm, "rob@x.test", "get_deal", deal="6")
    missing = call(crm, "rob@x.test", "get_deal", deal="9999")
    assert hidden == missing | {"query": "6"}
    assert hidden["type"] == "not_found"


def test_manager_sees_reports_not_other_team(crm: sessionmaker[Session]) -> None:
    assert call(crm, "mia@x.test", "get_deal", deal="globex analytics")["deal"]["id"] == 4
    assert_no_secret(call(crm, "mia@x.test", "get_deal", deal="initech"))
    assert call(crm, "max@x.test", "get_deal", deal="initech")["deal"]["id"] == 6


def test_admin_sees_everything(crm: sessionmaker[Session]) -> None:
    got = call(crm, "ada@x.test", "find_deals", stage="all", limit=50)
    assert got["total_count"] == 8
    assert call(crm, "ada@x.test", "pipeline_summary", scope="team")["scope_label"] == "everyone"


@pytest.mark.parametrize(
    ("tool", "args", "owners"),
    [
        ("get_deal", {"deal": "globex analytics"}, [4]),
        ("find_deals", {}, [3, 4]),
        ("account_overview", {"account": "acme"}, [3]),
        ("pipeline_summary", {"scope": "team"}, [2, 3, 4]),
        ("next_actions", {}, [2]),
    ],
)
def test_artifacts_name_whose_data_they_show(
    crm: sessionmaker[Session], tool: str, args: dict, owners: list[int]
) -> None:
    # Interfaces use this to decide who else may see an answer (e.g. a shared channel).
    assert call(crm, "mia@x.test", tool, **args)["data_owner_ids"] == owners
