"""`salesbot ask` proposing changes (applied only with --yes), `salesbot undo` and `audit`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker
from support.write_helpers import build_write_fixture, count
from typer.testing import CliRunner, Result

from bot.cli.app import app
from tools.models import Deal, PendingWrite


@pytest.fixture
def cli_crm(
    db_url: str, sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> sessionmaker[Session]:
    with sessions.begin() as session:
        build_write_fixture(session)
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("CHROMA_PATH", str(tmp_path / "chroma"))
    monkeypatch.setenv("COLUMNS", "200")
    return sessions


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def flat(output: str) -> str:
    return " ".join(output.split())


def stage(sessions: sessionmaker[Session], deal_id: int) -> str:
    with sessions() as session:
        deal = session.get(Deal, deal_id)
        assert deal is not None
        return str(deal.stage)


def test_ask_proposes_and_only_yes_applies(cli_crm: sessionmaker[Session]) -> None:
    asked = run("ask", "--as", "rita@x.test", "move Globex to negotiation")
    assert asked.exit_code == 3, asked.output  # a proposal left unsaved
    out = flat(asked.output)
    assert "Qualification → Negotiation" in out and "Not saved" in out and "--yes" in out
    assert stage(cli_crm, 4) == "qualification"
    saved = run("ask", "--as", "rita@x.test", "move Globex to negotiation", "--yes")
    assert saved.exit_code == 0, saved.output
    assert "Applied." in flat(saved.output) and stage(cli_crm, 4) == "negotiation"
    write_id = flat(saved.output).split("salesbot undo ")[1].split()[0]
    audit = run("audit", "--entity", "deal")
    assert audit.exit_code == 0 and "deal.update" in audit.output and "rita@x.test" in audit.output
    undone = run("undo", write_id, "--as", "rita@x.test")
    assert undone.exit_code == 0, undone.output
    assert stage(cli_crm, 4) == "qualification"
    rows = json.loads(run("audit", "--as-json", "--limit", "5").output)
    assert [r["action"] for r in rows] == ["deal.update.undo", "deal.update"]
    assert rows[1]["surface"] == "cli" and rows[1]["after"] == {"stage": "negotiation"}
    again = run("undo", write_id, "--as", "rita@x.test")
    assert again.exit_code == 1 and "closed" in again.output


def test_a_rep_cannot_change_another_reps_deal_from_the_cli(
    cli_crm: sessionmaker[Session],
) -> None:
    result = run("ask", "--as", "rob@x.test", "move Globex to negotiation", "--yes", "--json")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert [a["type"] for a in answer["artifacts"]] == ["not_found"] and answer["writes"] == []
    assert stage(cli_crm, 4) == "qualification" and count(cli_crm, PendingWrite) == 0
    task = run("ask", "--as", "rob@x.test", "remind me to send the contract Friday", "--json")
    assert json.loads(task.output)["writes"][0]["outcome"] == "not_applied"
