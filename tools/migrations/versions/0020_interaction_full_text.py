"""interaction full text: the lexical half of interaction search

Revision ID: 0020
Revises: 0010
Create Date: 2026-12-04 17:00:00

SQLite: an FTS5 table over activities' subject and body (porter stemming), kept in step by
triggers, so seed-demo's bulk insert, imports and logged interactions are all searchable.
PostgreSQL: a GIN index on the same english tsvector expression tools/search/lexical.py queries.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0020"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PG_DOCUMENT = (
    "to_tsvector('english'::regconfig, coalesce(subject, '') || ' ' || coalesce(body, ''))"
)
SQLITE = (
    "CREATE VIRTUAL TABLE activities_fts USING fts5(subject, body, content='activities', "
    "content_rowid='id', tokenize='porter unicode61')",
    "CREATE TRIGGER activities_fts_ai AFTER INSERT ON activities BEGIN "
    "INSERT INTO activities_fts(rowid, subject, body) VALUES (new.id, new.subject, new.body); END",
    "CREATE TRIGGER activities_fts_ad AFTER DELETE ON activities BEGIN "
    "INSERT INTO activities_fts(activities_fts, rowid, subject, body) "
    "VALUES ('delete', old.id, old.subject, old.body); END",
    "CREATE TRIGGER activities_fts_au AFTER UPDATE OF subject, body ON activities BEGIN "
    "INSERT INTO activities_fts(activities_fts, rowid, subject, body) "
    "VALUES ('delete', old.id, old.subject, old.body); "
    "INSERT INTO activities_fts(rowid, subject, body) VALUES (new.id, new.subject, new.body); END",
    "INSERT INTO activities_fts(activities_fts) VALUES ('rebuild')",
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE:
            op.execute(statement)
        return
    op.execute(f"CREATE INDEX ix_activities_fulltext ON activities USING gin ({PG_DOCUMENT})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("activities_fts_ai", "activities_fts_ad", "activities_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS activities_fts")
        return
    op.execute("DROP INDEX IF EXISTS ix_activities_fulltext")
