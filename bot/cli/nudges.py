"""`salesbot nudges`: preview what someone would get, send what is due now, backtest the model."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer
from rich.table import Table

from bot.cli.common import AS_OF_HELP, as_of_day, configure_logging, console, fail, services
from bot.cli.render import print_artifacts
from bot.cli.text import cells, echo_plain, markup
from bot.nudges import Due, NudgeConfig, SlackNudgeSender, run_due
from bot.nudges.digest_content import digest_content
from bot.services import Services
from bot.slack.app import build_client
from tools.context import utc_now
from tools.crm.deliveries import get_nudge_prefs, list_active_snoozes
from tools.models import Role
from tools.nudge_engine import backtest, compute_nudges, format_backtest
from tools.principal import Principal, UnknownUserError, get_principal_by_email

nudges_app = typer.Typer(
    help="Daily next-action nudges and the manager digest.", no_args_is_help=True
)
AsOfOption = Annotated[
    datetime | None, typer.Option("--as-of", formats=["%Y-%m-%d"], help=AS_OF_HELP)
]
DateOption = Annotated[
    str | None, typer.Option("--date", help="Their local day, YYYY-MM-DD (default: today).")
]


@nudges_app.command()
def preview(
    ctx: typer.Context,
    as_email: Annotated[str, typer.Option("--as", help="Email of the CRM user.")],
    day: DateOption = None,
    as_of: AsOfOption = None,
) -> None:
    """Print what this person would get: their nudges, or a manager's weekly digest."""
    svc = services(ctx, as_of=as_of_day(as_of))
    principal = _principal(svc, as_email)
    as_of_day_set = svc.settings.as_of
    local_date = _local_date(day, principal.timezone) if day or not as_of_day_set else as_of_day_set
    with svc.sessions() as session:
        prefs = get_nudge_prefs(session, principal.user_id)
    if principal.role == Role.REP:
        when = prefs.send_time or svc.settings.nudge_time
        days = ",".join(prefs.working_days) or "no day"
        schedule = f"daily nudge at {when} on {days}"
    else:
        schedule = "weekly digest on Mondays at 08:00"
    paused = " (paused)" if prefs.paused else ""
    header = markup(
        "[b]{name}[/b] on {day:%a %d %b %Y} ({zone}): {schedule}{paused}",
        name=principal.name,
        day=local_date,
        zone=principal.timezone,
        schedule=schedule,
        paused=paused,
    )
    console.print(header)
    if principal.role == Role.REP:
        _preview_nudges(svc, principal, local_date)
    elif principal.role == Role.MANAGER:
        _preview_digest(svc, principal, local_date)
    else:
        console.print("Admins get no scheduled messages.")


def _preview_nudges(svc: Services, principal: Principal, local_date: date) -> None:
    reps = {principal.user_id: local_date}
    with svc.sessions() as session:
        snoozed = list_active_snoozes(session, reps)
        nudges = compute_nudges(session, reps, snoozed=snoozed).get(principal.user_id, [])
    if not nudges:
        console.print("Nothing to do that day: no message would be sent.")
        return
    console.print(_items_table("Daily nudge", [n.to_dict() for n in nudges]))


def _preview_digest(svc: Services, principal: Principal, local_date: date) -> None:
    due = Due(principal.user_id, "manager_digest", local_date, principal.name, "", None)
    now = datetime.combine(local_date, NudgeConfig().digest_time, ZoneInfo(principal.timezone))
    content = digest_content(svc.sessions, due, now, svc.settings.reporting_currency)
    if content is None:
        console.print("No team: no digest would be sent.")
        return
    print_artifacts(console, [content.review, content.forecast])
    if content.risks.get("rows"):
        console.print(markup("[b]Top risks[/b]"))
        print_artifacts(console, [content.risks])
    else:
        console.print("No deal on the team looks at risk.")


def _items_table(title: str, items: list[dict[str, Any]], *, owner: bool = False) -> Table:
    table = Table(title=title, title_justify="left", show_lines=True)
    columns = ["#", "Action", "Reason", "Evidence", "Dated"] + (["Owner"] if owner else [])
    for col in columns:
        table.add_column(col)
    for number, item in enumerate(items, 1):
        keys = ["title", "reason", "evidence", "evidence_date"] + (["owner"] if owner else [])
        # cells(): a "[/]" or an ESC in a task or a note is shown, not obeyed.
        table.add_row(*cells(number, *(item.get(k) or "" for k in keys)))
    return table


@nudges_app.command("run")
def run_command(ctx: typer.Context) -> None:
    """Send every nudge and digest due now, once (safe beside running schedulers)."""
    svc = services(ctx)
    s = svc.settings
    configure_logging(s.log_level)
    if not s.slack_bot_token:
        raise fail("SLACK_BOT_TOKEN is not set. See README, 'Connect a real Slack workspace'.")
    sender = SlackNudgeSender(build_client(s))
    report = run_due(utc_now(), svc.sessions, sender, NudgeConfig.from_settings(s))
    counts = markup(
        "{r.due} due: {sent} sent, {recovered} found already sent, {skipped} skipped, "
        "{failed} failed.",
        r=report,
        sent=len(report.sent),
        recovered=len(report.recovered),
        skipped=len(report.skipped),
        failed=len(report.failed),
    )
    console.print(counts)
    for key, error in report.failed.items():
        console.print(markup("[red]failed[/red] {key}: {error}", key=key, error=error))
    if report.failed:
        raise typer.Exit(code=1)


@nudges_app.command("backtest")
def backtest_command(
    ctx: typer.Context,
    quarters: Annotated[int, typer.Option(help="How many past quarters to score.")] = 4,
    as_of: AsOfOption = None,
) -> None:
    """Print how well the win model would have predicted each past quarter."""
    svc = services(ctx, as_of=as_of_day(as_of))
    with svc.sessions() as session:
        rows = backtest(session, quarters, today=svc.clock().date())
    echo_plain(format_backtest(rows))


def _principal(svc: Services, email: str) -> Principal:
    with svc.sessions() as session:
        try:
            return get_principal_by_email(session, email)
        except UnknownUserError as exc:
            raise fail(str(exc)) from exc


def _local_date(day: str | None, timezone: str) -> date:
    if day:
        try:
            return date.fromisoformat(day)
        except ValueError as exc:
            raise fail(f"--date {day!r} is not a date; use YYYY-MM-DD.") from exc
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return utc_now().astimezone(zone).date()
