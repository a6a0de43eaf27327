"""One import run: read every file, check every row, resolve, plan, then write or report."""

from __future__ import annotations

import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from tools.audit import write_audit
from tools.importers.apply import Written, apply_plans, refresh_statistics
from tools.importers.convert import Conversion, convert_row
from tools.importers.diff import Plan, plan
from tools.importers.errors import (
    BadRows,
    ImportFailed,
    NotImported,
    RowError,
    RowProblem,
    write_problems,
)
from tools.importers.existing import all_users
from tools.importers.extras import load_rates, load_users, read_history, save_history
from tools.importers.folder import FilePlan, plan_files
from tools.importers.history import History
from tools.importers.owners import OwnerBook
from tools.importers.reader import ExportFile, read_export
from tools.importers.records import Record
from tools.importers.resolve import Resolver
from tools.importers.specs import ENTITY_ORDER, Entity, Source
from tools.importers.stage_map import build_stage_map
from tools.models import AuditSurface, Role, User
from tools.team.import_users import UsersImported
from tools.team.user_files import UsersFile


class Progress(Protocol):
    """Where a run reports how far it got (the CLI draws Rich bars)."""

    def start(self, label: str, total: int) -> None: ...

    def advance(self, n: int) -> None: ...


class NoProgress:
    def start(self, label: str, total: int) -> None:
        pass

    def advance(self, n: int) -> None:
        pass


@dataclass(frozen=True)
class ImportOptions:
    source: Source
    paths: tuple[Path, ...]
    now: datetime
    dry_run: bool = False
    skip_bad_rows: bool = False
    stage_map: Path | None = None
    currency: str = "USD"
    actor_email: str | None = None
    encoding: str | None = None  # None: detected per file
    errors_out: Path | None = None  # every bad row written here as CSV


@dataclass
class ImportReport:
    files: list[tuple[str, str, int]]  # file name, detected kind, data rows
    counts: dict[Entity, Plan] = field(default_factory=dict)
    skipped: list[RowProblem] = field(default_factory=list)
    warnings: Counter[str] = field(default_factory=Counter)
    written: Written | None = None
    missing_owners: Counter[str] = field(default_factory=Counter)
    plan: FilePlan = field(default_factory=FilePlan)
    rates: list[str] = field(default_factory=list)
    users: tuple[UsersFile, UsersImported] | None = None
    history: History = field(default_factory=History)
    run_id: str = ""
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        return sum(n for _, _, n in self.files)

    @property
    def changed(self) -> int:
        return sum(len(p.creates) + len(p.updates) for p in self.counts.values())

    def summary(self) -> dict[str, dict[str, int]]:
        return {
            e.value: {
                "created": len(p.creates),
                "updated": len(p.updates),
                "unchanged": p.unchanged,
            }
            for e, p in self.counts.items()
        }


def run_import(
    sessions: sessionmaker[Session], options: ImportOptions, progress: Progress | None = None
) -> ImportReport:
    """Import the files all or nothing; ImportFailed (nothing written) when that is refused."""
    progress = progress or NoProgress()
    started = time.perf_counter()
    if not options.paths:
        raise ImportFailed("Give at least one export file to import.")
    stages = build_stage_map(options.source, options.stage_map)
    plan = plan_files(options.source, options.paths, options.encoding)
    files = [read_export(path, options.source, options.encoding) for path in plan.records]
    conv = Conversion(options.source, stages, options.currency.upper())
    report = ImportReport([(f.name, f.spec.kind, len(f.rows)) for f in files], plan=plan)
    history = read_history(plan, files, conv, options.encoding)
    report.history = history
    records, problems = _convert(conv, files, progress, report.warnings)
    try:
        _resolve_and_write(sessions, options, records, problems, report, progress)
    except BadRows as exc:
        if options.errors_out is not None:
            write_problems(options.errors_out, exc.problems)
        raise
    except IntegrityError as exc:
        # Another import (or an edit) wrote one of these records between our read and write.
        raise ImportFailed(
            "The CRM changed while importing (another import running?); nothing was written. "
            f"Run the import again. Cause: {str(exc.orig).strip().splitlines()[0]}"
        ) from exc
    if options.errors_out is not None and report.skipped:
        write_problems(options.errors_out, report.skipped)
    if history and not options.dry_run:
        save_history(sessions, history)
    if report.written is not None:
        with sessions.begin() as session:
            refresh_statistics(session, report.changed)
    report.seconds = time.perf_counter() - started
    return report


def _people_and_rates(session: Session, options: ImportOptions, report: ImportReport) -> None:
    """Rates and people first, in the import's transaction: the records then find their
    owners, a dry run shows it all, and a refused import adds no one."""
    if report.plan.rates:
        report.rates = load_rates(session, report.plan.rates)
    if report.plan.users:
        report.users = load_users(session, report.plan.users, options.encoding, options.now)


def _resolve_and_write(
    sessions: sessionmaker[Session],
    options: ImportOptions,
    records: dict[Entity, list[Record]],
    problems: list[RowProblem],
    report: ImportReport,
    progress: Progress,
) -> None:
    with sessions() as session, session.begin():
        actor = _actor(session, options.actor_email)
        _people_and_rates(session, options, report)
        salesforce_users = {r.external_id: r.values["email"] for r in records.pop(Entity.OWNER, [])}
        resolver = Resolver(
            session,
            records,
            OwnerBook(all_users(session), salesforce_users),
            fallback_owner=actor.id if actor else None,
            fallback_label=actor.email if actor else "",
        )
        good = resolver.run()
        problems = sorted(problems + resolver.problems, key=lambda p: (p.file, p.row))
        if problems and not options.skip_bad_rows:
            raise BadRows(problems, resolver.missing_owners)
        report.skipped = problems
        report.missing_owners = resolver.missing_owners
        report.warnings.update(resolver.warnings)
        report.counts = {e: plan(good.get(e, []), resolver.existing[e]) for e in ENTITY_ORDER}
        if options.dry_run:
            session.rollback()
        elif report.changed:
            _write(session, report, options, actor, progress)


def _convert(
    conv: Conversion, files: list[ExportFile], progress: Progress, warnings: Counter[str]
) -> tuple[dict[Entity, list[Record]], list[RowProblem]]:
    records: dict[Entity, dict[str, Record]] = {}
    problems: list[RowProblem] = []
    progress.start("Reading rows", sum(len(f.rows) for f in files))
    for file in files:
        for row in file.iter_rows():
            if isinstance(row, RowError):
                problems.append(RowProblem(file.name, row.number, str(row)))  # type: ignore[attr-defined]
                continue
            try:
                record = convert_row(conv, file.spec, file.name, row)
            except RowError as exc:
                problems.append(RowProblem(file.name, row.number, str(exc)))
                continue
            except NotImported as exc:
                warnings[str(exc)] += 1
                continue
            _keep(records.setdefault(record.entity, {}), record, problems)
        progress.advance(len(file.rows))
    return {e: list(by_ext.values()) for e, by_ext in records.items()}, problems


def _keep(seen: dict[str, Record], record: Record, problems: list[RowProblem]) -> None:
    first = seen.get(record.external_id)
    if first is None:
        seen[record.external_id] = record
        return
    raw = record.external_id.split(":", 1)[-1]
    problems.append(
        RowProblem(
            record.file, record.row, f"id {raw!r} already appears in {first.file}, row {first.row}"
        )
    )


def _actor(session: Session, email: str | None) -> User | None:
    if email is None:
        return None
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise ImportFailed(f"--as {email}: no salesbot user has that email.")
    if user.role != Role.ADMIN:
        raise ImportFailed(
            f"--as {email}: {user.name} is a {user.role.value}; an import changes everyone's "
            "records, so it runs as an admin."
        )
    return user


def _write(
    session: Session,
    report: ImportReport,
    options: ImportOptions,
    actor: User | None,
    progress: Progress,
) -> None:
    progress.start("Writing records", report.changed)
    report.written = apply_plans(
        session,
        report.counts,
        now=options.now,
        actor_id=actor.id if actor else None,
        on_progress=progress.advance,
    )
    report.run_id = uuid.uuid4().hex[:12]
    _audit(session, report, options, actor)


def _audit(
    session: Session, report: ImportReport, options: ImportOptions, actor: User | None
) -> None:
    # One row per run that changed something; a re-import that changes nothing leaves no trace.
    after = {
        "source": options.source.value,
        "files": [name for name, _, _ in report.files],
        "counts": report.summary(),
        "skipped_rows": len(report.skipped),
    }
    write_audit(
        session,
        actor_id=actor.id if actor else None,
        action="import",
        entity="import",
        entity_id=report.run_id,
        change=(None, after),
        now=options.now,
        surface=AuditSurface.IMPORT,
    )
