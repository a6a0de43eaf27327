"""billing: Stripe customers, invoices, payments and subscriptions, each tied to an account

Revision ID: 0060
Revises: 0010
Create Date: 2026-12-04 17:45:00

Loaded by `salesbot import stripe` and `salesbot sync stripe` (tools/billing/); every row is
keyed by its Stripe id, so loading the same data twice changes nothing. A row's account is the
customer's matched account (NULL while unmatched); it is seen by whoever may see that account.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0060"
down_revision: str | None = "0050"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _stripe_id() -> sa.Column[str]:
    return sa.Column("stripe_id", sa.String(length=64), nullable=False, unique=True)


def _account() -> sa.Column[int]:
    return sa.Column("account_id", sa.Integer(), sa.ForeignKey("accounts.id"), nullable=True)


def upgrade() -> None:
    op.create_table(
        "billing_customers",
        sa.Column("id", sa.Integer(), primary_key=True),
        _stripe_id(),
        sa.Column("email", sa.String(length=255), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=True),
        _account(),
        sa.Column("matched_by", sa.String(length=20), nullable=True),
        sa.Column("created", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "invoices",
        sa.Column("id", sa.Integer(), primary_key=True),
        _stripe_id(),
        sa.Column("number", sa.String(length=64), nullable=True),
        sa.Column("customer_stripe_id", sa.String(length=64), nullable=False),
        _account(),
        sa.Column("amount", sa.Numeric(18, 2), nullable=False),
        sa.Column("amount_paid", sa.Numeric(18, 2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("issued", sa.Date(), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("paid", sa.Date(), nullable=True),
        sa.Column("created", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_invoices_account_issued", "invoices", ["account_id", "issued"])
    op.create_index("ix_invoices_status_due", "invoices", ["status", "due"])
    op.create_index("ix_invoices_customer", "invoices", ["customer_stripe_id"])
    op.create_table(
        "payments",
        sa.Column("id", sa.Integer(), primary_key=True),
        _stripe_id(),
        sa.Column("invoice_stripe_id", sa.String(length=64), nullable=True),
        sa.Column("customer_stripe_id", sa.String(length=64), nullable=False),
        _account(),
        sa.Column("amount", sa.Numeric(18, 2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("paid", sa.Date(), nullable=False),
    )
    op.create_index("ix_payments_account_paid", "payments", ["account_id", "paid"])
    op.create_index("ix_payments_customer", "payments", ["customer_stripe_id"])
    op.create_table(
        "subscriptions",
        sa.Column("id", sa.Integer(), primary_key=True),
        _stripe_id(),
        sa.Column("customer_stripe_id", sa.String(length=64), nullable=False),
        _account(),
        sa.Column("plan", sa.String(length=200), nullable=True),
        sa.Column("mrr", sa.Numeric(18, 2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("started", sa.Date(), nullable=False),
        sa.Column("renewal", sa.Date(), nullable=True),
        sa.Column("cancel_at", sa.Date(), nullable=True),
        sa.Column("canceled", sa.Date(), nullable=True),
        sa.Column("created", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_subscriptions_account", "subscriptions", ["account_id"])
    op.create_index("ix_subscriptions_renewal", "subscriptions", ["renewal"])
    op.create_index("ix_subscriptions_customer", "subscriptions", ["customer_stripe_id"])


def downgrade() -> None:
    for table in ("subscriptions", "payments", "invoices", "billing_customers"):
        op.drop_table(table)
