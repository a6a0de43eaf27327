"""users.email_key and users.slack_verified_at: identity is an exact key, and links are re-checked

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 10:00:00.000000

- email_key: normalize_email(email) (tools/emails.py), unique and indexed; Slack users and
  `--as EMAIL` are matched on it with `=`. It is filled in Python, not with SQL lower(), which
  on PostgreSQL folds Unicode look-alikes (the Kelvin sign, the Turkish İ) onto ASCII.
- slack_verified_at: when Slack last confirmed a link. Existing links keep their Slack id but no
  date, so each is checked against Slack again before it is trusted: they were made by a
  pattern match that could link the wrong person.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tools.emails import normalize_email

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

users = sa.table("users", sa.column("id", sa.Integer), sa.column("email"), sa.column("email_key"))


def upgrade() -> None:
    # Plain ALTERs, never a batch rebuild: on SQLite rebuilding `users` (which every table
    # references) fails its foreign keys. So email_key stays nullable in the schema; every
    # insert path fills it (tools/models.py) and a NULL key matches nobody.
    op.add_column("users", sa.Column("email_key", sa.String(length=255), nullable=True))
    op.add_column("users", sa.Column("slack_verified_at", sa.DateTime(timezone=True)))
    _backfill_keys(op.get_bind())
    op.create_index("ix_users_email_key", "users", ["email_key"], unique=True)


def _backfill_keys(conn: sa.Connection) -> None:
    rows = conn.execute(sa.select(users.c.id, users.c.email).order_by(users.c.id)).all()
    owners: dict[str, list[str]] = {}
    for _, email in rows:
        owners.setdefault(normalize_email(email), []).append(email)
    clashes = [emails for emails in owners.values() if len(emails) > 1]
    if clashes:
        # Two users one address apart only by letter case would make identity ambiguous.
        shown = "; ".join(" / ".join(emails) for emails in clashes[:10])
        raise RuntimeError(
            f"Some users' emails differ only in upper/lower case: {shown}. Each person must have "
            "one CRM user: change or remove the duplicates, then run `salesbot db upgrade` again."
        )
    for user_id, email in rows:
        conn.execute(
            users.update().where(users.c.id == user_id).values(email_key=normalize_email(email))
        )


def downgrade() -> None:
    op.drop_index("ix_users_email_key", table_name="users")
    # Native DROP COLUMN (SQLite 3.35+), for the same reason as above.
    op.drop_column("users", "slack_verified_at")
    op.drop_column("users", "email_key")
