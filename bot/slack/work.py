"""A bounded pool for agent work, so long answers never hold up Slack's 3-second acks.

Bounded twice: `workers` threads run jobs, and at most `limit` jobs wait or run at once. Past
the limit `submit` raises `WorkPoolBusy` at once, so the listener can tell the asker to try
again instead of queueing work that would answer long after they gave up.

Claims (recording a Slack event id before answering it, bot/slack/event_claims.py) run on a few
threads of their own, so they never queue behind answers; `join` and `drain` wait for them too.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from bot.metrics.correlation import bind_ref, new_ref
from bot.metrics.registry import WORK_POOL_PENDING, WORK_POOL_REJECTIONS

log = logging.getLogger(__name__)


BUSY_TEXT = "I'm answering a lot of questions right now. Please try again in a minute."


class WorkPoolBusy(RuntimeError):
    """The pool is full or shutting down; the job was not queued."""


class WorkPool:
    """Runs jobs on its own threads; Bolt's listener threads only parse, submit and ack."""

    def __init__(self, workers: int = 8, limit: int | None = None, claim_workers: int = 4) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="salesbot-work")
        self._claims = ThreadPoolExecutor(claim_workers, thread_name_prefix="salesbot-claim")
        self._limit = limit
        self._pending = 0  # every job, for join and drain
        self._lanes = {"answer": 0, "claim": 0}  # each lane is held to `limit` on its own
        self._closed = False
        self._idle = threading.Condition()

    def submit(
        self,
        job: Callable[[], object],
        *,
        on_error: Callable[[BaseException, str], None] | None = None,
    ) -> Future[None]:
        """Run `job` later; an exception is logged with a correlation id and passed to on_error.

        Raises WorkPoolBusy, queueing nothing, when `limit` jobs are pending or on shutdown.
        """
        self._admit("answer")
        return self._pool.submit(self._run, job, on_error, "answer")

    def submit_claim(self, job: Callable[[], None]) -> Future[None]:
        """Run a short bookkeeping job ahead of any queued answer; it takes no answer's place."""
        self._admit("claim")
        return self._claims.submit(self._run, job, None, "claim")

    def _admit(self, lane: str) -> None:
        with self._idle:
            waiting = self._lanes[lane]
            if self._closed or (self._limit is not None and waiting >= self._limit):
                WORK_POOL_REJECTIONS.labels(lane=lane).inc()
                raise WorkPoolBusy(f"{waiting} {lane} jobs pending")
            self._lanes[lane] += 1
            self._pending += 1
            WORK_POOL_PENDING.labels(lane=lane).inc()

    def _run(
        self,
        job: Callable[[], object],
        on_error: Callable[[BaseException, str], None] | None,
        lane: str,
    ) -> None:
        # The job's correlation id: its log lines carry it, and a user told of a failure sees it.
        ref = new_ref()
        bind_ref(ref)
        try:
            job()
        except BaseException as exc:
            log.exception("job failed (ref %s)", ref)
            if on_error is not None:
                try:
                    on_error(exc, ref)
                except Exception:
                    log.exception("error report failed (ref %s)", ref)
        finally:
            with self._idle:
                self._lanes[lane] -= 1
                self._pending -= 1
                WORK_POOL_PENDING.labels(lane=lane).dec()
                self._idle.notify_all()

    def join(self, timeout: float = 30.0) -> bool:
        """Wait until no job is pending; True when idle. Tests and shutdown use it."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout=timeout)

    def drain(self, timeout: float, settle: float = 0.5) -> bool:
        """On shutdown: wait up to `timeout` for jobs to finish, then refuse new ones.

        Idle must hold for `settle` seconds, because a request acknowledged just before the
        server closed may still be on Bolt's listener thread, about to submit its job.
        """
        deadline = time.monotonic() + timeout
        idle_since: float | None = None
        while (now := time.monotonic()) < deadline:
            if self.join(timeout=min(settle, deadline - now)):
                idle_since = idle_since or time.monotonic()
                if time.monotonic() - idle_since >= settle:
                    break
                time.sleep(0.05)
            else:
                idle_since = None
        self.close()
        return self.join(timeout=0)

    @property
    def pending(self) -> int:
        with self._idle:
            return self._pending

    def close(self) -> None:
        """Refuse new jobs (WorkPoolBusy); jobs already accepted still run."""
        with self._idle:
            self._closed = True

    def shutdown(self) -> None:
        self.close()
        self._claims.shutdown(wait=True, cancel_futures=False)  # first: a claim starts an answer
        self._pool.shutdown(wait=True, cancel_futures=False)
