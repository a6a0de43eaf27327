"""analytics_snapshots: large scopes' analytics answers, kept and refreshed on a schedule

Revision ID: 0090
Revises: 0080
Create Date: 2026-12-05 20:00:00

At a million deals an admin's deal_risks took 92 s, the forecast 31 s and the pipeline review
3.5 s on PostgreSQL: too slow to compute while someone waits. An answer for a scope that large
is kept here once computed and refreshed in the background; the next asker reads it, labelled
with the time it was computed.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0090"
down_revision: str | None = "0080"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "analytics_snapshots",
        sa.Column("key", sa.String(length=64), primary_key=True),
        sa.Column("tool", sa.String(length=40), nullable=False),
        sa.Column("args", sa.Text(), nullable=False),
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("artifact", sa.Text(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("millis", sa.Integer(), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("refreshing_until", sa.DateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("analytics_snapshots")
