"""capture: captured message keys, the review list of unmatched items, IMAP sync state

Revision ID: 0050
Revises: 0010
Create Date: 2026-12-04 17:50:00

`salesbot capture` writes emails, meetings and calls as activities; `captured_messages` makes
each one captured once, `capture_reviews` holds what matched no account, and `imap_sync_state`
the UIDVALIDITY/UID high-water mark of each synced folder.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0050"
down_revision: str | None = "0040"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KINDS = ("email", "call", "meeting", "note", "linkedin")


def upgrade() -> None:
    op.create_table(
        "capture_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                *_KINDS,
                name="capture_review_kind",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("captured_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("addresses", sa.JSON(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("activity_id", sa.Integer(), sa.ForeignKey("activities.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_capture_reviews_status_by", "capture_reviews", ["status", "captured_by_id"])
    op.create_table(
        "captured_messages",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("activity_id", sa.Integer(), sa.ForeignKey("activities.id"), nullable=True),
        sa.Column("review_id", sa.Integer(), sa.ForeignKey("capture_reviews.id"), nullable=True),
        sa.Column("captured_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_index("ix_captured_messages_activity_id", "captured_messages", ["activity_id"])
    op.create_table(
        "imap_sync_state",
        sa.Column("mailbox", sa.String(length=300), nullable=False),
        sa.Column("uidvalidity", sa.BigInteger(), nullable=False),
        sa.Column("last_uid", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("mailbox"),
    )


def downgrade() -> None:
    op.drop_table("imap_sync_state")
    op.drop_index("ix_captured_messages_activity_id", table_name="captured_messages")
    op.drop_table("captured_messages")
    op.drop_index("ix_capture_reviews_status_by", table_name="capture_reviews")
    op.drop_table("capture_reviews")
