"""Emails captured into activities: matched by contact or domain, never guessed, once only."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from support.capture_samples import sample_messages, write_mbox
from support.crm_fixture import NOW

from tools.capture import capture_items
from tools.capture.items import CaptureError
from tools.capture.mail import read_mail_paths
from tools.capture.match import NO_ACCOUNT
from tools.capture.review import dismiss_review, list_reviews, resolve_review
from tools.models import Activity, CaptureReview
from tools.nudge_engine import compute_nudges
from tools.principal import Principal, get_principal_by_email


def as_user(sessions: sessionmaker[Session], email: str) -> Principal:
    with sessions() as session:
        return get_principal_by_email(session, email)


def captured(sessions: sessionmaker[Session]) -> dict[str, Activity]:
    with sessions() as session:
        rows = session.scalars(select(Activity).where(Activity.external_id.like("capture:%")))
        return {a.subject: a for a in rows}


def test_mbox_matches_contacts_domains_and_the_one_open_deal(
    capture_crm: sessionmaker[Session], tmp_path: Path
) -> None:
    box = write_mbox(tmp_path / "takeout.mbox", sample_messages())
    rob = as_user(capture_crm, "rob@x.test")
    report = capture_items(capture_crm, rob, read_mail_paths([box]), now=NOW)
    assert len(report.activity_ids) == 3 and len(report.review_ids) == 2
    assert report.internal == 1 and report.duplicates == 0
    rows = captured(capture_crm)
    pricing = rows["Re: pricing"]
    # Acme has two open deals: the account, no deal; the quoted reply is gone.
    assert (pricing.account_id, pricing.deal_id) == (1, None)
    assert pricing.contact_id is not None and "old quote" not in pricing.body
    assert "We can sign if the price drops 10%." in pricing.body
    security = rows["Pilot security"]
    assert (security.account_id, security.deal_id) == (4, 2)  # Umbrella's one open deal
    assert "soc2-summary.pdf" in security.body and "Sales" not in security.body
    intro = rows["Intro from procurement"]
    assert (intro.account_id, intro.contact_id) == (1, None)  # by the company's domain
    assert all(a.user_id == rob.user_id for a in rows.values())


def test_unmatched_and_out_of_scope_wait_for_review_worded_alike(
    capture_crm: sessionmaker[Session], tmp_path: Path
) -> None:
    box = write_mbox(tmp_path / "a.mbox", sample_messages())
    rob = as_user(capture_crm, "rob@x.test")
    capture_items(capture_crm, rob, read_mail_paths([box]), now=NOW)
    with capture_crm() as session:
        waiting = list_reviews(session, rob)
        assert {r.subject for r in waiting} == {"Hi", "Data"}  # Initech is Otto's: not Rob's
        assert {r.reason for r in waiting} == {NO_ACCOUNT}
        assert list_reviews(session, as_user(capture_crm, "rita@x.test")) == []
        assert len(list_reviews(session, as_user(capture_crm, "ada@x.test"))) == 2
    hi = next(r for r in waiting if r.subject == "Hi")
    data = next(r for r in waiting if r.subject == "Data")
    with capture_crm.begin() as session, pytest.raises(CaptureError, match="No account 'Init"):
        resolve_review(session, rob, data.id, account="Initech", deal=None, now=NOW)
    with capture_crm.begin() as session:
        activity_id = resolve_review(
            session, rob, hi.id, account="Umbrella Health", deal=None, now=NOW
        )
        dismiss_review(session, rob, data.id, now=NOW)
    with capture_crm() as session:
        filed = session.get(Activity, activity_id)
        assert filed is not None and (filed.account_id, filed.deal_id) == (4, 2)
        assert list_reviews(session, rob) == []
        statuses = set(session.scalars(select(CaptureReview.status)))
        assert statuses == {"resolved", "dismissed"}


def test_capturing_again_or_twice_in_one_archive_adds_nothing(
    capture_crm: sessionmaker[Session], tmp_path: Path
) -> None:
    messages = sample_messages()
    box = write_mbox(tmp_path / "dup.mbox", [*messages, messages[0]])  # Takeout repeats labels
    rob = as_user(capture_crm, "rob@x.test")
    first = capture_items(capture_crm, rob, read_mail_paths([box]), now=NOW)
    assert first.duplicates == 1 and len(first.activity_ids) == 3
    again = capture_items(capture_crm, rob, read_mail_paths([box]), now=NOW)
    assert again.activity_ids == [] and again.review_ids == []
    assert again.duplicates == 6 and again.internal == 1
    with capture_crm() as session:
        assert len(session.scalars(select(CaptureReview)).all()) == 2
    assert len(captured(capture_crm)) == 3


def test_a_promise_in_captured_mail_becomes_a_follow_up_nudge(
    capture_crm: sessionmaker[Session], tmp_path: Path
) -> None:
    box = write_mbox(tmp_path / "p.mbox", sample_messages())
    rob = as_user(capture_crm, "rob@x.test")
    report = capture_items(capture_crm, rob, read_mail_paths([box]), now=NOW)
    security_id = next(
        a.id for a in captured(capture_crm).values() if a.subject == "Pilot security"
    )
    assert security_id in report.activity_ids
    with capture_crm() as session:
        # One item per deal: the overdue close date would outrank the promise, so it is snoozed.
        snoozed = {rob.user_id: {"deal:2:close"}}
        nudges = compute_nudges(session, {rob.user_id: date(2026, 11, 30)}, snoozed=snoozed)
    keys = [n.key for n in nudges[rob.user_id]]
    assert f"deal:2:promise:{security_id}" in keys


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CaptureError, match="no such file"):
        list(read_mail_paths([tmp_path / "nope.mbox"]))
