"""database id: a random id per CRM database, so its search index is told apart from others'

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 09:00:00

One row in the existing key/value table `salesbot_meta` (no new table): key "database_id",
value {"id": "<32 hex>"}. The Chroma collection of interactions is named after it, so two CRMs
sharing a CHROMA_PATH or a Chroma server keep separate indexes (tools/database_id.py).
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_META = sa.table("salesbot_meta", sa.column("key", sa.String), sa.column("value", sa.JSON))
_KEY = "database_id"


def upgrade() -> None:
    exists = op.get_bind().execute(sa.select(_META.c.key).where(_META.c.key == _KEY)).first()
    if exists is None:  # tools/database_id.py may have made it already on an older schema
        op.bulk_insert(_META, [{"key": _KEY, "value": {"id": uuid.uuid4().hex}}])


def downgrade() -> None:
    op.execute(_META.delete().where(_META.c.key == _KEY))
