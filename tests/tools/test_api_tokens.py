"""The token store (tools/api_tokens.py) on SQLite and PostgreSQL: hashed, expiring, revocable,
audited, and only ever the owner's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from support.crm_fixture import NOW

from tools.api_tokens import (
    TokenRefusedError,
    create_token,
    hash_token,
    list_tokens,
    principal_for_token,
    revoke_token,
    token_status,
)
from tools.audit import list_audit
from tools.models import ApiToken
from tools.principal import get_principal_by_email


def _new(crm: sessionmaker[Session], email: str = "rob@x.test", days: int = 30) -> str:
    with crm.begin() as session:
        principal = get_principal_by_email(session, email)
        return create_token(session, principal, name="laptop", days=days, now=NOW).secret


def test_only_a_hash_and_the_prefix_are_stored(crm: sessionmaker[Session]) -> None:
    secret = _new(crm)
    with crm() as session:
        row = session.scalars(select(ApiToken)).one()
        stored = " ".join(str(v) for v in vars(row).values())
    assert secret not in stored and row.token_hash == hash_token(secret)
    assert len(row.token_hash) == 64 and secret.startswith(row.prefix)


def test_a_token_acts_as_its_user_and_records_its_use(crm: sessionmaker[Session]) -> None:
    secret = _new(crm, "mia@x.test")
    with crm.begin() as session:
        principal = principal_for_token(session, secret, now=NOW + timedelta(hours=1))
    assert principal.email == "mia@x.test" and principal.visible_owner_ids == {2, 3, 4}
    with crm() as session:
        used = session.scalars(select(ApiToken.last_used_at)).one()
    assert used is not None


def test_revoked_expired_and_forged_tokens_are_refused_with_the_reason(
    crm: sessionmaker[Session],
) -> None:
    revoked, expiring = _new(crm), _new(crm, days=1)
    with crm.begin() as session:
        rob = get_principal_by_email(session, "rob@x.test")
        assert revoke_token(session, rob, revoked[:12], now=NOW)
    later = NOW + timedelta(days=2)
    cases = {revoked: "was revoked", expiring: "expired on", "sbt_forged": "not valid"}
    for secret, reason in cases.items():
        with crm.begin() as session, pytest.raises(TokenRefusedError, match=reason):
            principal_for_token(session, secret, now=later)
    with crm() as session:
        statuses = sorted(token_status(t, later) for t in list_tokens(session, rob))
    assert statuses == ["expired", "revoked"]


def test_nobody_revokes_or_lists_another_users_token(crm: sessionmaker[Session]) -> None:
    secret = _new(crm, "rob@x.test")
    with crm.begin() as session:
        otto = get_principal_by_email(session, "otto@x.test")
        assert not revoke_token(session, otto, secret[:12], now=NOW)
        assert list_tokens(session, otto) == []
        assert principal_for_token(session, secret, now=NOW).email == "rob@x.test"


def test_creating_and_revoking_are_audited_without_the_secret(crm: sessionmaker[Session]) -> None:
    secret = _new(crm)
    with crm.begin() as session:
        rob = get_principal_by_email(session, "rob@x.test")
        revoke_token(session, rob, secret[:12], now=NOW)
    with crm() as session:
        rows = list_audit(session, entity="api_token")
    assert sorted(r["action"] for r in rows) == ["token_created", "token_revoked"]
    assert secret not in str(rows) and hash_token(secret) not in str(rows)


def test_a_token_lasts_one_to_366_days(crm: sessionmaker[Session]) -> None:
    with crm.begin() as session:
        rob = get_principal_by_email(session, "rob@x.test")
        with pytest.raises(ValueError, match="1 to 366 days"):
            create_token(session, rob, name="x", days=0, now=NOW)
