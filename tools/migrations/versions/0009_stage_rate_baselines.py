"""stage_rate_baselines: the weekly company-wide win rates and stage-stay percentiles

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 09:00:00

A rep's or manager's figures are computed from their own scope's history, shrunk toward this
snapshot; it is written once a week, so another team's deals cannot move them in between.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STAGES = ("prospecting", "qualification", "proposal", "negotiation", "closed_won", "closed_lost")


def upgrade() -> None:
    op.create_table(
        "stage_rate_baselines",
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column(
            "stage",
            sa.Enum(
                *STAGES,
                name="baseline_stage",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("reached", sa.Integer(), nullable=False),
        sa.Column("won", sa.Integer(), nullable=False),
        sa.Column("win_rate", sa.Numeric(6, 4), nullable=False),
        sa.Column("stays", sa.Integer(), nullable=False),
        sa.Column("p75_days", sa.Integer(), nullable=True),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("as_of", "stage"),
    )


def downgrade() -> None:
    op.drop_table("stage_rate_baselines")
