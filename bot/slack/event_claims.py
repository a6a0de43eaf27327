"""Each Slack event answered at most once, decided without ever holding up the ack.

Two records, both keyed by Slack's event id:

- `first_sight` (memory, no I/O): runs on the ack path. A retry that reaches this process while
  the first delivery is still waiting, or after it was answered, is dropped at once.
- `claim` (the `processed_events` table): runs on a claim thread after the ack, before any
  listener. The database arbitrates between instances sharing it, and remembers across restarts.

When the database cannot be written (a write lock held elsewhere, a restart), `claim` retries
with backoff for up to `wait_seconds`, each try bounded by the database's own lock wait. Past
that it answers anyway, from this process only ("answer once, possibly late"): a user waiting
on a locked database gets a late answer instead of an error or none. The cost is one case: the
same event also reaching another instance that *can* write then answers it too. Slack redelivers
only events whose ack was late or lost, and acks no longer wait on anything, so that takes a lost
ack and a database reachable from one instance but not the other.
"""

from __future__ import annotations

import enum
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime

from tools.crm.events import claim_event
from tools.db import Session, SQLAlchemyError, sessionmaker

log = logging.getLogger(__name__)
CLAIM_WAIT_SECONDS = 30.0
LOCK_WAIT_MS = 5_000  # one try on PostgreSQL; SQLite waits its busy timeout (15 s)
REMEMBERED = 10_000  # event ids kept in memory; Slack retries within minutes


class Claim(enum.Enum):
    FIRST = "first"  # recorded by us: answer
    REPEAT = "repeat"  # recorded before, here or by another instance: drop
    UNRECORDED = "unrecorded"  # the database could not be written in time: answer anyway


class EventClaims:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        clock: Callable[[], datetime],
        *,
        wait_seconds: float = CLAIM_WAIT_SECONDS,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._wait = wait_seconds
        self._sleep = sleep
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def first_sight(self, key: str) -> bool:
        """True the first time this process sees `key`; never touches the database."""
        with self._lock:
            if key in self._seen:
                return False
            self._seen[key] = None
            if len(self._seen) > REMEMBERED:
                self._seen.popitem(last=False)
            return True

    def forget(self, key: str) -> None:
        """Undo `first_sight`, when the event could not even be queued."""
        with self._lock:
            self._seen.pop(key, None)

    def claim(self, key: str) -> Claim:
        """Record `key` in the database, waiting out a lock or an outage for a bounded time."""
        deadline = time.monotonic() + self._wait
        delay = 0.25
        while True:
            try:
                return self._try(key)
            except SQLAlchemyError as exc:
                if time.monotonic() + delay > deadline:
                    log.warning("answering %s unrecorded: the database failed: %s", key, exc)
                    return Claim.UNRECORDED
                log.info("could not record %s yet, retrying: %s", key, str(exc)[:200])
            self._sleep(delay)
            delay = min(delay * 2, 4.0)

    def _try(self, key: str) -> Claim:
        with self._sessions.begin() as session:
            first = claim_event(session, key, now=self._clock(), lock_wait_ms=LOCK_WAIT_MS)
        return Claim.FIRST if first else Claim.REPEAT
