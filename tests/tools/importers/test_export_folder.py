"""`salesbot import salesforce DIR`: a Data Export folder as it comes, on both backends."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker
from support.export_folder import write_export_folder
from support.import_helpers import run, snapshot
from typer.testing import CliRunner

from bot.cli.app import app
from tools.importers import BadRows


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return write_export_folder(tmp_path / "WE_00D5e000000abcd_1")


def rows(sessions: sessionmaker[Session], sql: str) -> list[tuple[object, ...]]:
    from sqlalchemy import text

    with sessions() as session:
        return [tuple(r) for r in session.execute(text(sql))]


def test_missing_owner_is_named_once(sessions: sessionmaker[Session], folder: Path) -> None:
    with pytest.raises(BadRows) as caught:
        run(sessions, "salesforce", [folder])
    message = str(caught.value)
    assert message.count("0055e000001ZZZZ") == 2  # the sentence naming it, one grouped example
    assert "1 record owner(s) are not salesbot users: 0055e000001ZZZZ (1 rows)" in message
    assert "salesbot users import User.csv" in message


def test_folder_imports_as_it_comes(
    sessions: sessionmaker[Session], folder: Path, tmp_path: Path
) -> None:
    dry = run(sessions, "salesforce", [folder], skip_bad_rows=True, dry_run=True)
    assert dry.summary()["deal"]["created"] == 4  # the folder's people found the owners
    assert rows(sessions, "select count(*) from users") == [(0,)]  # and nothing was written
    assert rows(sessions, "select count(*) from currency_rates") == [(0,)]
    errors = tmp_path / "errors.csv"
    report = run(sessions, "salesforce", [folder], skip_bad_rows=True, errors_out=errors)
    kinds = dict(report.plan.kinds)
    assert kinds["User.csv"] == "User" and kinds["Opportunity.csv"] == "Opportunity"
    assert kinds["OpportunityHistory.csv"] == "OpportunityHistory"
    assert sorted(n for n, _ in report.plan.skipped) == ["Campaign.csv", "Lead.csv", "README.txt"]
    assert report.users is not None and report.users[1].summary().startswith("3 added")
    assert list(report.users[0].duplicates) == ["jose@acme.test"]
    assert rows(sessions, "select count(*) from currency_rates") == [(4,)]
    assert report.summary()["deal"]["created"] == 4
    with errors.open(encoding="utf-8") as f:
        assert [r["row"] for r in csv.DictReader(f)] == ["6"]
    history = rows(
        sessions,
        "select d.external_id, h.from_stage, h.to_stage, h.changed_at from deal_stage_history h "
        "join deals d on d.id = h.deal_id order by d.external_id, h.changed_at",
    )
    assert [(e, f, t, str(c)[:10]) for e, f, t, c in history] == [
        ("salesforce:0065e01", None, "prospecting", "2017-01-10"),
        ("salesforce:0065e01", "prospecting", "proposal", "2017-02-01"),
        ("salesforce:0065e01", "proposal", "closed_won", "2017-03-15"),
        ("salesforce:0065e02", None, "prospecting", "2017-02-01"),
        ("salesforce:0065e02", "prospecting", "negotiation", "2017-03-01"),
        ("salesforce:0065e02", "negotiation", "closed_lost", "2017-04-01"),
        ("salesforce:0065e04", None, "prospecting", "2017-03-01"),  # implied: open since created
    ]
    assert rows(sessions, "select field, old_value, new_value from deal_field_history") == [
        ("amount", "3500000.00", "3900000.00")
    ]
    assert rows(sessions, "select name from deals where created_at is null") == [
        ("Cementos - Fase 2",)
    ]
    owners = rows(
        sessions,
        "select d.external_id, u.email from deals d join users u on u.id = d.owner_id "
        "order by d.external_id",
    )
    assert owners[-1] == ("salesforce:0065e04", "jose@acme.test")  # via the duplicate's id
    before = snapshot(sessions)
    again = run(sessions, "salesforce", [folder], skip_bad_rows=True)
    assert again.changed == 0 and again.history.deals_rewritten == 0
    assert snapshot(sessions) == before


def test_cli_lists_skipped_files_and_groups_errors(
    db_url: str, sessions: sessionmaker[Session], folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(folder.parent)
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("COLUMNS", "200")
    result = CliRunner().invoke(
        app, ["import", "salesforce", str(folder), "--skip-bad-rows", "--no-index"]
    )
    assert result.exit_code == 0, result.output
    out = " ".join(result.stdout.split())
    assert "Skipped 3 file(s) salesbot does not read" in out and "Campaign.csv" in out
    assert "1 email(s) were shared" in out
    assert "Exchange rates, CurrencyType.csv" in out
    assert "Wrote the history of 2 deal(s)" in out
    assert "1 row(s): owner … matches no salesbot user" in out
