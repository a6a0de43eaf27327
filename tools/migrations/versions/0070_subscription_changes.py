"""subscription_changes: a subscription's MRR or plan as each load found it changed

Revision ID: 0070
Revises: 0060
Create Date: 2026-12-05 06:00:00

Stripe's exports and list calls give a subscription as it is now; without this table an upgrade
or a downgrade would overwrite the MRR before it and leave no trace for the expansion and
downgrade signals (tools/billing/movement.py).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0070"
down_revision: str | None = "0060"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "subscription_changes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("subscription_stripe_id", sa.String(length=64), nullable=False),
        sa.Column("customer_stripe_id", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.Integer(), sa.ForeignKey("accounts.id"), nullable=True),
        sa.Column("changed_on", sa.Date(), nullable=False),
        sa.Column("old_mrr", sa.Numeric(18, 2), nullable=False),
        sa.Column("new_mrr", sa.Numeric(18, 2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("old_plan", sa.String(length=200), nullable=True),
        sa.Column("new_plan", sa.String(length=200), nullable=True),
    )
    op.create_index(
        "ix_subscription_changes_account_day", "subscription_changes", ["account_id", "changed_on"]
    )
    op.create_index(
        "ix_subscription_changes_subscription",
        "subscription_changes",
        ["subscription_stripe_id", "changed_on"],
    )


def downgrade() -> None:
    op.drop_table("subscription_changes")
