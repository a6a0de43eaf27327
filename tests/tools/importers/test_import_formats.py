"""Each documented export format imports as documented, and importing twice changes nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker
from support.import_helpers import counts, one, run, snapshot
from support.import_samples import write_csv, write_samples

SOURCES = ["hubspot", "salesforce", "csv"]
EXPECTED = {
    "accounts": 3,
    "contacts": 2,
    "deals": 4,
    "deal_field_history": 0,
    "activities": 4,
    "tasks": 1,
    "audit_log": 1,
}


def implied_history_rows(sessions: sessionmaker[Session]) -> int:
    """Without history, an import records what the data implies: open from the create date
    (when known), closed on the close date (when closed); never a final stage at creation."""
    known = one(sessions, "select count(created_at) from deals")[0]
    closed = one(sessions, "select count(*) from deals where closed_at is not null")[0]
    backdated = one(
        sessions,
        "select count(*) from deal_stage_history h join deals d on d.id = h.deal_id "
        "where h.to_stage in ('closed_won', 'closed_lost') and h.changed_at = d.created_at "
        "and d.created_at <> d.closed_at",
    )[0]
    assert backdated == 0
    return int(known) + int(closed)


@pytest.mark.parametrize("source", SOURCES)
def test_sample_export_imports_every_record_once(
    sessions: sessionmaker[Session], users: dict[str, int], tmp_path: Path, source: str
) -> None:
    paths = write_samples(tmp_path, source)
    report = run(sessions, source, paths)
    found = counts(sessions)
    assert found.pop("deal_stage_history") == implied_history_rows(sessions)
    assert found == EXPECTED
    assert report.summary()["deal"] == {"created": 4, "updated": 0, "unchanged": 0}
    deal = one(
        sessions,
        "select d.stage, d.amount, d.owner_id, d.close_date, a.name from deals d "
        "join accounts a on a.id = d.account_id where d.name = 'Acme – Platform'",
    )
    assert deal.stage == "negotiation"
    assert Decimal(deal.amount) == Decimal("120000.00")
    assert deal.owner_id == users["rob@x.test"]
    assert str(deal.close_date) == "2026-12-15"
    assert deal.name == "Acme Corp"
    won = one(sessions, "select stage, closed_at from deals where name = 'Initech – Pilot'")
    assert won.stage == "closed_won" and won.closed_at is not None
    before = snapshot(sessions)
    again = run(sessions, source, paths)
    assert snapshot(sessions) == before  # no duplicates, no history, no audit row
    assert again.changed == 0 and again.written is None
    assert again.summary()["deal"] == {"created": 0, "updated": 0, "unchanged": 4}


def test_hubspot_cells_are_read_as_exported(
    sessions: sessionmaker[Session], users: dict[str, int], tmp_path: Path
) -> None:
    run(sessions, "hubspot", write_samples(tmp_path, "hubspot"))
    globex = one(sessions, "select close_date, owner_id from deals where name like 'Globex%'")
    assert str(globex.close_date) == str(date(2026, 12, 20))  # "12/20/2026", month first
    assert globex.owner_id == users["rita@x.test"]  # "Rita Rep (rita@x.test)"
    call = one(sessions, "select body, kind from activities where subject = 'Pricing call'")
    assert call.body == "They said the price is too high for this year."  # HTML stripped
    note = one(
        sessions,
        "select a.name from activities x join accounts a on a.id = x.account_id "
        "where x.kind = 'note'",
    )
    assert note.name == "Acme Corp"  # no company on the row: taken from its deal
    task = one(sessions, "select title, due_date, completed_at, owner_id from tasks")
    assert (task.title, str(task.due_date), task.completed_at) == (
        "Send the contract",
        "2026-12-01",
        None,
    )
    hank = one(sessions, "select a.name from contacts c join accounts a on a.id = c.account_id "
               "where c.email = 'hank@globex.test'")  # fmt: skip
    assert hank.name == "Globex"  # the first of "102;103"


def test_salesforce_tasks_split_into_interactions_and_todos(
    sessions: sessionmaker[Session], users: dict[str, int], tmp_path: Path
) -> None:
    run(sessions, "salesforce", write_samples(tmp_path, "salesforce"))
    kinds = one(
        sessions,
        "select sum(case when kind = 'call' then 1 else 0 end) as calls, "
        "sum(case when kind = 'email' then 1 else 0 end) as emails, "
        "sum(case when kind = 'meeting' then 1 else 0 end) as meetings from activities",
    )
    assert (kinds.calls, kinds.emails, kinds.meetings) == (1, 1, 2)
    euro = one(sessions, "select currency, amount from deals where name like 'Globex%'")
    assert euro.currency == "EUR" and Decimal(euro.amount) == Decimal("45000.50")
    review = one(
        sessions,
        "select a.name, x.deal_id from activities x join accounts a on a.id = x.account_id "
        "where x.subject = 'Account review'",
    )
    assert review.name == "Acme Corp" and review.deal_id is None  # WhatId was the Account


def test_hubspot_company_by_name_and_contacts_without_one(
    sessions: sessionmaker[Session], users: dict[str, int], tmp_path: Path
) -> None:
    companies, *_ = write_samples(tmp_path, "hubspot")
    contacts = write_csv(
        tmp_path / "leads.csv",
        [["Record ID", "First Name", "Last Name", "Email", "Associated Company IDs"],
         ["901", "Lee", "Lead", "lee@nowhere.test", ""]],
    )  # fmt: skip
    deals = write_csv(
        tmp_path / "named.csv",
        [["Record ID", "Deal Name", "Deal Stage", "Close Date", "Deal owner",
          "Associated Company"],
         ["902", "Globex – Upsell", "Contract Sent", "2027-02-01", "Rita Rep", "globex"]],
    )  # fmt: skip
    report = run(sessions, "hubspot", [companies, contacts, deals])
    assert report.warnings == {"contact rows with no company were not imported": 1}
    upsell = one(
        sessions,
        "select a.name, d.amount from deals d join accounts a on a.id = d.account_id "
        "where d.name = 'Globex – Upsell'",
    )
    assert upsell.name == "Globex" and Decimal(upsell.amount) == 0
    assert counts(sessions)["contacts"] == 0
