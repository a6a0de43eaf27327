"""`salesbot tokens create|list|revoke --as EMAIL` and `salesbot confirm` of a proposal made
elsewhere (over MCP)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker
from support.crm_fixture import build_fixture
from typer.testing import CliRunner, Result

from bot.cli.app import app
from tools.context import ToolContext
from tools.crm_tools import make_tools
from tools.models import Deal
from tools.principal import get_principal_by_email


@pytest.fixture
def cli_crm(
    db_url: str, sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> sessionmaker[Session]:
    with sessions.begin() as session:
        build_fixture(session)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("CHROMA_PATH", str(tmp_path / "chroma"))
    monkeypatch.setenv("COLUMNS", "200")
    return sessions


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def test_create_list_and_revoke_a_token(cli_crm: sessionmaker[Session]) -> None:
    created = run("tokens", "create", "--as", "rob@x.test", "--name", "laptop", "--days", "7")
    assert created.exit_code == 0, created.output
    secret = next(w for w in created.output.split() if w.startswith("sbt_") and len(w) > 30)
    listed = run("tokens", "list", "--as", "rob@x.test")
    assert secret[:12] in listed.output and "active" in listed.output
    assert secret not in listed.output
    assert run("tokens", "list", "--as", "otto@x.test").output.count("sbt_") == 0
    refused = run("tokens", "revoke", secret[:12], "--as", "otto@x.test")
    assert refused.exit_code == 1 and "no active token" in refused.output
    revoked = run("tokens", "revoke", secret[:12], "--as", "rob@x.test")
    assert revoked.exit_code == 0 and "Revoked" in revoked.output
    assert "revoked" in run("tokens", "list", "--as", "rob@x.test").output


def test_bad_days_and_unknown_users_are_one_line_errors(cli_crm: sessionmaker[Session]) -> None:
    bad = run("tokens", "create", "--as", "rob@x.test", "--days", "999")
    assert bad.exit_code == 1 and "1 to 366 days" in bad.output and "Traceback" not in bad.output
    nobody = run("tokens", "create", "--as", "nobody@x.test")
    assert nobody.exit_code == 1 and "No salesbot user" in nobody.output


def test_confirm_saves_a_pending_proposal_only_for_its_proposer(
    cli_crm: sessionmaker[Session],
) -> None:
    with cli_crm() as session:
        rob = get_principal_by_email(session, "rob@x.test")
    tools = {t.name: t for t in make_tools(ToolContext(rob, cli_crm))}
    message = tools["update_deal"].invoke(
        {
            "type": "tool_call",
            "id": "1",
            "name": "update_deal",
            "args": {"deal": "Acme Corp – Platform Expansion", "amount": 130000},
        }
    )
    write_id = str(message.artifact["id"])
    other = run("confirm", write_id, "--as", "mia@x.test")
    assert other.exit_code == 1
    saved = run("confirm", write_id, "--as", "rob@x.test")
    assert saved.exit_code == 0, saved.output
    with cli_crm() as session:
        deal = session.get(Deal, 1)
        assert deal is not None and int(deal.amount) == 130000
