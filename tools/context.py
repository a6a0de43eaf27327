"""What every tool call runs with: the asking principal, the database, the index and a clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from tools.interactions import InteractionIndex
from tools.principal import Principal

if TYPE_CHECKING:
    from tools.analytics.precomputed import SnapshotPolicy


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class ToolContext:
    """Bound into the tools by code when a request starts; the model never sees or sets it."""

    principal: Principal
    sessions: sessionmaker[Session]
    index: InteractionIndex | None = None
    clock: Callable[[], datetime] = field(default=utc_now)
    # Totals are converted into this currency (REPORTING_CURRENCY; tools/crm/currency.py).
    reporting_currency: str = "USD"
    # When large scopes' analytics answers are kept (None: the process's, from settings).
    snapshots: SnapshotPolicy | None = None

    def snapshot_policy(self) -> SnapshotPolicy:
        from tools.analytics.precomputed import current_policy

        return self.snapshots or current_policy()

    def today(self) -> date:
        """Today in the asker's own timezone: "overdue" means overdue where they are."""
        return self.clock().astimezone(ZoneInfo(self.principal.timezone)).date()
