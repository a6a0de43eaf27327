"""deals.currency indexed: the currencies in use, found without reading every deal

Revision ID: 0100
Revises: 0090
Create Date: 2026-12-06 04:30:00

Every analytics answer for a whole company first asks which currencies its deals are in. At a
million deals that was a scan of the table, 155 ms on PostgreSQL, paid by every admin question
and by every kept answer read back. With this index the distinct values are found by skipping
from one to the next (tools/crm/currency.py), a few index probes.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0100"
down_revision: str | None = "0090"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_deals_currency", "deals", ["currency"])


def downgrade() -> None:
    op.drop_index("ix_deals_currency", table_name="deals")
