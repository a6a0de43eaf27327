"""Bad input: named by file, row and reason, and nothing written unless --skip-bad-rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker
from support.import_helpers import counts, run, snapshot
from support.import_samples import read_csv, set_cell, write_csv, write_samples

from tools.importers import BadRows, ImportFailed, Source
from tools.importers.reader import NUL_PROBLEM, read_export


def _corrupt(tmp_path: Path) -> list[Path]:
    paths = write_samples(tmp_path, "csv")
    set_cell(tmp_path / "deals.csv", 3, "close_date", "someday")
    set_cell(tmp_path / "activities.csv", 4, "kind", "fax")
    table = read_csv(tmp_path / "contacts.csv")
    write_csv(tmp_path / "contacts.csv", [*table, ["C3", "A1", "Cut short"]])
    return paths


def test_a_corrupt_file_writes_nothing_and_names_file_row_reason(
    sessions: sessionmaker[Session], users: dict[str, int], tmp_path: Path
) -> None:
    paths = _corrupt(tmp_path)
    before = snapshot(sessions)
    with pytest.raises(BadRows) as caught:
        run(sessions, "csv", paths)
    assert snapshot(sessions) == before
    assert [str(p) for p in caught.value.problems] == [
        "activities.csv, row 4: kind 'fax' is not one of: email, call, meeting, note, "
        "linkedin, task",
        "contacts.csv, row 4: has 3 cells but the header has 5",
        "deals.csv, row 3: close_date: 'someday' is not a date (use YYYY-MM-DD or MM/DD/YYYY)",
    ]
    assert "nothing was imported" in str(caught.value)


def test_skip_bad_rows_imports_the_rest_and_reports_them(
    sessions: sessionmaker[Session], users: dict[str, int], tmp_path: Path
) -> None:
    report = run(sessions, "csv", _corrupt(tmp_path), skip_bad_rows=True)
    assert [(p.file, p.row) for p in report.skipped] == [
        ("activities.csv", 4),
        ("contacts.csv", 4),
        ("deals.csv", 3),
    ]
    got = counts(sessions)
    assert (got["deals"], got["activities"], got["contacts"]) == (3, 3, 2)
    # The call on the skipped deal is kept on its company, its deal link left empty.
    assert report.warnings == {
        "activity rows linked to a deal that is in neither this import nor the CRM "
        "(link left empty)": 1
    }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "does not exist"),
        ("", "is empty"),
        ("\n\n", "is empty"),
        ("deal_id,account_id,name,stage,close_date\n", "has a header but no data rows"),
        ("Record ID,Deal Name\n1,x\n", "does not look like a csv export"),
        ("PK\x03\x04", "is a spreadsheet"),
    ],
)
def test_unusable_files_are_refused_with_a_clear_message(
    tmp_path: Path, content: str | None, message: str
) -> None:
    # Refused before the database is opened, so no backend is needed.
    path = tmp_path / ("export.xlsx" if message == "is a spreadsheet" else "export.csv")
    if content is not None:
        path.write_text(content)
    with pytest.raises(ImportFailed, match=message):
        read_export(path, Source.CSV)


def test_duplicate_ids_and_missing_references_are_row_errors(
    sessions: sessionmaker[Session], users: dict[str, int], tmp_path: Path
) -> None:
    paths = write_samples(tmp_path, "csv")
    accounts = read_csv(tmp_path / "accounts.csv")
    write_csv(tmp_path / "accounts.csv", [*accounts, ["A1", "Acme again", "", "", ""]])
    set_cell(tmp_path / "contacts.csv", 3, "account_id", "A9")
    with pytest.raises(BadRows) as caught:
        run(sessions, "csv", paths)
    assert [str(p) for p in caught.value.problems] == [
        "accounts.csv, row 5: id 'A1' already appears in accounts.csv, row 2",
        "contacts.csv, row 3: company 'A9' is in neither this import nor the CRM",
    ]
    assert counts(sessions)["accounts"] == 0


def test_semicolon_files_and_a_byte_order_mark_are_read(
    sessions: sessionmaker[Session], users: dict[str, int], tmp_path: Path
) -> None:
    path = tmp_path / "accounts.csv"
    write_csv(path, [["account_id", "name", "owner_email"], ["A1", "Acme", "rob@x.test"]], ";")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert run(sessions, "csv", [path]).summary()["account"]["created"] == 1


def test_a_nul_character_is_a_row_error_naming_file_row_and_column(
    sessions: sessionmaker[Session], users: dict[str, int], tmp_path: Path
) -> None:
    # PostgreSQL text cannot hold NUL: on either backend it is refused the same way, up front.
    paths = write_samples(tmp_path, "csv")
    set_cell(tmp_path / "deals.csv", 2, "name", "Acme\x00Platform")
    set_cell(tmp_path / "activities.csv", 3, "body", "Sent the deck\x00")
    before = snapshot(sessions)
    with pytest.raises(BadRows) as caught:
        run(sessions, "csv", paths)
    assert snapshot(sessions) == before
    assert [str(p) for p in caught.value.problems] == [
        f"activities.csv, row 3: body: {NUL_PROBLEM}",
        f"deals.csv, row 2: name: {NUL_PROBLEM}",
    ]
    report = run(sessions, "csv", paths, skip_bad_rows=True)
    assert [(p.file, p.row) for p in report.skipped] == [("activities.csv", 3), ("deals.csv", 2)]
    assert counts(sessions)["deals"] == 3
