"""interaction_vectors: each interaction's embedding, beside the row, for scope-first search

Revision ID: 0080
Revises: 0070
Create Date: 2026-12-05 09:40:00

Chroma's metadata filter made a rep's search cost what the whole store costs (0.8 s at a
million vectors). With the vectors in SQL, the scope's WHERE clauses find the candidates and
their vectors in one statement and the ranking is exact. `salesbot index` fills the table from
the vectors Chroma already holds: nothing is embedded again.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0080"
down_revision: str | None = "0070"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "interaction_vectors",
        sa.Column(
            "activity_id",
            sa.Integer(),
            sa.ForeignKey("activities.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("model", sa.String(length=16), primary_key=True),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("interaction_vectors")
