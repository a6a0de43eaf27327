"""References that contradict each other are row errors naming file, row and both references.

An interaction filed under a company its own deal is not at would show up in the wrong book (a
rep of that company would see notes about someone else's deal), so it is never guessed at.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker
from support.import_helpers import counts, run, snapshot
from support.import_samples import read_csv, set_cell, write_csv, write_samples

from tools.importers import BadRows


def _problems(sessions: sessionmaker[Session], source: str, paths: list[Path]) -> list[str]:
    before = snapshot(sessions)
    with pytest.raises(BadRows) as caught:
        run(sessions, source, paths)
    assert snapshot(sessions) == before  # nothing written
    return [str(p) for p in caught.value.problems]


def test_an_activitys_company_must_be_its_deals(
    sessions: sessionmaker[Session], users: dict[str, int], tmp_path: Path
) -> None:
    paths = write_samples(tmp_path, "csv")
    set_cell(tmp_path / "activities.csv", 2, "account_id", "A2")  # E1 is on D1, at A1
    assert _problems(sessions, "csv", paths) == [
        "activities.csv, row 2: company 'A2' is not the company of deal 'D1' "
        "(that deal is at company 'A1')"
    ]


def test_an_activitys_contact_must_be_at_its_deals_company(
    sessions: sessionmaker[Session], users: dict[str, int], tmp_path: Path
) -> None:
    paths = write_samples(tmp_path, "csv")
    set_cell(tmp_path / "activities.csv", 3, "contact_id", "C1")  # E2 is on D2 at A2; C1 at A1
    assert _problems(sessions, "csv", paths) == [
        "activities.csv, row 3: contact 'C1' is at company 'A1' but deal 'D2' is at company 'A2'"
    ]


def test_skip_bad_rows_leaves_out_only_the_contradicting_row(
    sessions: sessionmaker[Session], users: dict[str, int], tmp_path: Path
) -> None:
    paths = write_samples(tmp_path, "csv")
    set_cell(tmp_path / "activities.csv", 2, "account_id", "A2")
    report = run(sessions, "csv", paths, skip_bad_rows=True)
    assert [(p.file, p.row) for p in report.skipped] == [("activities.csv", 2)]
    assert counts(sessions)["activities"] == 3


def test_a_hubspot_to_do_must_be_at_its_deals_company(
    sessions: sessionmaker[Session], users: dict[str, int], tmp_path: Path
) -> None:
    paths = write_samples(tmp_path, "hubspot")
    set_cell(tmp_path / "activities.csv", 6, "Associated Company IDs", "102")  # task on 301
    assert _problems(sessions, "hubspot", paths) == [
        "activities.csv, row 6: company '102' is not the company of deal '301' "
        "(that deal is at company '101')"
    ]


def test_salesforce_account_what_and_who_must_agree(
    sessions: sessionmaker[Session], users: dict[str, int], tmp_path: Path
) -> None:
    paths = write_samples(tmp_path, "salesforce")
    task = tmp_path / "Task.csv"
    set_cell(task, 2, "AccountId", "001A00000000002AAA")  # a call on Acme's opportunity
    set_cell(task, 3, "WhoId", "003A00000000001AAA")  # Jane (Acme) on Globex's opportunity
    set_cell(task, 4, "AccountId", "001A00000000003AAA")  # a to-do on Acme's opportunity
    assert _problems(sessions, "salesforce", paths) == [
        "Task.csv, row 2: company '001A00000000002AAA' is not the company of deal "
        "'006A00000000001AAA' (that deal is at company '001A00000000001AAA')",
        "Task.csv, row 3: contact '003A00000000001AAA' is at company '001A00000000001AAA' but "
        "deal '006A00000000002AAA' is at company '001A00000000002AAA'",
        "Task.csv, row 4: company '001A00000000003AAA' is not the company of deal "
        "'006A00000000001AAA' (that deal is at company '001A00000000001AAA')",
    ]


def test_a_deal_already_in_the_crm_is_checked_too(
    sessions: sessionmaker[Session], users: dict[str, int], tmp_path: Path
) -> None:
    run(sessions, "csv", write_samples(tmp_path, "csv"))
    later = tmp_path / "later" / "activities.csv"
    later.parent.mkdir()
    table = read_csv(tmp_path / "activities.csv")
    write_csv(
        later, [table[0], ["E9", "A2", "D1", "", "rob@x.test", "note", "2026-11-25", "x", ""]]
    )
    assert _problems(sessions, "csv", [later]) == [
        "activities.csv, row 2: company 'A2' is not the company of deal 'D1' "
        "(that deal is at company 'A1')"
    ]
    write_csv(
        later, [table[0], ["E9", "A1", "D1", "", "rob@x.test", "note", "2026-11-25", "x", ""]]
    )
    assert run(sessions, "csv", [later]).summary()["activity"]["created"] == 1
