"""One pass of the scheduler: claim what is due, write it, send it paced, and settle the ledger."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from bot.metrics.events import record_delivery
from bot.nudges.config import DAILY_NUDGE, MANAGER_DIGEST, Due, NudgeConfig
from bot.nudges.content import NudgeMessage, daily_messages, digest_message
from bot.nudges.due import due_deliveries
from bot.nudges.slack_sender import Sent, UnreachableError
from tools.crm import deliveries as ledger
from tools.db import Session, sessionmaker

log = logging.getLogger(__name__)
Content = NudgeMessage | None | Exception


class NudgeSender(Protocol):
    """Where messages go; SlackNudgeSender in production."""

    def check(self, due: Due) -> None: ...

    def find_sent(self, due: Due, channel_id: str | None) -> Sent | None: ...

    def send(self, due: Due, message: NudgeMessage, channel_id: str | None) -> Sent: ...


@dataclass
class RunReport:
    """What one run did, by delivery key."""

    due: int = 0
    claimed: int = 0
    sent: list[str] = field(default_factory=list)
    recovered: list[str] = field(default_factory=list)  # found already posted, now marked sent
    skipped: dict[str, str] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    lost: list[str] = field(default_factory=list)  # taken over by another process meanwhile


class Pacer:
    """At most `rate` sends a second across the whole run."""

    def __init__(
        self,
        rate: float,
        sleep: Callable[[float], object],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.interval = 1.0 / rate
        self.sleep, self.clock = sleep, clock
        self.last: float | None = None

    def wait(self) -> None:
        """Return when the next send is allowed (at once for the first)."""
        if self.last is not None:
            left = self.interval - (self.clock() - self.last)
            if left > 0:
                self.sleep(left)
        self.last = self.clock()


def run_due(
    now: datetime,
    sessions: sessionmaker[Session],
    sender: NudgeSender,
    config: NudgeConfig | None = None,
    *,
    sleep: Callable[[float], object] = time.sleep,
    token: str | None = None,
) -> RunReport:
    """Send every message due at `now` (aware) exactly once, however many processes run this.

    Claims are taken in batches small enough to be sent well within the lease, so a slow
    fan-out never lets another process take over claims still waiting their turn. Each batch's
    daily nudges come from one compute_nudges call. A failure is recorded and the run goes on.
    """
    config = config or NudgeConfig()
    with sessions() as session:
        due = due_deliveries(session, now, config)
    run = _Run(now, sessions, sender, config, Pacer(config.send_rate, sleep), token)
    run.report.due = len(due)
    size = max(1, int(config.lease_seconds * config.send_rate / 2))
    for start in range(0, len(due), size):
        run.batch(due[start : start + size])
    if due:
        r = run.report
        log.info(
            "nudges: %d due, %d sent, %d recovered, %d skipped, %d failed",
            r.due,
            len(r.sent),
            len(r.recovered),
            len(r.skipped),
            len(r.failed),
        )
    return run.report


class _Run:
    def __init__(
        self,
        now: datetime,
        sessions: sessionmaker[Session],
        sender: NudgeSender,
        config: NudgeConfig,
        pacer: Pacer,
        token: str | None,
    ) -> None:
        self.now, self.sessions, self.sender = now, sessions, sender
        self.config, self.pacer = config, pacer
        self.token = token or uuid.uuid4().hex
        self.report = RunReport()
        self.started = time.monotonic()
        self.claimed_at: dict[str, tuple[float, int]] = {}  # key -> (monotonic, attempts)

    def clock(self) -> datetime:
        """`now` moved on by the time this run has taken, for claim and send timestamps."""
        return self.now + timedelta(seconds=time.monotonic() - self.started)

    def batch(self, dues: Sequence[Due]) -> None:
        claimed = [c for c in map(self.claim, dues) if c is not None]
        reachable = [c for c in claimed if self.reachable(c[0])]
        if not reachable:
            return
        messages = self.messages([due for due, _ in reachable])
        with self.sessions() as session:
            channels = ledger.last_channel_ids(session, [due.user_id for due, _ in reachable])
        for due, attempts in reachable:
            self.deliver(due, attempts, messages[due.key], channels.get(due.user_id))

    def claim(self, due: Due) -> tuple[Due, int] | None:
        with self.sessions.begin() as s:
            args = (s, due.user_id, due.local_date, due.kind)
            lease, now = self.config.lease_seconds, self.clock()
            if not ledger.claim_delivery(*args, now=now, lease_seconds=lease, token=self.token):
                return None
            row = ledger.get_delivery(*args)
        self.report.claimed += 1
        attempts = row.attempts if row else 1
        self.claimed_at[due.key] = (time.monotonic(), attempts)
        return due, attempts

    def record(self, due: Due, status: str) -> None:
        """Count and log one delivery's outcome; the run's token prefix is its correlation id."""
        started, attempts = self.claimed_at.get(due.key, (time.monotonic(), 1))
        seconds = time.monotonic() - started
        record_delivery(
            kind=due.kind, status=status, seconds=seconds, ref=self.token[:8], attempts=attempts
        )

    def reachable(self, due: Due) -> bool:
        try:
            self.sender.check(due)
        except UnreachableError as exc:
            self.skip(due, str(exc))
            return False
        return True

    def messages(self, dues: Sequence[Due]) -> dict[str, Content]:
        found: dict[str, Content] = {}
        reps = [d for d in dues if d.kind == DAILY_NUDGE]
        try:
            if reps:
                with self.sessions() as session:
                    found.update(daily_messages(session, reps, limit=self.config.limit))
        except Exception as exc:  # the engine failing for the batch fails each of its rows
            log.exception("nudges: computing %d daily nudges failed", len(reps))
            found.update(dict.fromkeys((d.key for d in reps), exc))
        for due in dues:
            if due.kind == MANAGER_DIGEST:
                found[due.key] = self.digest(due)
        return found

    def digest(self, due: Due) -> Content:
        try:
            return digest_message(
                self.sessions,
                due,
                self.now,
                limit=self.config.limit,
                reporting_currency=self.config.reporting_currency,
            )
        except Exception as exc:
            log.exception("nudges: writing the digest %s failed", due.key)
            return exc

    def deliver(self, due: Due, attempts: int, content: Content, channel: str | None) -> None:
        try:
            if not self.holds(due):
                return
            # A repeat attempt may follow a crash after posting: look before sending again.
            if attempts > 1 and (found := self.sender.find_sent(due, channel)) is not None:
                self.settle(due, found, content, recovered=True)
                return
            if isinstance(content, Exception):
                self.fail(due, content)
                return
            if content is None:
                self.skip(due, "nothing to do")
                return
            self.pacer.wait()
            sent = self.sender.send(due, content, channel)
        except UnreachableError as exc:
            self.skip(due, str(exc))
            return
        except Exception as exc:  # Slack down, 429 past the retries, a bad block: retried later
            log.exception("nudges: sending %s failed", due.key)
            self.fail(due, exc)
            return
        self.settle(due, sent, content)

    def holds(self, due: Due) -> bool:
        with self.sessions() as s:
            held = ledger.holds_claim(s, due.user_id, due.local_date, due.kind, self.token)
        if not held:
            self.report.lost.append(due.key)
            self.record(due, "lost")
            log.warning("nudges: claim on %s was taken over; not sending", due.key)
        return held

    def settle(self, due: Due, sent: Sent, content: Content, *, recovered: bool = False) -> None:
        items = content.items if isinstance(content, NudgeMessage) else None
        with self.sessions.begin() as s:
            ok = ledger.mark_sent(
                s,
                due.user_id,
                due.local_date,
                due.kind,
                token=self.token,
                now=self.clock(),
                channel_id=sent.channel_id,
                message_ts=sent.ts,
                items=items,
            )
        if not ok:
            log.warning("nudges: %s was sent but its claim had been taken over", due.key)
        (self.report.recovered if recovered else self.report.sent).append(due.key)
        self.record(due, "recovered" if recovered else "sent")

    def skip(self, due: Due, reason: str) -> None:
        log.info("nudges: skipping %s: %s", due.key, reason)
        with self.sessions.begin() as s:
            args = (s, due.user_id, due.local_date, due.kind)
            ledger.mark_skipped(*args, token=self.token, reason=reason)
        self.report.skipped[due.key] = reason
        self.record(due, "skipped")

    def fail(self, due: Due, error: Exception) -> None:
        message = f"{type(error).__name__}: {error}"
        with self.sessions.begin() as s:
            args = (s, due.user_id, due.local_date, due.kind)
            ledger.mark_failed(*args, token=self.token, error=message)
        self.report.failed[due.key] = message
        self.record(due, "failed")
