"""query indexes: the bot's queries stay index-driven at a million deals

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 03:40:00.000000

- deals (close_date, id): the admin's "soonest close first" page and close-date ranges.
- deals (stage, close_date): pipeline totals by stage in a period, won in a period, and the
  closed deals the win rates are computed from.
- deal_stage_history (deal_id, to_stage, changed_at): win rates and "days in stage" read the
  history from the index alone.
- deal_field_history (field, changed_at): the pipeline review's slips and pushes since a date.
See docs/QUERY_PLANS.md for the plans and timings before and after.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_deals_close_date_id", "deals", ["close_date", "id"])
    op.create_index("ix_deals_stage_close", "deals", ["stage", "close_date"])
    op.create_index(
        "ix_deal_stage_history_deal_stage",
        "deal_stage_history",
        ["deal_id", "to_stage", "changed_at"],
    )
    op.create_index(
        "ix_deal_field_history_field_changed", "deal_field_history", ["field", "changed_at"]
    )
    # A database analysed before these indexes existed has statistics for the old ones only,
    # and SQLite's planner then prefers (stage, close_date) over the owner index for a
    # manager's pipeline (3 s instead of 16 ms at 1M deals). Refresh both tables' statistics.
    op.execute("ANALYZE deals")
    op.execute("ANALYZE deal_stage_history")


def downgrade() -> None:
    op.drop_index("ix_deal_field_history_field_changed", table_name="deal_field_history")
    op.drop_index("ix_deal_stage_history_deal_stage", table_name="deal_stage_history")
    op.drop_index("ix_deals_stage_close", table_name="deals")
    op.drop_index("ix_deals_close_date_id", table_name="deals")
