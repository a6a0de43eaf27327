"""Running an import in a test, and a snapshot of every table an import may touch."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from tools.importers import ImportOptions, ImportReport, Source, run_import

NOW = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
TABLES = (
    "accounts",
    "contacts",
    "deals",
    "deal_stage_history",
    "deal_field_history",
    "activities",
    "tasks",
    "audit_log",
)


def run(
    sessions: sessionmaker[Session], source: str, paths: list[Path], **options: Any
) -> ImportReport:
    options.setdefault("now", NOW)
    return run_import(sessions, ImportOptions(Source(source), tuple(paths), **options))


def snapshot(sessions: sessionmaker[Session]) -> dict[str, list[tuple[Any, ...]]]:
    with sessions() as session:
        return {
            t: [tuple(r) for r in session.execute(text(f"select * from {t} order by id"))]
            for t in TABLES
        }


def counts(sessions: sessionmaker[Session]) -> dict[str, int]:
    return {t: len(rows) for t, rows in snapshot(sessions).items()}


def one(sessions: sessionmaker[Session], sql: str, **params: Any) -> Any:
    with sessions() as session:
        return session.execute(text(sql), params).one()
