"""A bounded pool for agent work, so long answers never hold up Slack's 3-second acks."""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

log = logging.getLogger(__name__)


class WorkPool:
    """Runs jobs on its own threads; Bolt's listener threads only parse, submit and ack."""

    def __init__(self, workers: int = 8) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="salesbot-work")
        self._pending = 0
        self._idle = threading.Condition()

    def submit(
        self,
        job: Callable[[], None],
        *,
        on_error: Callable[[BaseException, str], None] | None = None,
    ) -> Future[None]:
        """Run `job` later; an exception is logged with a correlation id and passed to on_error."""
        with self._idle:
            self._pending += 1
        return self._pool.submit(self._run, job, on_error)

    def _run(
        self, job: Callable[[], None], on_error: Callable[[BaseException, str], None] | None
    ) -> None:
        try:
            job()
        except BaseException as exc:
            ref = uuid.uuid4().hex[:8]
            log.exception("job failed (ref %s)", ref)
            if on_error is not None:
                try:
                    on_error(exc, ref)
                except Exception:
                    log.exception("error report failed (ref %s)", ref)
        finally:
            with self._idle:
                self._pending -= 1
                self._idle.notify_all()

    def join(self, timeout: float = 30.0) -> bool:
        """Wait until no job is pending; True when idle. Tests and shutdown use it."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout=timeout)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=False)
