"""What every tool call runs with: the asking principal, the database, the index and a clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from tools.interactions import InteractionIndex
from tools.principal import Principal


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

    def today(self) -> date:
        """Today in the asker's own timezone: "overdue" means overdue where they are."""
        return self.clock().astimezone(ZoneInfo(self.principal.timezone)).date()
