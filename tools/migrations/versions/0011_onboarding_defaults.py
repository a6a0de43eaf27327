"""users.active and schema defaults; deals.created_at may be unknown

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 17:00:00

- users.active (default true): a deactivated rep keeps their manager, so their book stays
  visible to the manager until `salesbot deals reassign` moves it; nudges skip them.
- users.role defaults to 'rep' and users.timezone to 'UTC' in the database too, so a plain
  INSERT with an email and a name works.
- deals.created_at is nullable: an export without a create date leaves it unknown, and such a
  deal counts in no "new" figure (it used to be dated at the import).

On SQLite `users` and `deals` cannot be rebuilt (every table references them, see 0007), so
the defaults and the NOT NULL are edited in the stored CREATE TABLE text: SQLite documents this
(writable_schema) for exactly these changes, which leave the stored rows as they are.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


USERS_OLD = ("role VARCHAR(20) NOT NULL,", "timezone VARCHAR(64) NOT NULL,")
USERS_NEW = (
    "role VARCHAR(20) DEFAULT 'rep' NOT NULL,",
    "timezone VARCHAR(64) DEFAULT 'UTC' NOT NULL,",
)
DEALS_OLD, DEALS_NEW = ("created_at DATETIME NOT NULL,",), ("created_at DATETIME,",)


def upgrade() -> None:
    op.add_column(
        "users", sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true())
    )
    if op.get_bind().dialect.name == "sqlite":
        _edit_sqlite_table("users", USERS_OLD, USERS_NEW)
        _edit_sqlite_table("deals", DEALS_OLD, DEALS_NEW)
        return
    op.alter_column("users", "timezone", server_default="UTC")
    op.alter_column("users", "role", server_default="rep")
    op.alter_column("deals", "created_at", nullable=True)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("UPDATE deals SET created_at = CURRENT_TIMESTAMP WHERE created_at IS NULL")
        _edit_sqlite_table("deals", DEALS_NEW, DEALS_OLD)
        _edit_sqlite_table("users", USERS_NEW, USERS_OLD)
    else:
        op.execute("UPDATE deals SET created_at = now() WHERE created_at IS NULL")
        op.alter_column("deals", "created_at", nullable=False)
        op.alter_column("users", "timezone", server_default=None)
        op.alter_column("users", "role", server_default=None)
    with op.batch_alter_table("users", recreate="never") as batch:
        batch.drop_column("active")


def _edit_sqlite_table(table: str, old: tuple[str, ...], new: tuple[str, ...]) -> None:
    conn = op.get_bind()
    sql = conn.execute(
        sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :t"), {"t": table}
    ).scalar_one()
    for before, after in zip(old, new, strict=True):
        if before not in sql:
            raise RuntimeError(f"{table}: expected {before!r} in its schema; not migrated.")
        sql = sql.replace(before, after, 1)
    version = conn.execute(sa.text("PRAGMA schema_version")).scalar_one()
    conn.execute(sa.text("PRAGMA writable_schema = ON"))
    conn.execute(
        sa.text("UPDATE sqlite_master SET sql = :sql WHERE type = 'table' AND name = :t"),
        {"sql": sql, "t": table},
    )
    conn.execute(sa.text(f"PRAGMA schema_version = {int(version) + 1}"))
    conn.execute(sa.text("PRAGMA writable_schema = OFF"))
