"""HubSpot's "Date entered <stage>" deal columns and the generic deal-history CSVs become the
deals' stage and field history as it happened."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker
from support.import_helpers import run
from support.team_files import write_rows


def history(sessions: sessionmaker[Session]) -> list[tuple[Any, ...]]:
    with sessions() as session:
        rows = session.execute(
            text(
                "select d.name, h.from_stage, h.to_stage, h.changed_at from deal_stage_history h "
                "join deals d on d.id = h.deal_id order by d.name, h.changed_at"
            )
        )
        return [(n, f, t, str(c)[:16]) for n, f, t, c in rows]


def test_hubspot_date_entered_columns(
    sessions: sessionmaker[Session], users: dict[str, int], tmp_path: Path
) -> None:
    companies = write_rows(
        tmp_path / "companies.csv",
        ["Record ID", "Company name", "Company owner"],
        [["11", "Globex", "rob@x.test"]],
        "utf-8",
    )
    entered = 'Date entered "{}" (Sales Pipeline)'
    deals = write_rows(
        tmp_path / "deals.csv",
        [
            "Record ID",
            "Deal Name",
            "Deal Stage",
            "Amount",
            "Close Date",
            "Deal owner",
            "Create Date",
            "Associated Company IDs (Primary)",
            entered.format("Appointment Scheduled"),
            entered.format("Contract Sent"),
            entered.format("Closed Won"),
            'Date exited "Appointment Scheduled (Sales Pipeline)"',
        ],
        [
            [
                "901",
                "Globex – Big",
                "Closed Won",
                "50000",
                "2026-03-20",
                "rob@x.test",
                "2026-01-05 09:00",
                "11",
                "2026-01-05 09:00",
                "2026-02-10 14:30",
                "2026-03-20 16:00",
                "2026-02-10 14:30",
            ],
            [
                "902",
                "Globex – Small",
                "Appointment Scheduled",
                "900",
                "2026-12-20",
                "rob@x.test",
                "",
                "11",
                "2026-06-01 10:00",
                "",
                "",
                "",
            ],
        ],
        "utf-16",
    )
    report = run(sessions, "hubspot", [companies, deals])
    assert report.history.deals_rewritten == 2
    assert history(sessions) == [
        ("Globex – Big", None, "prospecting", "2026-01-05 09:00"),
        ("Globex – Big", "prospecting", "negotiation", "2026-02-10 14:30"),
        ("Globex – Big", "negotiation", "closed_won", "2026-03-20 16:00"),
        ("Globex – Small", None, "prospecting", "2026-06-01 10:00"),
    ]
    again = run(sessions, "hubspot", [companies, deals])
    assert again.changed == 0 and again.history.deals_rewritten == 0


def test_generic_deal_history_csvs(
    sessions: sessionmaker[Session], users: dict[str, int], tmp_path: Path
) -> None:
    accounts = write_rows(
        tmp_path / "accounts.csv",
        ["account_id", "name", "owner_email"],
        [["a1", "Initech", "rita@x.test"]],
        "cp1252",
    )
    deals = write_rows(
        tmp_path / "deals.csv",
        [
            "deal_id",
            "account_id",
            "name",
            "owner_email",
            "stage",
            "amount",
            "close_date",
            "created_at",
        ],
        [
            [
                "d1",
                "a1",
                "Initech – Café",
                "rita@x.test",
                "closed_lost",
                "7000",
                "2026-05-01",
                "2026-02-01",
            ]
        ],
        "cp1252",
    )
    stages = write_rows(
        tmp_path / "deal_stage_history.csv",
        ["deal_id", "stage", "changed_at"],
        [
            ["d1", "prospecting", "2026-02-01"],
            ["d1", "proposal", "2026-03-01"],
            ["d1", "lost", "2026-05-01"],
        ],
        "cp1252",
    )
    fields = write_rows(
        tmp_path / "deal_field_history.csv",
        ["deal_id", "field", "old_value", "new_value", "changed_at"],
        [["d1", "close_date", "2026-04-01", "2026-05-01", "2026-03-15"]],
        "cp1252",
    )
    run(sessions, "csv", [accounts, deals, stages, fields])
    assert [r[1:3] for r in history(sessions)] == [
        (None, "prospecting"),
        ("prospecting", "proposal"),
        ("proposal", "closed_lost"),
    ]
    with sessions() as session:
        moved = session.execute(text("select field, old_value, new_value from deal_field_history"))
        assert [tuple(r) for r in moved] == [("close_date", "2026-04-01", "2026-05-01")]
