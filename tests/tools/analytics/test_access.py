"""Access: a manager sees their reports, an admin everyone, a rep their own book with a note."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker
from support.analytics_calls import call
from support.analytics_fixture import NOW

from tools.analytics_tools import make_analytics_tools
from tools.context import ToolContext
from tools.principal import get_principal_by_email
from tools.scope import REP_TEAM_NOTICE

TOOLS = ["pipeline_review", "forecast", "rep_kpis", "deal_risks"]


def _owners(artifact: dict[str, Any]) -> set[str]:
    rows = artifact.get("rows", [])
    changes = artifact.get("changes", {})
    owners = {r.get("owner") or r.get("name") for r in rows}
    return owners | {r["owner"] for v in changes.values() for r in v}


@pytest.mark.parametrize("tool", TOOLS)
def test_each_manager_sees_only_their_team(crm: sessionmaker[Session], tool: str) -> None:
    mia = call(crm, "mia@x.test", tool, **({"since": "last 90 days"} if "review" in tool else {}))
    max_ = call(crm, "max@x.test", tool)
    assert (mia["scope_label"], mia["data_owner_ids"], mia["note"]) == (
        "Mia Manager's team",
        [2, 3, 4],
        None,
    )
    assert max_["data_owner_ids"] == [5, 6]
    assert _owners(mia) <= {"Rob Rep", "Rita Rep"}
    assert _owners(max_) <= {"Otto Outsider"}
    if tool in ("rep_kpis",):
        assert {r["name"] for r in mia["rows"]} == {"Rob Rep", "Rita Rep"}


@pytest.mark.parametrize("tool", TOOLS)
def test_admin_sees_everyone(crm: sessionmaker[Session], tool: str) -> None:
    got = call(crm, "ada@x.test", tool)
    assert (got["scope_label"], got["data_owner_ids"]) == ("everyone", [1, 2, 3, 4, 5, 6])


@pytest.mark.parametrize("tool", TOOLS)
def test_a_rep_asking_for_team_figures_gets_their_own_and_is_told(
    crm: sessionmaker[Session], tool: str
) -> None:
    team = call(crm, "rob@x.test", tool, scope="team")
    own = call(crm, "rob@x.test", tool, scope="me")
    assert team["data_owner_ids"] == [3] and team["note"] == REP_TEAM_NOTICE
    assert own["note"] is None
    assert {k: v for k, v in team.items() if k not in ("note", "scope_label")} == {
        k: v for k, v in own.items() if k not in ("note", "scope_label")
    }
    default = call(crm, "rob@x.test", tool)  # a rep's default is their own book, no note
    assert default["data_owner_ids"] == [3] and default["note"] is None


@pytest.mark.parametrize(
    ("email", "tool", "args"),
    [
        ("mia@x.test", "coaching_brief", {"rep": "Otto"}),
        ("max@x.test", "coaching_brief", {"rep": "Rob Rep"}),
        ("rob@x.test", "coaching_brief", {"rep": "Rita"}),
        ("mia@x.test", "rep_kpis", {"scope": "Otto Outsider"}),
        ("rob@x.test", "forecast", {"scope": "Rita Rep"}),
        ("mia@x.test", "deal_risks", {"scope": "Nobody Atall"}),
        ("mia@x.test", "coaching_brief", {"rep": "team"}),
    ],
)
def test_out_of_scope_people_look_like_nobody(
    crm: sessionmaker[Session], email: str, tool: str, args: dict[str, Any]
) -> None:
    got = call(crm, email, tool, **args)
    assert got["type"] == "not_found" and got["what"] == "rep"


def test_a_manager_narrows_to_one_rep_and_an_admin_coaches_anyone(
    crm: sessionmaker[Session],
) -> None:
    rita = call(crm, "mia@x.test", "deal_risks", scope="Rita")
    assert rita["data_owner_ids"] == [4] and _owners(rita) <= {"Rita Rep"}
    brief = call(crm, "ada@x.test", "coaching_brief", rep="Otto")
    assert brief["rep"]["name"] == "Otto Outsider" and brief["data_owner_ids"] == [6]


def test_no_tool_lets_the_model_name_the_asker(crm: sessionmaker[Session]) -> None:
    with crm() as session:
        principal = get_principal_by_email(session, "rob@x.test")
    for t in make_analytics_tools(ToolContext(principal, crm, None, lambda: NOW)):
        args = set(t.args)
        assert not args & {"user", "user_id", "principal", "email", "owner_id", "as_user"}
