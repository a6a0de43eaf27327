"""`salesbot import hubspot|salesforce|csv|stripe PATH...`: an export in, all or nothing."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress, TaskID
from rich.table import Table

from bot.cli.billing import MappingOption, import_stripe
from bot.cli.common import console, fail, services
from bot.cli.index import STORE_HINT, index_ids, summary
from bot.cli.text import cells, markup, progress_columns
from bot.cli.users import print_users_report
from bot.services import Services
from tools.context import utc_now
from tools.importers import ImportFailed, ImportOptions, ImportReport, Source, run_import
from tools.importers.errors import group_problems, missing_owners_sentence
from tools.interactions import SearchUnavailableError

SHOWN_PROBLEMS = 20


def _bar() -> Progress:
    return Progress(*progress_columns(), console=console, transient=False)


class RichProgress:
    """The importer's progress hooks drawn as Rich bars, one per phase."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._task: TaskID | None = None

    def start(self, label: str, total: int) -> None:
        self._task = self._progress.add_task(label, total=total)

    def advance(self, n: int) -> None:
        if self._task is not None:
            self._progress.advance(self._task, n)


def import_command(
    ctx: typer.Context,
    source: Annotated[Source, typer.Argument(help="The export's format.")],
    paths: Annotated[
        list[Path], typer.Argument(help="Export files (CSV) in any order, or an export folder.")
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Report what would change; write nothing.")
    ] = False,
    skip_bad_rows: Annotated[
        bool, typer.Option("--skip-bad-rows", help="Import the good rows, report the bad ones.")
    ] = False,
    stage_map: Annotated[
        Path | None,
        typer.Option("--stage-map", help="CSV or JSON: your pipeline's stages -> salesbot's."),
    ] = None,
    currency: Annotated[
        str, typer.Option("--currency", help="Currency of amounts without one.")
    ] = "USD",
    as_email: Annotated[
        str | None,
        typer.Option("--as", help="Admin running the import; owns rows with unknown owners."),
    ] = None,
    no_index: Annotated[
        bool, typer.Option("--no-index", help="Skip re-indexing the imported interactions.")
    ] = False,
    encoding: Annotated[
        str | None,
        typer.Option("--encoding", help="The files' encoding (default: detected per file)."),
    ] = None,
    errors_out: Annotated[
        Path | None,
        typer.Option("--errors-out", help="Write every bad row (file, row, cause) to this CSV."),
    ] = None,
    customer_map: MappingOption = None,
) -> None:
    """Import HubSpot, Salesforce, generic CSV or Stripe billing exports; importing twice
    changes nothing."""
    if source is Source.STRIPE:
        import_stripe(ctx, paths, customer_map)
        return
    if not re.fullmatch(r"[A-Za-z]{3}", currency):
        raise fail(f"--currency {currency!r} is not a three-letter currency code such as USD.")
    svc = services(ctx)
    options = ImportOptions(
        source=source,
        paths=tuple(paths),
        now=utc_now(),
        dry_run=dry_run,
        skip_bad_rows=skip_bad_rows,
        stage_map=stage_map,
        currency=currency,
        actor_email=as_email,
        encoding=encoding,
        errors_out=errors_out,
    )
    try:
        with _bar() as bar:
            report = run_import(svc.sessions, options, RichProgress(bar))
    except ImportFailed as exc:
        raise fail(str(exc)) from exc
    _print_report(report, dry_run)
    if report.written and report.written.activity_ids and not no_index:
        _index(svc, report.written.activity_ids)


def _print_files(report: ImportReport, dry_run: bool) -> None:
    plan = report.plan
    if plan.skipped:
        console.print(markup("Skipped {n} file(s) salesbot does not read:", n=len(plan.skipped)))
        for name, why in plan.skipped:
            console.print(markup("  {name}: {why}", name=name, why=why))
    for line in report.rates:
        console.print(markup("Exchange rates, {line}.", line=line))
    if report.users is not None:
        found, done = report.users
        print_users_report(
            found.kind,
            len(found.people),
            done.summary(),
            found.skipped,
            done.problems,
            found.duplicates,
            dry_run=dry_run,
        )
    h = report.history
    if h:
        verb = "Would write" if dry_run else "Wrote"
        console.print(
            markup(
                "{verb} the history of {n} deal(s): {s} stage change(s) for {d} deal(s) rewritten, "
                "{f} field change(s).",
                verb=verb,
                n=len(set(h.stages) | set(h.fields)),
                s=h.stage_rows,
                d=h.deals_rewritten,
                f=h.field_rows,
            )
        )
    for group in group_problems(h.problems)[:SHOWN_PROBLEMS]:
        console.print(markup("  [yellow]history skipped[/yellow] {group}", group=group))


def _print_report(report: ImportReport, dry_run: bool) -> None:
    _print_files(report, dry_run)
    verbs = ("would create", "would update") if dry_run else ("created", "updated")
    table = Table("records", *verbs, "unchanged", title="Dry run" if dry_run else "")
    for entity, counts in report.summary().items():
        table.add_row(*cells(entity, *(counts[k] for k in ("created", "updated", "unchanged"))))
    console.print(table)
    # Warnings and bad rows quote the export's own cells: filled in by markup(), never obeyed.
    for warning, count in sorted(report.warnings.items()):
        console.print(markup("[yellow]warning:[/yellow] {count} {w}", count=count, w=warning))
    if report.missing_owners:
        sentence = missing_owners_sentence(report.missing_owners)
        console.print(markup("[yellow]warning:[/yellow] {s}", s=sentence))
    if report.skipped:
        console.print(markup("[yellow]Skipped {n} bad row(s):[/yellow]", n=len(report.skipped)))
        for group in group_problems(report.skipped)[:SHOWN_PROBLEMS]:
            console.print(markup("  {group}", group=group))
    rate = report.rows / report.seconds if report.seconds else 0.0
    done = "Checked" if dry_run else "Imported"
    summary = markup(
        "{done} {r.rows} rows from {files} file(s) in {r.seconds:.1f}s ({rate:,.0f} rows/s).{tail}",
        done=done,
        r=report,
        files=len(report.files),
        rate=rate,
        tail=" Nothing was written." if dry_run else "",
    )
    console.print(summary)
    if not dry_run and not report.changed:
        console.print("Everything was already up to date; nothing changed.")


def _index(svc: Services, activity_ids: list[int]) -> None:
    started = time.perf_counter()
    try:
        report = index_ids(svc, activity_ids)
    except SearchUnavailableError as exc:
        raise fail(
            "The records were imported, but the interaction search store cannot be opened; "
            f"{STORE_HINT}, then run `salesbot index`. Cause: {exc}"
        ) from exc
    console.print(summary(report, time.perf_counter() - started))
