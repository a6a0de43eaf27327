"""`salesbot capture email|calendar|transcript|imap|review`: conversations into the history."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress
from rich.table import Table

from bot.agent.answer import Answer
from bot.agent.call_summary import summarize_call
from bot.agent.llm import build_llm
from bot.cli.common import console, database_errors, fail, services
from bot.cli.confirm import confirm_proposals
from bot.cli.index import STORE_HINT, index_ids, summary
from bot.cli.render import print_artifacts
from bot.cli.text import cells, markup, progress_columns
from bot.cli.writes import YesOption
from bot.services import Services
from tools.capture import CaptureReport, capture_items
from tools.capture.calendar import CalendarReader
from tools.capture.imap import ImapAccount, sync_imap
from tools.capture.items import BadItem, CaptureError, Item
from tools.capture.mail import read_mail_paths
from tools.capture.proposals import propose_next_steps
from tools.capture.review import dismiss_review, list_reviews, resolve_review
from tools.capture.speakers import speaker_addresses
from tools.capture.transcripts import (
    NextStep,
    Turn,
    next_steps,
    read_turns,
    summarize,
    transcript_item,
)
from tools.context import utc_now
from tools.interactions import SearchUnavailableError
from tools.principal import Principal, UnknownUserError, get_principal_by_email

capture_app = typer.Typer(
    help="Capture emails, meetings and call transcripts into the interaction history.",
    no_args_is_help=True,
)
AsOption = Annotated[
    str, typer.Option("--as", help="Email of the CRM user capturing (their scope applies).")
]
NoIndexOption = Annotated[
    bool, typer.Option("--no-index", help="Skip indexing; `salesbot index` adds them later.")
]
SHOWN_BAD = 10


def _bar() -> Progress:
    return Progress(*progress_columns(), console=console, transient=True)


def principal_of(svc: Services, email: str) -> Principal:
    with database_errors(svc), svc.sessions() as session:
        try:
            return get_principal_by_email(session, email)
        except UnknownUserError as exc:
            raise fail(f"{exc} Use the email of a user in the CRM.") from exc


def run_capture(
    svc: Services, principal: Principal, items: Iterable[Item | BadItem], *, no_index: bool
) -> CaptureReport:
    """Capture, print what happened, index the new activities; clean errors throughout."""
    try:
        with database_errors(svc), _bar() as bar:
            task = bar.add_task("Capturing", total=None)
            report = capture_items(
                svc.sessions,
                principal,
                items,
                now=utc_now(),
                on_progress=lambda n: bar.advance(task, n),
            )
    except CaptureError as exc:
        raise fail(str(exc)) from exc
    print_report(report)
    if report.activity_ids and not no_index:
        _index(svc, report.activity_ids)
    return report


def print_report(report: CaptureReport) -> None:
    table = Table("captured", "waiting for review", "internal (skipped)", "already captured")
    table.add_row(
        *cells(len(report.activity_ids), len(report.review_ids), report.internal, report.duplicates)
    )
    console.print(table)
    for bad in report.bad[:SHOWN_BAD]:
        console.print(markup("[yellow]skipped:[/yellow] {s}: {r}", s=bad.source, r=bad.reason))
    if len(report.bad) > SHOWN_BAD:
        console.print(markup("  ... and {n} more", n=len(report.bad) - SHOWN_BAD))
    rate = report.seen / report.seconds if report.seconds else 0.0
    console.print(
        markup(
            "Read {n} item(s) in {s:.1f}s ({rate:,.0f} items/s).",
            n=report.seen,
            s=report.seconds,
            rate=rate,
        )
    )
    if report.review_ids:
        console.print("See the unmatched ones with `salesbot capture review --as EMAIL`.")


def _index(svc: Services, activity_ids: list[int]) -> None:
    try:
        report = index_ids(svc, activity_ids)
    except SearchUnavailableError as exc:
        raise fail(
            "The items were captured, but the interaction search store cannot be opened; "
            f"{STORE_HINT}, then run `salesbot index`. Cause: {exc}"
        ) from exc
    console.print(summary(report, 0.0))


@capture_app.command("email")
def capture_email(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help=".eml files and .mbox archives.")],
    as_email: AsOption,
    no_index: NoIndexOption = False,
) -> None:
    """Capture emails from .eml files and .mbox archives (Gmail Takeout, Thunderbird)."""
    svc = services(ctx)
    principal = principal_of(svc, as_email)
    run_capture(svc, principal, _checked(read_mail_paths(paths)), no_index=no_index)


def _checked(items: Iterable[Item | BadItem]) -> Iterable[Item | BadItem]:
    # A missing file surfaces while reading; it becomes the one-line error, not a traceback.
    try:
        yield from items
    except CaptureError as exc:
        raise fail(str(exc)) from exc


@capture_app.command("calendar")
def capture_calendar(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help=".ics calendar files or exports.")],
    as_email: AsOption,
    days: Annotated[
        int, typer.Option("--days", min=1, help="How far back to capture meetings.")
    ] = 365,
    no_index: NoIndexOption = False,
) -> None:
    """Capture meetings from .ics files: recurring ones expanded, declined and internal skipped."""
    svc = services(ctx)
    principal = principal_of(svc, as_email)
    now = utc_now()
    reader = CalendarReader(principal.email, now - timedelta(days=days), now)
    run_capture(svc, principal, _checked(reader.read(paths)), no_index=no_index)
    if reader.declined or reader.cancelled:
        console.print(
            markup(
                "Left out {d} meeting(s) you declined and {c} cancelled.",
                d=reader.declined,
                c=reader.cancelled,
            )
        )


@capture_app.command("transcript")
def capture_transcript(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="A WebVTT (.vtt), SRT or plain-text transcript.")],
    as_email: AsOption,
    with_: Annotated[
        list[str] | None,
        typer.Option(
            "--with",
            help="Email of a participant (repeat); without it, speakers named exactly like "
            "one contact you can see.",
        ),
    ] = None,
    at: Annotated[
        datetime | None,
        typer.Option("--at", formats=["%Y-%m-%d %H:%M", "%Y-%m-%d"], help="When the call was."),
    ] = None,
    yes: YesOption = False,
    no_index: NoIndexOption = False,
) -> None:
    """Capture a call transcript with a summary; next steps said in it become task proposals."""
    svc = services(ctx)
    principal = principal_of(svc, as_email)
    try:
        turns = read_turns(path)
    except CaptureError as exc:
        raise fail(str(exc)) from exc
    when = (at or datetime.fromtimestamp(path.stat().st_mtime)).astimezone(UTC)
    summary, steps = _summary(svc, turns), next_steps(turns, when.date())
    addresses = with_ or _speakers(svc, principal, turns)
    item = transcript_item(path, turns, at=when, addresses=addresses, summary=summary, steps=steps)
    report = run_capture(svc, principal, [item], no_index=no_index)
    if summary:
        console.print(markup("Summary: {s}", s=" ".join(summary)))
    if steps and report.activity_ids:
        _offer_steps(svc, principal, steps, report.activity_ids[0], yes=yes)


def _speakers(svc: Services, principal: Principal, turns: list[Turn]) -> list[str]:
    """The participants' emails from the speakers' names, each match said out loud."""
    with database_errors(svc), svc.sessions() as session:
        found = speaker_addresses(session, principal, [t.speaker for t in turns])
    for name, email in found.items():
        console.print(markup("Speaker {n} is your contact {e}.", n=name, e=email))
    if not found:
        console.print("No speaker is named exactly like one of your contacts; give --with EMAIL.")
    return list(found.values())


def _summary(svc: Services, turns: list[Turn]) -> list[str]:
    """The LLM's summary when one is configured and answers; else the extractive one."""
    llm = build_llm(svc.settings) if svc.settings.llm_configured else None
    written = summarize_call(llm, [f"{t.speaker}: {t.text}" for t in turns]) if llm else None
    return [written] if written else summarize(turns)


def _offer_steps(
    svc: Services, principal: Principal, steps: list[NextStep], activity_id: int, *, yes: bool
) -> None:
    with database_errors(svc), svc.sessions.begin() as session:
        proposals = propose_next_steps(
            session,
            principal,
            steps,
            activity_id=activity_id,
            today=utc_now().date(),
            now=utc_now(),
        )
    answer = Answer(text="Next steps said in the call:", artifacts=[dict(p) for p in proposals])
    print_artifacts(console, answer.artifacts)
    confirm_proposals(svc, principal, answer, yes=yes)


@capture_app.command("imap")
def capture_imap(
    ctx: typer.Context,
    as_email: AsOption,
    folder: Annotated[
        str | None, typer.Option("--folder", help="The folder (default IMAP_FOLDER).")
    ] = None,
    no_index: NoIndexOption = False,
) -> None:
    """Sync a mailbox folder (IMAP_HOST, IMAP_USER, IMAP_PASSWORD): only what is new since
    the last run, never anything twice."""
    svc = services(ctx)
    s = svc.settings
    if not (s.imap_host and s.imap_user and s.imap_password):
        raise fail("Set IMAP_HOST, IMAP_USER and IMAP_PASSWORD (in .env) to sync a mailbox.")
    principal = principal_of(svc, as_email)
    account = ImapAccount(
        s.imap_host, s.imap_port, s.imap_user, s.imap_password, folder or s.imap_folder, s.imap_ssl
    )
    try:
        with database_errors(svc):
            result = sync_imap(svc.sessions, principal, account, now=utc_now())
    except CaptureError as exc:
        raise fail(str(exc)) from exc
    if result.restarted:
        console.print("The folder's UIDVALIDITY changed; it was read again from the start.")
    print_report(result.capture)
    console.print(
        markup(
            "Fetched {n} new message(s) from {m}; next sync starts after UID {u}.",
            n=result.fetched,
            m=account.mailbox,
            u=result.last_uid,
        )
    )
    if result.capture.activity_ids and not no_index:
        _index(svc, result.capture.activity_ids)


@capture_app.command("review")
def capture_review(
    ctx: typer.Context,
    as_email: AsOption,
    resolve: Annotated[
        int | None, typer.Option("--resolve", help="File this review item (its #).")
    ] = None,
    account: Annotated[
        str | None, typer.Option("--account", help="The account to file it under.")
    ] = None,
    deal: Annotated[
        str | None, typer.Option("--deal", help="The deal, when not the one open.")
    ] = None,
    dismiss: Annotated[
        int | None, typer.Option("--dismiss", help="Take this item off the list unfiled.")
    ] = None,
    no_index: NoIndexOption = False,
) -> None:
    """List the captured items no account matched; file one (--resolve N --account NAME) or
    dismiss it (--dismiss N)."""
    svc = services(ctx)
    principal = principal_of(svc, as_email)
    if resolve is not None:
        if not account:
            raise fail("--resolve needs --account NAME: the account the item belongs to.")
        activity_id = _decide(svc, principal, resolve, account, deal)
        console.print(markup("Filed #{n} under {a}.", n=resolve, a=account))
        if not no_index:
            _index(svc, [activity_id])
        return
    if dismiss is not None:
        _decide(svc, principal, dismiss, None, None)
        console.print(markup("Dismissed #{n}.", n=dismiss))
        return
    _print_reviews(svc, principal)


def _decide(
    svc: Services, principal: Principal, review_id: int, account: str | None, deal: str | None
) -> int:
    try:
        with database_errors(svc), svc.sessions.begin() as session:
            if account is None:
                dismiss_review(session, principal, review_id, now=utc_now())
                return 0
            return resolve_review(
                session, principal, review_id, account=account, deal=deal, now=utc_now()
            )
    except CaptureError as exc:
        raise fail(str(exc)) from exc


def _print_reviews(svc: Services, principal: Principal) -> None:
    with database_errors(svc), svc.sessions() as session:
        rows = list_reviews(session, principal)
    if not rows:
        console.print("Nothing waits for review.")
        return
    table = Table("#", "when", "kind", "subject", "participants", "why")
    for r in rows:
        when = r.occurred_at.strftime("%Y-%m-%d %H:%M")
        table.add_row(*cells(r.id, when, r.kind, r.subject, ", ".join(r.addresses), r.reason))
    console.print(table)
    console.print("File one: `salesbot capture review --as EMAIL --resolve N --account NAME`.")
