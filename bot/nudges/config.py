"""What the nudge run is configured with, and what one due delivery is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from bot.settings import Settings

DAILY_NUDGE = "daily_nudge"
MANAGER_DIGEST = "manager_digest"


def parse_hhmm(value: str) -> time:
    """Parse "08:30" as a time of day; ValueError for anything else."""
    hours, _, minutes = value.strip().partition(":")
    return time(int(hours), int(minutes))


@dataclass(frozen=True)
class NudgeConfig:
    """The schedule's global knobs; each rep's own time, days and pause live in the database."""

    send_time: time = time(8, 30)
    cutoff: time = time(12, 0)
    send_rate: float = 1.0
    lease_seconds: float = 300.0
    digest_time: time = time(8, 0)
    digest_weekday: str = "mon"
    limit: int = 5
    reporting_currency: str = "USD"

    @classmethod
    def from_settings(cls, settings: Settings) -> NudgeConfig:
        return cls(
            send_time=parse_hhmm(settings.nudge_time),
            cutoff=parse_hhmm(settings.nudge_cutoff),
            send_rate=settings.nudge_send_rate,
            lease_seconds=float(settings.nudge_lease_seconds),
            reporting_currency=settings.reporting_currency,
        )


@dataclass(frozen=True)
class Due:
    """One message that should go out now: to whom, of which kind, for which local day."""

    user_id: int
    kind: str
    local_date: date
    name: str
    timezone: str
    slack_user_id: str | None

    @property
    def key(self) -> str:
        """The ledger key, also stamped on the Slack message to find it again after a crash."""
        return f"{self.user_id}:{self.local_date.isoformat()}:{self.kind}"
