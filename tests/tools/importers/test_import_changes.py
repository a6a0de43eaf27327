"""Re-imports that change records write history; dry runs, stage maps and owners behave."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker
from support.import_helpers import LATER, counts, one, run, snapshot
from support.import_samples import set_cell, write_csv, write_samples

from tools.importers import ImportFailed
from tools.importers.stage_map import load_stage_map


def test_changed_export_updates_and_records_history(
    sessions: sessionmaker[Session], users: dict[str, int], tmp_path: Path
) -> None:
    paths = write_samples(tmp_path, "hubspot")
    run(sessions, "hubspot", paths)
    deals = tmp_path / "deals.csv"
    set_cell(deals, 2, "Deal Stage", "Closed Won")
    set_cell(deals, 2, "Amount", "130000")
    set_cell(deals, 2, "Close Date", "2026-12-01")
    set_cell(deals, 2, "Deal owner", "Rita Rep")
    report = run(sessions, "hubspot", paths, now=LATER, actor_email="ada@x.test")
    call = one(sessions, "select id from activities where subject = 'Pricing call'")
    assert report.written is not None
    assert report.written.activity_ids == [call.id]  # re-indexed: its deal changed hands
    assert report.summary()["deal"] == {"created": 0, "updated": 1, "unchanged": 3}
    deal = one(
        sessions, "select id, stage, amount, closed_at from deals where name = 'Acme – Platform'"
    )
    assert deal.stage == "closed_won" and deal.closed_at is not None
    moved = one(
        sessions,
        "select from_stage, to_stage from deal_stage_history where deal_id = :d "
        "order by id desc limit 1",
        d=deal.id,
    )
    assert (moved.from_stage, moved.to_stage) == ("negotiation", "closed_won")
    with sessions() as session:
        fields = session.execute(
            text(
                "select field, old_value, new_value, changed_by_id from deal_field_history "
                "where deal_id = :d order by field"
            ),
            {"d": deal.id},
        ).all()
    assert [tuple(f) for f in fields] == [
        ("amount", "120000.00", "130000.00", users["ada@x.test"]),
        ("close_date", "2026-12-15", "2026-12-01", users["ada@x.test"]),
    ]
    audit = counts(sessions)["audit_log"]
    assert audit == 2  # one per run that changed something
    before = snapshot(sessions)
    run(sessions, "hubspot", paths, now=LATER)
    assert snapshot(sessions) == before


def test_dry_run_reports_and_writes_nothing(
    sessions: sessionmaker[Session], users: dict[str, int], tmp_path: Path
) -> None:
    paths = write_samples(tmp_path, "csv")
    before = snapshot(sessions)
    report = run(sessions, "csv", paths, dry_run=True)
    assert snapshot(sessions) == before
    assert report.summary()["activity"] == {"created": 4, "updated": 0, "unchanged": 0}
    run(sessions, "csv", paths)
    set_cell(tmp_path / "deals.csv", 3, "amount", "50000")
    middle = snapshot(sessions)
    report = run(sessions, "csv", paths, dry_run=True)
    assert report.summary()["deal"] == {"created": 0, "updated": 1, "unchanged": 3}
    assert snapshot(sessions) == middle


def test_stage_map_file_overrides_the_defaults(
    sessions: sessionmaker[Session], users: dict[str, int], tmp_path: Path
) -> None:
    paths = write_samples(tmp_path, "hubspot")
    set_cell(tmp_path / "deals.csv", 3, "Deal Stage", "Security Review")  # a custom stage
    with pytest.raises(ImportFailed, match="Security Review"):
        run(sessions, "hubspot", paths)
    stage_map = tmp_path / "stages.json"
    stage_map.write_text(
        json.dumps({"Security Review": "negotiation", "Contract Sent": "proposal"})
    )
    run(sessions, "hubspot", paths, stage_map=stage_map)
    got = one(
        sessions,
        "select (select stage from deals where name like 'Globex%') as globex, "
        "(select stage from deals where name = 'Acme – Platform') as acme",
    )
    assert (got.globex, got.acme) == ("negotiation", "proposal")


def test_stage_map_csv_and_bad_target(tmp_path: Path) -> None:
    good = write_csv(
        tmp_path / "map.csv", [["hubspot stage", "salesbot stage"], ["Demo", "proposal"]]
    )
    assert load_stage_map(good) == {"Demo": "proposal"}
    bad = write_csv(tmp_path / "bad.csv", [["Demo", "maybe"]])
    with pytest.raises(ImportFailed, match="'maybe', which is not one of"):
        load_stage_map(bad)


def test_unknown_owner_is_a_row_error_or_goes_to_the_admin(
    sessions: sessionmaker[Session], users: dict[str, int], tmp_path: Path
) -> None:
    paths = write_samples(tmp_path, "hubspot")
    set_cell(tmp_path / "deals.csv", 5, "Deal owner", "Zed Nobody")
    with pytest.raises(ImportFailed, match=r"deals.csv, row 5: owner 'Zed Nobody' matches no"):
        run(sessions, "hubspot", paths)
    with pytest.raises(ImportFailed, match="is a rep"):
        run(sessions, "hubspot", paths, actor_email="rob@x.test")
    report = run(sessions, "hubspot", paths, actor_email="ada@x.test")
    assert report.warnings == {
        "deal rows with owner 'Zed Nobody' is not a salesbot user: assigned to ada@x.test": 1
    }
    owner = one(sessions, "select owner_id from deals where name = 'Acme – Add-on'").owner_id
    assert owner == users["ada@x.test"]
