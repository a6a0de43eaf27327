"""Onboarding from the CLI: users add|set|deactivate|activate|import|link-slack, quotas, and
`deals reassign`, on SQLite and PostgreSQL; every figure checked with raw SQL."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker
from support.fakes.slack_api import FakeSlackServer
from support.team_files import (
    write_generic_users,
    write_hubspot_users,
    write_rows,
    write_salesforce_users,
)
from typer.testing import CliRunner, Result

from bot.cli.app import app
from tools.principal import get_principal_by_email


@pytest.fixture
def cli(
    db_url: str, sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("CHROMA_PATH", str(tmp_path / "chroma"))
    monkeypatch.setenv("COLUMNS", "200")
    return tmp_path


def salesbot(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


def ok(*args: str | Path) -> str:
    result = salesbot(*args)
    assert result.exit_code == 0, result.output
    return result.stdout


def refused(*args: str | Path) -> str:
    result = salesbot(*args)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return " ".join(result.stderr.split())


def rows(sessions: sessionmaker[Session], sql: str, **params: Any) -> list[tuple[Any, ...]]:
    with sessions() as session:
        return [tuple(r) for r in session.execute(text(sql), params)]


def test_a_plain_insert_gets_the_schema_defaults(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        session.execute(
            text("insert into users (email, email_key, name) values ('a@b.c', 'a@b.c', 'A')")
        )
    assert rows(sessions, "select role, timezone, active from users") == [("rep", "UTC", True)]


def test_add_set_deactivate_reassign(cli: Path, sessions: sessionmaker[Session]) -> None:
    ok(
        "users",
        "add",
        "boss@t.test",
        "--name",
        "Bo Boss",
        "--role",
        "manager",
        "--timezone",
        "Europe/Paris",
    )
    assert "Added Ray Rep" in ok(
        "users", "add", "ray@t.test", "--name", "Ray Rep", "--manager", "boss@t.test"
    )
    ok("users", "add", "sue@t.test", "--name", "Sue Rep", "--manager", "boss@t.test")
    assert "already a salesbot user" in refused("users", "add", "RAY@t.test")
    assert "not an IANA zone" in refused("users", "add", "x@t.test", "--timezone", "Mars/Base")
    assert "not one of rep, manager, admin" in refused(
        "users", "set", "ray@t.test", "--role", "boss"
    )
    assert "cannot manage them" in refused("users", "set", "boss@t.test", "--manager", "ray@t.test")
    ok("users", "set", "ray@t.test", "--timezone", "America/Chicago")
    assert rows(sessions, "select email, role, timezone from users order by id") == [
        ("boss@t.test", "manager", "Europe/Paris"),
        ("ray@t.test", "rep", "America/Chicago"),
        ("sue@t.test", "rep", "UTC"),
    ]
    listed = ok("users")
    assert "Ray Rep" in listed and "Bo Boss" in listed and "deactivated" not in listed
    _give_ray_two_deals(sessions)
    ok("users", "deactivate", "ray@t.test")
    assert "deactivated" in ok("users")
    with sessions() as session:
        boss = get_principal_by_email(session, "boss@t.test")
        ray_id = rows(sessions, "select id from users where email = 'ray@t.test'")[0][0]
        assert boss.can_see_owner(ray_id)  # the book stays visible to the manager
    assert "deactivated" in refused("ask", "my pipeline", "--as", "ray@t.test")
    assert "is deactivated" in refused(
        "deals", "reassign", "--from", "boss@t.test", "--to", "ray@t.test"
    )
    moved = ok("deals", "reassign", "--from", "ray@t.test", "--to", "sue@t.test", "--no-index")
    assert "Moved 1 deal(s)" in moved  # the won deal stays with Ray
    owners = "select d.name, u.email from deals d join users u on u.id = d.owner_id order by d.id"
    assert rows(sessions, owners) == [("Open one", "sue@t.test"), ("Won one", "ray@t.test")]
    audit = rows(sessions, "select action, entity from audit_log order by id")
    assert ("deal.reassign", "deal") in audit and ("user.deactivate", "user") in audit
    assert audit.count(("user.add", "user")) == 3
    ok("users", "activate", "ray@t.test")
    assert rows(sessions, "select active from users where email = 'ray@t.test'") == [(True,)]


def _give_ray_two_deals(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        ray = session.execute(text("select id from users where email = 'ray@t.test'")).scalar()
        session.execute(
            text(
                "insert into accounts (id, name, owner_id, created_at) "
                "values (1, 'Acme', :r, '2026-01-01')"
            ),
            {"r": ray},
        )
        for did, name, stage in ((1, "Open one", "proposal"), (2, "Won one", "closed_won")):
            session.execute(
                text(
                    "insert into deals (id, name, account_id, owner_id, stage, amount, currency,"
                    " close_date, created_at) values (:i, :n, 1, :r, :s, 100, 'USD', "
                    "'2026-12-01', '2026-01-01')"
                ),
                {"i": did, "n": name, "r": ray, "s": stage},
            )


def test_import_salesforce_users_latin1_with_shared_email(
    cli: Path, sessions: sessionmaker[Session]
) -> None:
    path = write_salesforce_users(cli / "export")
    out = " ".join(ok("users", "import", path).split())
    assert "Imported 3 people" in out and "3 added" in out
    assert "1 email(s) were shared" in out and "jose@acme.test" in out
    assert "AutomatedProcess user" in out
    assert rows(
        sessions,
        "select u.name, u.role, u.timezone, u.active, m.email from users u "
        "left join users m on m.id = u.manager_id order by u.email",
    ) == [
        ("José Peña", "rep", "America/Bogota", True, "sofia@acme.test"),
        ("Sofía Núñez", "manager", "America/Mexico_City", True, None),
        ("Zoë Brontë", "rep", "America/Lima", True, "sofia@acme.test"),
    ]
    again = " ".join(ok("users", "import", path).split())
    assert "0 added, 0 updated, 3 unchanged" in again


def test_import_hubspot_users_and_teams(cli: Path, sessions: sessionmaker[Session]) -> None:
    out = " ".join(ok("users", "import", *write_hubspot_users(cli / "hs")).split())
    assert "4 added" in out
    assert rows(
        sessions,
        "select u.email, u.role, m.email from users u left join users m "
        "on m.id = u.manager_id order by u.email",
    ) == [
        ("lena@hub.test", "manager", None),
        ("omar@hub.test", "rep", "lena@hub.test"),  # Sales East has no manager: its parent's
        ("pia@hub.test", "rep", "lena@hub.test"),
        ("quinn@hub.test", "admin", None),
    ]


def test_import_generic_users_reports_bad_rows(cli: Path, sessions: sessionmaker[Session]) -> None:
    out = " ".join(ok("users", "import", write_generic_users(cli)).split())
    assert "2 added" in out and "'bad-email' is not an email address" in out
    assert rows(sessions, "select count(*) from users where manager_id is not null") == [(1,)]
    assert "not a users file" in refused(
        "users", "import", write_rows(cli / "x.csv", ["a"], [["b"]], "utf-8")
    )


def test_link_slack_by_email(
    cli: Path, sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    ok("users", "add", "rob@x.test")
    ok("users", "add", "rita@x.test")
    ok("users", "add", "nobody@x.test")
    users = {f"U{i:03d}": {"email": f"filler{i}@x.test"} for i in range(250)}  # two pages
    users |= {
        "UROB": {"email": "rob@x.test"},
        "URITA": {"email": "RITA@x.test"},
        "UBOT": {"name": "bot", "is_bot": True},
    }
    with FakeSlackServer(users=users) as slack:
        monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
        monkeypatch.setenv("SLACK_API_URL", slack.url)
        out = " ".join(ok("users", "link-slack").split())
    assert "Linked 2 user(s)" in out and "252 workspace member(s)" in out and "nobody@x.test" in out
    assert rows(sessions, "select email, slack_user_id from users order by email") == [
        ("nobody@x.test", None),
        ("rita@x.test", "URITA"),
        ("rob@x.test", "UROB"),
    ]


def test_quotas_set_and_import(cli: Path, sessions: sessionmaker[Session]) -> None:
    ok("users", "add", "ray@t.test")
    ok("users", "add", "sue@t.test")
    assert "Q1 2026" in ok("quotas", "set", "ray@t.test", "120,000", "--period", "2026-Q1")
    assert "Unchanged" in ok("quotas", "set", "ray@t.test", "120000", "--period", "Q1 2026")
    path = write_rows(
        cli / "quotas.csv",
        ["Email", "Period", "Quota"],
        [["ray@t.test", "2026-Q2", "$130,000"], ["sue@t.test", "2026-04", "40000"]],
        "cp1252",
    )
    assert "Quotas: 2 set, 0 unchanged" in ok("quotas", "import", path)
    got = rows(
        sessions,
        "select u.email, q.period_start, q.period_end, q.amount from quotas q "
        "join users u on u.id = q.user_id order by q.period_start, u.email",
    )
    assert [(e, str(s), str(f), Decimal(str(a))) for e, s, f, a in got] == [
        ("ray@t.test", "2026-01-01", "2026-03-31", 120000),
        ("ray@t.test", "2026-04-01", "2026-06-30", 130000),
        ("sue@t.test", "2026-04-01", "2026-04-30", 40000),
    ]
    bad = write_rows(
        cli / "bad.csv", ["email", "period", "amount"], [["ghost@t.test", "2026-Q3", "1"]], "utf-8"
    )
    assert "no quota was saved" in refused("quotas", "import", bad)
