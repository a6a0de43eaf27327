"""The demo planned in memory: every row to write, with list indices for foreign keys."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from tools.models import Stage

CENT = Decimal("0.01")
Row = dict[str, Any]


@dataclass
class PlannedDeal:
    """A deal planned in memory; `account` and `owner` are plan indices until written."""

    account: int
    owner: int
    name: str
    stage: Stage
    amount: Decimal
    created_at: datetime
    close_date: date
    closed_at: datetime | None
    last_touch: datetime  # when its last activity happened
    history: list[tuple[Stage | None, Stage, datetime]] = field(default_factory=list)
    slips: list[tuple[date, date, datetime]] = field(default_factory=list)
    amount_changes: list[tuple[Decimal, Decimal, datetime]] = field(default_factory=list)
    next_step: str | None = None
    promise: bool = False  # its last activity promises a follow-up by a date


@dataclass
class Plan:
    """Every row to write; foreign keys hold indices into the lists they point at."""

    users: list[Row]
    accounts: list[Row]
    contacts: list[Row]
    deals: list[PlannedDeal] = field(default_factory=list)
    activities: list[Row] = field(default_factory=list)
    tasks: list[Row] = field(default_factory=list)
    quotas: list[Row] = field(default_factory=list)

    def tz(self, user: int) -> str:
        """The IANA timezone of the user at plan index `user`."""
        return str(self.users[user]["timezone"])
