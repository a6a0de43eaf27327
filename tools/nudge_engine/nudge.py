"""A nudge (what to do, why, and the evidence), and the cheap candidate it is written from."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Nudge:
    """One suggested action for one rep, explained.

    `key` names the item independently of the day ("task:12", "deal:34:quiet"), so a snooze or a
    delivery ledger can refer to it; `evidence` is what triggered it: a snippet of the interaction
    or the figure ("close_date 2026-11-10", "in proposal for 64 days (usual p75: 41)").
    """

    key: str
    kind: str  # overdue_task | due_today | promised_follow_up | quiet_deal | past_close_date
    # | close_date | stalled | likely_win | renewal_due | overdue_invoice | expansion_signal
    # (the last three: billing.py)
    title: str
    reason: str
    evidence_date: str | None
    evidence: str
    score: float
    user_id: int
    deal_id: int | None = None
    task_id: int | None = None
    deal: str | None = None
    account: str | None = None
    amount: str | None = None
    currency: str = "USD"
    due_date: str | None = None  # the task's due date, the close date, or the promised date

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Candidate:
    """A possible nudge before it is chosen: its score and the figures its text needs.

    Thousands of these exist per run and only `limit` per rep are written out, so the text is
    rendered after ranking.
    """

    key: str
    kind: str
    score: float
    user_id: int
    deal_id: int | None = None
    task_id: int | None = None
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def deal_level(self) -> bool:
        return self.task_id is None
