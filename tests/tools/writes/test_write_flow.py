"""Proposals through the tools, then confirm / cancel / undo / edit, on both backends."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from support.write_helpers import NOW, audit_rows, build_write_fixture, call_tool, count, principal

from tools.models import (
    Activity,
    AuditSurface,
    Deal,
    DealFieldHistory,
    DealStageHistory,
    PendingWrite,
    Task,
)
from tools.writes.confirm import Outcome, cancel_write, confirm_write, undo_write
from tools.writes.edit import edit_write

ROB, RITA, MIA = "rob@x.test", "rita@x.test", "mia@x.test"


@pytest.fixture
def crm(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    with sessions.begin() as session:
        build_write_fixture(session)
    return sessions


def deal(sessions: sessionmaker[Session], deal_id: int) -> Deal:
    with sessions() as session:
        found = session.get(Deal, deal_id)
        assert found is not None
        session.expunge(found)
        return found


def confirm(sessions: sessionmaker[Session], write_id: str, email: str = ROB, key: str = "k1"):
    return confirm_write(
        sessions, write_id, principal(sessions, email), key, now=NOW, surface=AuditSurface.CLI
    )


def test_update_deal_only_proposes_then_confirm_applies_once(crm: sessionmaker[Session]) -> None:
    proposal = call_tool(crm, RITA, "update_deal", deal="Globex", stage="negotiation")
    assert proposal["type"] == "write_proposal" and proposal["status"] == "proposed"
    assert proposal["before"] == {"stage": "qualification"}
    assert proposal["after"] == {"stage": "negotiation"} and proposal["data_owner_ids"] == [4]
    assert deal(crm, 4).stage == "qualification"  # nothing written yet
    first = confirm(crm, proposal["id"], RITA)
    again = confirm(crm, proposal["id"], RITA)
    assert first.outcome is Outcome.APPLIED and again.outcome is Outcome.ALREADY_APPLIED
    assert deal(crm, 4).stage == "negotiation"
    assert count(crm, DealStageHistory, deal_id=4, to_stage="negotiation") == 1
    [audit] = audit_rows(crm)
    assert (audit.action, audit.entity, audit.entity_id, audit.surface) == (
        "deal.update",
        "deal",
        "4",
        "cli",
    )
    assert audit.before == {"stage": "qualification"} and audit.after == {"stage": "negotiation"}


def test_simultaneous_confirms_write_once(crm: sessionmaker[Session]) -> None:
    proposal = call_tool(crm, ROB, "create_task", title="Send the contract", due="Friday")
    results = []
    threads = [
        threading.Thread(
            target=lambda i=i: results.append(confirm(crm, proposal["id"], key=f"k{i}"))
        )
        for i in range(5)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.outcome for r in results).count(Outcome.APPLIED) == 1
    assert count(crm, Task, title="Send the contract") == 1 and len(audit_rows(crm)) == 1


def test_deal_changes_record_history_and_undo_restores_them(crm: sessionmaker[Session]) -> None:
    proposal = call_tool(crm, ROB, "update_deal", deal="Acme platform", close_date="next month")
    assert proposal["after"] == {"close_date": "2027-01-15"}
    confirm(crm, proposal["id"])
    with crm() as session:
        [row] = session.scalars(select(DealFieldHistory)).all()
    assert (row.field, row.old_value, row.new_value, row.changed_by_id) == (
        "close_date",
        "2026-12-15",
        "2027-01-15",
        3,
    )
    proposal = call_tool(crm, ROB, "update_deal", deal="1", stage="won", amount="125k")
    assert proposal["after"] == {"stage": "closed_won", "amount": "125000.00"}
    confirm(crm, proposal["id"])
    won = deal(crm, 1)
    assert won.stage == "closed_won" and won.closed_at is not None and won.amount == 125000
    who = principal(crm, ROB)
    later = NOW + timedelta(minutes=9)
    undone = undo_write(crm, proposal["id"], who, "u1", now=later, surface=AuditSurface.SLACK)
    assert undone.outcome is Outcome.UNDONE
    back = deal(crm, 1)
    assert (back.stage, back.closed_at, back.amount) == ("negotiation", None, 120000)
    actions = [a.action for a in audit_rows(crm)]
    assert actions == ["deal.update", "deal.update", "deal.update.undo"]
    again = undo_write(crm, proposal["id"], who, "u2", now=later, surface=AuditSurface.SLACK)
    assert again.outcome is Outcome.CLOSED and len(audit_rows(crm)) == 3


def test_undo_is_refused_after_ten_minutes_and_removes_a_logged_call(
    crm: sessionmaker[Session],
) -> None:
    proposal = call_tool(crm, ROB, "create_task", title="Call back", due="tomorrow")
    confirm(crm, proposal["id"])
    late = NOW + timedelta(minutes=10, seconds=1)
    result = undo_write(
        crm, proposal["id"], principal(crm, ROB), "u1", now=late, surface=AuditSurface.SLACK
    )
    assert result.outcome is Outcome.UNDO_EXPIRED and "10 minutes" in (result.message or "")
    assert count(crm, Task, title="Call back") == 1
    proposal = call_tool(
        crm, ROB, "log_interaction", account="acme", kind="call", text="They need SOC 2."
    )
    confirm(crm, proposal["id"])
    assert count(crm, Activity, body="They need SOC 2.") == 1
    undo_write(crm, proposal["id"], principal(crm, ROB), "u1", now=NOW, surface=AuditSurface.SLACK)
    assert count(crm, Activity, body="They need SOC 2.") == 0


REFUSED = [
    ("update_deal", {"deal": "Globex", "stage": "negotiation"}),
    ("update_deal", {"deal": "4", "amount": 1}),
    ("update_deal", {"deal": "Initech", "close_date": "next month"}),
    ("log_interaction", {"account": "Initech", "kind": "call", "text": "hi"}),
    ("create_task", {"title": "x", "due": "Friday", "deal": "Globex Analytics"}),
]


def test_writers_stay_in_their_scope_and_only_the_proposer_confirms(
    crm: sessionmaker[Session],
) -> None:
    for tool, args in REFUSED:
        assert call_tool(crm, ROB, tool, **args)["type"] == "not_found", (tool, args)
    assert count(crm, PendingWrite) == 0
    assert call_tool(crm, MIA, "update_deal", deal="Globex", stage="proposal")["type"] == (
        "write_proposal"
    )
    assert call_tool(crm, MIA, "update_deal", deal="Initech", stage="proposal")["type"] == (
        "not_found"
    )
    proposal = call_tool(crm, MIA, "update_deal", deal="Globex", stage="proposal")
    refused = confirm(crm, proposal["id"], RITA)  # the deal's owner, but not the proposer
    assert refused.outcome is Outcome.NOT_YOURS and deal(crm, 4).stage == "qualification"


def test_a_deal_changed_since_the_proposal_is_not_overwritten(crm: sessionmaker[Session]) -> None:
    proposal = call_tool(crm, RITA, "update_deal", deal="Globex", amount=70000)
    with crm.begin() as session:
        session.get(Deal, 4).amount = 65000  # type: ignore[union-attr]
    result = confirm(crm, proposal["id"], RITA)
    assert result.outcome is Outcome.CONFLICT and "changed since" in (result.message or "")
    assert deal(crm, 4).amount == 65000 and audit_rows(crm) == []


def test_expired_and_cancelled_proposals_write_nothing(crm: sessionmaker[Session]) -> None:
    proposal = call_tool(crm, ROB, "create_task", title="Old", due="Friday")
    result = confirm_write(
        crm,
        proposal["id"],
        principal(crm, ROB),
        "k",
        now=NOW + timedelta(hours=25),
        surface=AuditSurface.SLACK,
    )
    assert result.outcome is Outcome.EXPIRED and count(crm, Task, title="Old") == 0
    proposal = call_tool(crm, ROB, "create_task", title="Maybe", due="Friday")
    assert cancel_write(crm, proposal["id"], principal(crm, ROB), now=NOW).outcome is (
        Outcome.CANCELLED
    )
    assert confirm(crm, proposal["id"]).outcome is Outcome.CLOSED
    assert count(crm, Task, title="Maybe") == 0


def test_edit_changes_the_proposal_and_checks_values(crm: sessionmaker[Session]) -> None:
    proposal = call_tool(crm, ROB, "update_deal", deal="Acme platform", stage="proposal")
    who = principal(crm, ROB)
    values = {"stage": "negotiation", "amount": "130000", "close_date": "2026-12-15"}
    edited = edit_write(crm, proposal["id"], who, values, today=date(2026, 11, 26))
    assert edited.outcome is Outcome.EDITED and edited.artifact
    assert edited.artifact["after"] == {"amount": "130000.00"}
    bad = edit_write(crm, proposal["id"], who, {"amount": "lots"}, today=date(2026, 11, 26))
    assert bad.outcome is Outcome.INVALID and "not an amount" in (bad.message or "")
    confirm(crm, proposal["id"])
    assert deal(crm, 1).amount == 130000


BAD_VALUES = [
    ("update_deal", {"deal": "Acme platform", "stage": "won-ish"}, "not a stage"),
    ("update_deal", {"deal": "Acme platform", "stage": "negotiation"}, "already has"),
    ("update_deal", {"deal": "Acme platform", "amount": "lots"}, "not an amount"),
    ("update_deal", {"deal": "acme", "stage": "proposal"}, "Acme Corp has 2 open deals"),
    ("create_task", {"title": "x", "due": "someday"}, "can't read"),
    ("create_task", {"title": "x", "due": "yesterday"}, "in the past"),
    ("log_interaction", {"account": "Acme", "kind": "call", "text": " "}, "empty"),
    ("log_interaction", {"account": "Acme", "kind": "chat", "text": "x"}, "not a kind"),
    (
        "log_interaction",
        {"account": "Acme", "kind": "call", "text": "x", "when": "tomorrow"},
        "happened",
    ),
]


def test_bad_values_get_a_clear_sentence(crm: sessionmaker[Session]) -> None:
    for tool, args, says in BAD_VALUES:
        result = call_tool(crm, ROB, tool, **args)
        assert result["type"] == "notice" and says in result["text"], (tool, args, result)
    assert count(crm, PendingWrite) == 0
