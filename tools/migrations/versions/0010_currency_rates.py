"""currency_rates: exchange rates, undated or dated, for totals in the reporting currency

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 09:00:00

Loaded from Salesforce CurrencyType / DatedConversionRate exports, a rates CSV or
`salesbot currency set`; every total is converted in SQL with them (tools/crm/currency.py).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "currency_rates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("from_currency", sa.String(length=3), nullable=False),
        sa.Column("to_currency", sa.String(length=3), nullable=False),
        sa.Column("rate", sa.Numeric(28, 12), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_currency_rates_pair_from",
        "currency_rates",
        ["from_currency", "to_currency", "valid_from"],
    )


def downgrade() -> None:
    op.drop_index("ix_currency_rates_pair_from", table_name="currency_rates")
    op.drop_table("currency_rates")
