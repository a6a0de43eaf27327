"""One JSON line per answer and per delivery, with the counters and histograms they feed.

Lines carry the correlation id, durations, the outcome and names of what ran (tools, engine),
never the question, the answer or CRM data, unless LOG_CONTENT is set for debugging.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import IO, Any

from bot.metrics.registry import ANSWER_SECONDS, ANSWERS, NUDGE_DELIVERIES

EVENT_LOGGER = "salesbot.events"
log = logging.getLogger(EVENT_LOGGER)
_options = {"content": False}


def configure_event_log(
    *, log_content: bool = False, stream: IO[str] | None = None, level: str = "INFO"
) -> None:
    """Event lines go to `stream` (stderr) as bare JSON, apart from the human-readable log.

    They are INFO lines: LOG_LEVEL=WARNING or above silences them with the rest.
    """
    _options["content"] = log_content
    for handler in list(log.handlers):
        log.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    log.addHandler(handler)
    log.setLevel(max(logging.INFO, logging.getLevelName(level.upper())))
    log.propagate = False


def log_content() -> bool:
    return _options["content"]


def log_event(event: str, **fields: Any) -> None:
    """One line of JSON; ASCII only, so no byte of it can drive a terminal."""
    line = {"ts": datetime.now(UTC).isoformat(timespec="milliseconds"), "event": event, **fields}
    log.info(json.dumps(line, ensure_ascii=True, separators=(",", ":"), default=str))


def record_answer(
    *,
    surface: str,
    outcome: str,
    seconds: float,
    ref: str,
    engine: str | None = None,
    tools: Sequence[str] = (),
    artifacts: int = 0,
    content: dict[str, str] | None = None,
) -> None:
    """Count and time one answer, and log its line."""
    ANSWERS.labels(surface=surface, outcome=outcome).inc()
    ANSWER_SECONDS.labels(surface=surface).observe(seconds)
    fields: dict[str, Any] = {
        "ref": ref,
        "surface": surface,
        "outcome": outcome,
        "duration_ms": round(seconds * 1000, 1),
        "engine": engine,
        "tools": list(tools),
        "artifacts": artifacts,
    }
    if content and log_content():
        fields.update(content)
    log_event("answer", **fields)


def record_delivery(*, kind: str, status: str, seconds: float, ref: str, attempts: int) -> None:
    """Count one scheduled message by its status, and log its line."""
    NUDGE_DELIVERIES.labels(kind=kind, status=status).inc()
    log_event(
        "delivery",
        ref=ref,
        kind=kind,
        status=status,
        attempts=attempts,
        duration_ms=round(seconds * 1000, 1),
    )
