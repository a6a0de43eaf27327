"""Identity by email is exact: one normalization (ASCII case, ASCII spaces), compared with `=`.

On both backends, because PostgreSQL's ILIKE and lower() fold Unicode look-alikes onto ASCII and
treat `%` and `_` as wildcards, which is how "%@x.test" used to become the admin.
"""

from __future__ import annotations

import re

import pytest
from alembic import command
from sqlalchemy import Engine, insert, inspect, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from support.crm_fixture import build_fixture

from tools.db import alembic_config, session_factory
from tools.emails import normalize_email
from tools.models import User
from tools.principal import UnknownUserError, get_principal_by_email


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("Rob@X.Test", "rob@x.test"),
        (" \trob@x.test\n", "rob@x.test"),
        ("%@x.test", "%@x.test"),
        ("adm\u0130n@x.test", "adm\u0130n@x.test"),  # Turkish İ: not "i", not "i̇"
        ("\u212aate@x.test", "\u212aate@x.test"),  # the Kelvin sign stays itself
        ("\uff21da@x.test", "\uff21da@x.test"),  # full-width A
        ("ada@x.test\u00a0", "ada@x.test\u00a0"),  # only ASCII spaces are trimmed
        ("ÉLODIE@X.TEST", "Élodie@x.test"),  # non-ASCII letters keep their case
    ],
)
def test_normalize_email_lowers_ascii_only(raw: str, key: str) -> None:
    assert normalize_email(raw) == key


@pytest.fixture
def crm(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    with sessions.begin() as session:
        build_fixture(session)
        session.add(User(id=20, name="Kate", email="kate@x.test"))
    return sessions


@pytest.mark.parametrize("email", ["ada@x.test", "ADA@X.TEST", "  Ada@x.Test  "])
def test_the_same_address_in_any_ascii_case_is_found(
    crm: sessionmaker[Session], email: str
) -> None:
    with crm() as session:
        assert get_principal_by_email(session, email).user_id == 1


@pytest.mark.parametrize(
    "email",
    ["%", "%@x.test", "a_a@x.test", "___@x.test", "ad%", "\u212aate@x.test", "\u0130da@x.test"],
)
def test_patterns_and_lookalikes_name_nobody(crm: sessionmaker[Session], email: str) -> None:
    with crm() as session, pytest.raises(UnknownUserError):
        get_principal_by_email(session, email)


def test_every_way_of_adding_a_user_stores_its_key(crm: sessionmaker[Session]) -> None:
    with crm.begin() as session:
        # Core/bulk inserts (the demo seed) as well as the ORM.
        session.execute(insert(User), [{"id": 30, "name": "Bulk", "email": "Bulk.One@X.test"}])
        session.add(User(id=31, name="Orm", email=" Orm@X.TEST"))
    with crm.begin() as session:
        keys = dict(session.execute(select(User.name, User.email_key)).tuples().all())
        assert keys["Bulk"] == "bulk.one@x.test" and keys["Orm"] == "orm@x.test"
        rob = session.get(User, 3)
        assert rob is not None
        rob.email = "Robert@X.test"  # a changed email moves the key with it
    with crm() as session:
        assert get_principal_by_email(session, "robert@x.test").user_id == 3
        with pytest.raises(UnknownUserError):
            get_principal_by_email(session, "rob@x.test")


def test_two_users_cannot_share_an_address_in_different_case(crm: sessionmaker[Session]) -> None:
    with pytest.raises(IntegrityError), crm.begin() as session:
        session.add(User(id=32, name="Rob Again", email="ROB@x.test"))


def migrate_to_0006_with(engine: Engine, emails: list[str]) -> None:
    """The schema as it was before 0007, holding users (one linked, as ILIKE left it)."""
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        # Not an ORM table: the full-text index of migration 0020 (a virtual table on SQLite).
        conn.execute(text("DROP TABLE IF EXISTS activities_fts"))
        for table in reversed(User.metadata.sorted_tables):
            conn.execute(text(f"DROP TABLE IF EXISTS {table.name}"))
    command.upgrade(alembic_config(engine), "0006")
    with engine.begin() as conn:
        for i, email in enumerate(emails, start=1):
            conn.execute(
                text(
                    "INSERT INTO users (id, email, name, role, timezone, slack_user_id) "
                    "VALUES (:i, :e, :n, 'rep', 'UTC', :s)"
                ),
                {"i": i, "e": email, "n": f"user {i}", "s": f"U{i}" if i == 1 else None},
            )


def test_migration_0007_fills_keys_in_python_and_distrusts_old_links(engine: Engine) -> None:
    emails = ["Ada@X.test", "\u212aate@x.test", "kate@x.test", "adm\u0130n@x.test"]
    migrate_to_0006_with(engine, emails)
    command.upgrade(alembic_config(engine), "head")
    with session_factory(engine)() as session:
        rows = session.execute(select(User.email, User.email_key).order_by(User.id)).all()
        assert [key for _, key in rows] == [normalize_email(e) for e in emails]
        # Kelvin-sign Kate and ASCII Kate stayed two people (SQL lower() would have merged them).
        assert rows[1].email_key != rows[2].email_key
        ada = session.get(User, 1)
        assert ada is not None and ada.slack_user_id == "U1" and ada.slack_verified_at is None


def test_migration_0007_refuses_users_one_case_apart(engine: Engine) -> None:
    migrate_to_0006_with(engine, ["rob@x.test", "ROB@x.test"])
    with pytest.raises(
        RuntimeError, match=re.escape("differ only in upper/lower case: rob@x.test / ROB")
    ):
        command.upgrade(alembic_config(engine), "head")


def test_migration_0007_downgrades_and_upgrades_again(crm: sessionmaker[Session]) -> None:
    engine = crm.kw["bind"]
    command.downgrade(alembic_config(engine), "0006")
    with engine.connect() as conn:
        assert "email_key" not in {c["name"] for c in inspect(engine).get_columns("users")}
        assert conn.execute(text("select count(*) from users")).scalar() == 7
    command.upgrade(alembic_config(engine), "head")
    with crm() as session:
        assert get_principal_by_email(session, "KATE@x.test").user_id == 20
