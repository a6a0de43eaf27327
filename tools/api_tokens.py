"""Personal API tokens (table `api_tokens`): created, checked, listed and revoked here only.

A token is `sbt_` and 40 random URL-safe characters, shown once when created. Only its SHA-256
is stored, so a copy of the database gives no usable token; the first 12 characters (`prefix`)
are kept in clear so the owner can tell tokens apart and revoke one. Creating and revoking are
written to the audit log; each use moves `last_used_at` (at most once a minute).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from tools.audit import write_audit
from tools.models import ApiToken, AuditSurface, User
from tools.principal import Principal, principal_for_user
from tools.writes.artifact import aware

TOKEN_MARK = "sbt_"
PREFIX_CHARS = 12
MAX_DAYS = 366
DEFAULT_DAYS = 90
LAST_USED_STEP = timedelta(minutes=1)


class TokenRefusedError(PermissionError):
    """The token cannot be used; the message says why, in words for the caller."""


@dataclass(frozen=True, slots=True)
class NewToken:
    """A token just created: `secret` exists only here, never in the database."""

    id: int
    prefix: str
    secret: str
    expires_at: datetime


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.strip().encode()).hexdigest()


def create_token(
    session: Session, principal: Principal, *, name: str, days: int, now: datetime
) -> NewToken:
    """Store a new token for the principal, expiring in `days` days; audited."""
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"A token lasts 1 to {MAX_DAYS} days, not {days}.")
    secret = TOKEN_MARK + secrets.token_urlsafe(30)
    row = ApiToken(
        user_id=principal.user_id,
        name=name.strip()[:100] or "token",
        prefix=secret[:PREFIX_CHARS],
        token_hash=hash_token(secret),
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    session.add(row)
    session.flush()
    _audit(session, row, "token_created", now, (None, _shown(row)))
    return NewToken(row.id, row.prefix, secret, row.expires_at)


def list_tokens(session: Session, principal: Principal) -> list[ApiToken]:
    """The principal's own tokens, newest first (revoked and expired ones included)."""
    query = select(ApiToken).where(ApiToken.user_id == principal.user_id)
    return list(session.scalars(query.order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def revoke_token(session: Session, principal: Principal, prefix: str, *, now: datetime) -> bool:
    """Revoke one of the principal's own live tokens by its prefix; False when none matches."""
    row = session.scalar(
        select(ApiToken).where(
            ApiToken.user_id == principal.user_id,
            ApiToken.prefix == prefix.strip(),
            ApiToken.revoked_at.is_(None),
        )
    )
    if row is None:
        return False
    before = _shown(row)
    row.revoked_at = now
    _audit(session, row, "token_revoked", now, (before, _shown(row)))
    return True


def principal_for_token(session: Session, secret: str, *, now: datetime) -> Principal:
    """The principal a token acts as, or TokenRefusedError saying why it cannot be used."""
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(secret)))
    if row is None or not secret.strip().startswith(TOKEN_MARK):
        raise TokenRefusedError(
            "This token is not valid; create one with `salesbot tokens create`."
        )
    if row.revoked_at is not None:
        raise TokenRefusedError(f"Token {row.prefix}… was revoked; create a new one.")
    expires = aware(row.expires_at)
    if expires is not None and expires <= now:
        raise TokenRefusedError(
            f"Token {row.prefix}… expired on {expires:%Y-%m-%d}; create a new one."
        )
    user = session.get(User, row.user_id)
    if user is None:  # the user was deleted: the token names nobody
        raise TokenRefusedError(f"Token {row.prefix}… belongs to no user any more.")
    _touch(session, row.id, now)
    return principal_for_user(session, user)


def token_status(row: ApiToken, now: datetime) -> str:
    if row.revoked_at is not None:
        return "revoked"
    expires = aware(row.expires_at)
    return "expired" if expires is not None and expires <= now else "active"


def _touch(session: Session, token_id: int, now: datetime) -> None:
    """last_used_at, written at most once a minute so a busy client costs few writes."""
    session.execute(
        update(ApiToken)
        .where(
            ApiToken.id == token_id,
            or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at < now - LAST_USED_STEP),
        )
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )


def _shown(row: ApiToken) -> dict[str, object]:
    """What the audit log keeps of a token: never its hash."""
    return {
        "prefix": row.prefix,
        "name": row.name,
        "expires_at": _iso(row.expires_at),
        "revoked_at": _iso(row.revoked_at),
    }


def _iso(value: datetime | None) -> str | None:
    found = aware(value)
    return found.isoformat() if found else None


def _audit(
    session: Session,
    row: ApiToken,
    action: str,
    now: datetime,
    change: tuple[dict[str, object] | None, dict[str, object] | None],
) -> None:
    write_audit(
        session,
        actor_id=row.user_id,
        action=action,
        entity="api_token",
        entity_id=row.id,
        change=change,
        now=now,
        surface=AuditSurface.CLI,
    )
