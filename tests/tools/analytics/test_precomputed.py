"""Large scopes' slow analytics answers are kept, read back labelled, refreshed in the
background, and never read by anyone whose scope differs; small or quick ones stay live."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker
from support.analytics_fixture import NOW, Fixture, insert
from support.postgres import backend_url
from typer.testing import CliRunner

from bot.cli.app import app
from bot.services import Services
from bot.settings import Settings
from tools.analytics import precomputed
from tools.analytics.precomputed import SnapshotPolicy, current_policy
from tools.analytics.refresh import refresh_due
from tools.analytics_tools import make_analytics_tools
from tools.artifact_json import dumps, loads
from tools.context import ToolContext
from tools.db import make_engine, session_factory, upgrade
from tools.models import AnalyticsSnapshot, Deal
from tools.principal import get_principal_by_email

TOOLS = ["pipeline_review", "forecast", "rep_kpis", "deal_risks"]
# Everyone's scope (the admin's six owners) is large here; Mia's team of three is not.
POLICY = SnapshotPolicy(minutes=15, slow_seconds=0, min_owners=4)
ADMIN, MANAGER = "ada@x.test", "mia@x.test"


@pytest.fixture(params=["sqlite", "postgresql"])
def crm_w(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, fx: Fixture
) -> Iterator[sessionmaker[Session]]:
    """The analytics fixture CRM, a copy of its own for each test (these tests write)."""
    with backend_url(request, tmp_path_factory.mktemp("snap"), "salesbot_snapshots") as url:
        engine = make_engine(url)
        upgrade(engine)
        sessions = session_factory(engine)
        with sessions.begin() as session:
            insert(session, fx)
        yield sessions
        engine.dispose()


def ask(
    sessions: sessionmaker[Session],
    email: str,
    tool: str,
    at: datetime,
    policy: SnapshotPolicy = POLICY,
    **args: Any,
) -> dict[str, Any]:
    with sessions() as session:
        principal = get_principal_by_email(session, email)
    ctx = ToolContext(principal, sessions, None, lambda: at, snapshots=policy)
    tools = {t.name: t for t in make_analytics_tools(ctx)}
    message = tools[tool].invoke({"type": "tool_call", "id": "t", "name": tool, "args": args})
    return message.artifact  # type: ignore[no-any-return]


def kept_rows(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(AnalyticsSnapshot)) or 0


def grow_every_deal(sessions: sessionmaker[Session]) -> None:
    """A write every one of the four tools sees: every deal, open or won, doubles."""
    with sessions.begin() as session:
        session.execute(update(Deal).values(amount=Deal.amount * 2))


def without_note(artifact: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in artifact.items() if k != "note"}


@pytest.mark.parametrize("tool", TOOLS)
def test_every_analytics_artifact_is_stored_and_read_back_exactly(
    crm: sessionmaker[Session], tool: str
) -> None:
    artifact = ask(crm, ADMIN, tool, NOW, SnapshotPolicy(minutes=0))
    assert loads(dumps(artifact)) == artifact
    # Types survive, not only values: a Decimal is not a float, a date not a string.
    assert dumps(loads(dumps(artifact))) == dumps(artifact)


@pytest.mark.parametrize("tool", TOOLS)
def test_a_large_scope_is_kept_read_back_labelled_and_live_again_once_it_expires(
    crm_w: sessionmaker[Session], tool: str
) -> None:
    first = ask(crm_w, ADMIN, tool, NOW)
    assert kept_rows(crm_w) == 1 and "Figures as of" not in (first["note"] or "")
    live_first = ask(crm_w, ADMIN, tool, NOW, SnapshotPolicy(minutes=0))
    grow_every_deal(crm_w)
    live_after = ask(crm_w, ADMIN, tool, NOW, SnapshotPolicy(minutes=0))
    assert without_note(live_after) != without_note(live_first)  # the write shows when live

    again = ask(crm_w, ADMIN, tool, NOW + timedelta(minutes=10))
    assert without_note(again) == without_note(first)  # kept: the figures of 15:00
    assert "Figures as of 2026-11-26 15:00 UTC" in again["note"]
    assert "refreshed every 15 minutes" in again["note"]

    expired = ask(crm_w, ADMIN, tool, NOW + timedelta(minutes=16))
    assert without_note(expired) == without_note(live_after)
    assert "Figures as of" not in (expired["note"] or "")


def test_a_small_scope_or_a_quick_answer_is_never_kept(crm_w: sessionmaker[Session]) -> None:
    ask(crm_w, MANAGER, "forecast", NOW)  # three owners: below min_owners
    assert kept_rows(crm_w) == 0
    ask(crm_w, ADMIN, "forecast", NOW, SnapshotPolicy())  # the defaults: this one is quick
    assert kept_rows(crm_w) == 0


def test_a_kept_answer_is_read_only_by_askers_of_the_same_scope(
    crm_w: sessionmaker[Session],
) -> None:
    everyone = SnapshotPolicy(minutes=15, slow_seconds=0, min_owners=0)
    admin = ask(crm_w, ADMIN, "rep_kpis", NOW, everyone)
    team = ask(crm_w, MANAGER, "rep_kpis", NOW + timedelta(minutes=1), everyone)
    rep = ask(crm_w, "rob@x.test", "rep_kpis", NOW + timedelta(minutes=1), everyone, scope="team")
    assert admin["data_owner_ids"] == [1, 2, 3, 4, 5, 6]
    assert team["data_owner_ids"] == [2, 3, 4] and rep["data_owner_ids"] == [3]
    assert {r["name"] for r in team["rows"]} == {"Rob Rep", "Rita Rep"}
    assert kept_rows(crm_w) == 3  # one per scope, none shared


def test_the_refresh_recomputes_what_is_about_to_expire_once(
    crm_w: sessionmaker[Session],
) -> None:
    first = ask(crm_w, ADMIN, "pipeline_review", NOW)
    grow_every_deal(crm_w)
    early = NOW + timedelta(minutes=5)
    assert refresh_due(crm_w, lambda: early, POLICY, "USD") == 0  # not near expiry yet
    later = NOW + timedelta(minutes=12)
    assert refresh_due(crm_w, lambda: later, POLICY, "USD") == 1
    assert refresh_due(crm_w, lambda: later, POLICY, "USD") == 0  # done: fresh again
    read = ask(crm_w, ADMIN, "pipeline_review", NOW + timedelta(minutes=20))
    live = ask(crm_w, ADMIN, "pipeline_review", NOW, SnapshotPolicy(minutes=0))
    assert "Figures as of 2026-11-26 15:12 UTC" in read["note"]
    assert without_note(read) == without_note(live) != without_note(first)


def test_another_instances_refresh_is_left_alone(crm_w: sessionmaker[Session]) -> None:
    ask(crm_w, ADMIN, "deal_risks", NOW)
    later = NOW + timedelta(minutes=12)
    with crm_w.begin() as session:  # another instance claimed it a minute ago
        session.execute(update(AnalyticsSnapshot).values(refreshing_until=later + timedelta(10)))
    assert refresh_due(crm_w, lambda: later, POLICY, "USD") == 0


def test_the_setting_turns_keeping_off() -> None:
    Services(Settings(_env_file=None, ANALYTICS_SNAPSHOT_MINUTES=0))  # type: ignore[call-arg]
    assert current_policy().minutes == 0
    Services(Settings(_env_file=None))  # type: ignore[call-arg]
    assert current_policy().minutes == 15


def test_the_cli_lists_refreshes_and_clears_kept_answers(
    crm_w: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`salesbot snapshots` for a deployment without serve's scheduler (cron runs `refresh`)."""
    monkeypatch.setattr(precomputed, "_policy", POLICY)  # the settings only set its minutes
    monkeypatch.chdir(tmp_path)  # no .env here
    url = crm_w.kw["bind"].url.render_as_string(hide_password=False)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("COLUMNS", "200")
    ask(crm_w, ADMIN, "deal_risks", NOW)
    grow_every_deal(crm_w)

    listed = CliRunner().invoke(app, ["snapshots", "list", "--as-json"])
    assert listed.exit_code == 0, listed.output
    [row] = json.loads(listed.output)["snapshots"]
    assert row["tool"] == "deal_risks" and row["user"] == "Ada Admin"
    assert row["computed_at"] == "2026-11-26T15:00:00"

    with time_machine.travel(NOW + timedelta(minutes=12), tick=False):
        refreshed = CliRunner().invoke(app, ["snapshots", "refresh"])
        assert refreshed.exit_code == 0, refreshed.output
        assert "Refreshed 1 kept answer." in refreshed.output
        table = CliRunner().invoke(app, ["snapshots", "list"])
    assert "deal_risks" in table.output and "2026-11-26 15:12" in table.output

    cleared = CliRunner().invoke(app, ["snapshots", "clear"])
    assert cleared.exit_code == 0 and "Dropped 1 kept answer." in cleared.output
    assert kept_rows(crm_w) == 0
