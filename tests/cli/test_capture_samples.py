"""The README's "Try it on the samples": seed the demo, capture samples/capture/ as Dana with the
documented commands, and check where each item went. A fresh clone's path, on both backends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from support.index_helpers import WordVectors
from typer.testing import CliRunner, Result

from bot.cli.app import app
from tools.models import OPEN_STAGES, Account, Activity, CaptureReview, Deal

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "capture"
DANA = "dana@demo.salesbot.dev"
# The README's commands, word for word after `salesbot`.
COMMANDS = [
    ["capture", "email", "samples/capture/inbox.mbox", "--as", DANA],
    ["capture", "calendar", "samples/capture/calendar.ics", "--as", DANA, "--days", "3650"],
    [
        "capture", "transcript", "samples/capture/quarry_health_call.vtt", "--as", DANA,
        "--with", "emily.park@quarryhealth.example", "--at", "2026-11-25 16:00",
    ],
]  # fmt: skip
EXPECTED = {  # subject -> account; every one of them is Dana's
    "Re: Renewal pricing": "Acme Corp",
    "Rollout plan for the flagship stores": "Mosaic Outfitters",
    "Security questionnaire": "Quarry Health",
    "Site survey dates": "Goldcrest Construction",
    "Atlas Labs weekly sync": "Atlas Labs",
    "Pinnacle Freight: sales team rollout kickoff": "Pinnacle Freight",
    "Call: quarry health call": "Quarry Health",
}


@pytest.fixture
def demo(db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A seeded demo CRM; the working directory holds `samples/` as a clone does."""
    (tmp_path / "samples").symlink_to(SAMPLES.parent)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("CHROMA_PATH", str(tmp_path / "chroma"))
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setattr("bot.services.LocalEmbeddings", WordVectors)
    seeded = salesbot("seed-demo")
    assert seeded.exit_code == 0, seeded.output
    return tmp_path


def salesbot(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def captured(sessions: sessionmaker[Session]) -> dict[str, list[tuple[Activity, Account]]]:
    with sessions() as session:
        rows = session.execute(
            select(Activity, Account)
            .join(Account, Account.id == Activity.account_id)
            .where(Activity.external_id.like("capture:%"))
        ).all()
    found: dict[str, list[tuple[Activity, Account]]] = {}
    for activity, account in rows:
        found.setdefault(activity.subject, []).append((activity, account))
    return found


def test_the_samples_land_where_the_readme_says(
    demo: Path, sessions: sessionmaker[Session]
) -> None:
    outputs = [salesbot(*command) for command in COMMANDS]
    for result in outputs:
        assert result.exit_code == 0, result.output
    assert "Left out 1 meeting(s) you declined" in outputs[1].stdout
    assert "send the SOC 2 report by Friday" in outputs[2].stdout  # offered as a task
    items = captured(sessions)
    assert {subject: {a.name for _, a in rows} for subject, rows in items.items()} == {
        subject: {account} for subject, account in EXPECTED.items()
    }
    assert len(items["Re: Renewal pricing"]) == 1  # its repeat in another label is skipped
    assert len(items["Atlas Labs weekly sync"]) == 4  # the recurring meeting, expanded
    assert "Forecast for Q4" not in items and "Pipeline review" not in items  # colleagues only
    assert "Lumen Capital quarterly business review" not in items  # declined
    [(renewal, _)] = items["Re: Renewal pricing"]
    assert "uplift" in renewal.body and "7% uplift" not in renewal.body  # the quote is cut
    [(rollout, _)] = items["Rollout plan for the flagship stores"]
    assert "<p>" not in rollout.body and "flagship stores" in rollout.body
    assert_deals_are_open_and_dana_s(sessions, [a for rows in items.values() for a, _ in rows])
    with sessions() as session:
        [waiting] = session.scalars(select(CaptureReview)).all()
    assert waiting.subject == "Introduction: Orbitfield fleet analytics"
    assert "Orbitfield" in salesbot("capture", "review", "--as", DANA).stdout

    for command in COMMANDS:  # a second run captures nothing new
        assert salesbot(*command).exit_code == 0
    assert {s: len(rows) for s, rows in captured(sessions).items()} == {
        s: len(rows) for s, rows in items.items()
    }
    with sessions() as session:
        assert len(session.scalars(select(CaptureReview)).all()) == 1

    asked = salesbot(
        "ask", "--as", DANA, "what did Quarry Health say about the SOC 2 report?", "--json"
    )
    assert asked.exit_code == 0, asked.output
    hits = [h for a in json.loads(asked.stdout)["artifacts"] for h in a.get("hits", [])]
    mine = {a.id for rows in items.values() for a, _ in rows}
    assert mine & {h["activity_id"] for h in hits}


def assert_deals_are_open_and_dana_s(
    sessions: sessionmaker[Session], activities: list[Activity]
) -> None:
    """Filed on the account's one open deal when it has one; never on someone else's."""
    with sessions() as session:
        for activity in activities:
            if activity.deal_id is None:
                continue
            deal = session.get(Deal, activity.deal_id)
            assert deal is not None and deal.account_id == activity.account_id
            assert deal.stage in OPEN_STAGES and deal.owner.email == DANA
