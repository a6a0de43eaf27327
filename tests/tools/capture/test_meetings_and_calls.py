"""Meetings from .ics (recurring expanded, declined and internal skipped) and call transcripts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from support.capture_samples import ICS, SRT, VTT
from support.crm_fixture import NOW

from tools.capture import capture_items
from tools.capture.calendar import CalendarReader
from tools.capture.proposals import propose_next_steps
from tools.capture.transcripts import next_steps, read_turns, summarize, transcript_item
from tools.models import Activity, ActivityKind, PendingWrite
from tools.principal import get_principal_by_email


def test_recurring_meetings_expand_and_declined_or_internal_ones_are_skipped(
    capture_crm: sessionmaker[Session], tmp_path: Path
) -> None:
    path = tmp_path / "cal.ics"
    path.write_text(ICS)
    with capture_crm() as session:
        rob = get_principal_by_email(session, "rob@x.test")
    reader = CalendarReader("rob@x.test", NOW - timedelta(days=60), NOW)
    report = capture_items(capture_crm, rob, reader.read([path]), now=NOW)
    assert len(report.activity_ids) == 4 and report.internal == 1 and reader.declined == 1
    with capture_crm() as session:
        rows = session.scalars(select(Activity).where(Activity.kind == ActivityKind.MEETING))
        meetings = [a for a in rows if a.external_id and a.external_id.startswith("capture:")]
    assert {m.subject for m in meetings} == {"Acme weekly sync"}
    days = sorted(m.occurred_at.astimezone(UTC).date() for m in meetings)
    assert days == [date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23)]
    assert all(m.account_id == 1 for m in meetings) and "ana@acme.example" in meetings[0].body
    again = capture_items(capture_crm, rob, reader.read([path]), now=NOW)
    assert again.duplicates == 4 and again.activity_ids == []


def test_webvtt_turns_summary_and_next_steps_become_task_proposals(
    capture_crm: sessionmaker[Session], tmp_path: Path
) -> None:
    path = tmp_path / "umbrella_call.vtt"
    path.write_text(VTT)
    turns = read_turns(path)
    assert [t.speaker for t in turns] == ["Uma Umbrella", "Rob Rep"]
    at = datetime(2026, 11, 24, 16, tzinfo=UTC)
    steps = next_steps(turns, at.date())
    assert [s.due for s in steps] == [date(2026, 11, 27)]
    assert "SOC 2 report by Friday" in steps[0].said
    summary = summarize(turns)
    assert summary and all(s in " ".join(t.text for t in turns) for s in summary)
    item = transcript_item(
        path, turns, at=at, addresses=["uma@umbrella.example"], summary=summary, steps=steps
    )
    with capture_crm() as session:
        rob = get_principal_by_email(session, "rob@x.test")
    report = capture_items(capture_crm, rob, [item], now=NOW)
    [activity_id] = report.activity_ids
    with capture_crm.begin() as session:
        call = session.get(Activity, activity_id)
        assert call is not None and (call.account_id, call.deal_id) == (4, 2)
        assert "Rob Rep: Understood." in call.body and "Next steps:" in call.body
        [proposal] = propose_next_steps(
            session, rob, steps, activity_id=activity_id, today=NOW.date(), now=NOW
        )
    assert proposal["status"] == "proposed"
    with capture_crm() as session:
        stored = session.scalars(select(PendingWrite)).one()
    assert stored.action == "create_task" and stored.payload["deal_id"] == 2
    assert stored.payload["due_date"] == "2026-11-27"


def test_srt_and_plain_text_keep_speakers(tmp_path: Path) -> None:
    srt = tmp_path / "acme.srt"
    srt.write_text(SRT)
    [turn] = read_turns(srt)
    assert turn.speaker == "Ana Acme" and "board reviews pricing" in turn.text
    plain = tmp_path / "notes.txt"
    plain.write_text("[00:01] Rob Rep: Hello there.\n[00:02] Ana Acme: Hi Rob.\n")
    assert [t.speaker for t in read_turns(plain)] == ["Rob Rep", "Ana Acme"]
