"""Speakers matched to contacts by name: exactly one visible contact so named, or nobody."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session, sessionmaker
from support.write_helpers import principal

from tools.capture.directory import Directory
from tools.capture.items import Item
from tools.capture.match import NO_PARTICIPANTS, Unmatched, match_item
from tools.capture.speakers import speaker_addresses
from tools.models import ActivityKind, Contact

SPEAKERS = ["Rob Rep", "Uma  Umbrella", "Gus Globex", "Ana", "ana acme"]


def test_only_a_unique_exact_name_in_scope_counts(capture_crm: sessionmaker[Session]) -> None:
    with capture_crm() as session:
        rob = principal(capture_crm, "rob@x.test")
        # Gus is Rita's contact; "Ana" and "ana acme" are not her full name as written.
        assert speaker_addresses(session, rob, SPEAKERS) == {"Uma Umbrella": "uma@umbrella.example"}
        rita = principal(capture_crm, "rita@x.test")
        assert speaker_addresses(session, rita, SPEAKERS) == {"Gus Globex": "gus@globex.example"}


def test_a_name_two_contacts_share_matches_nobody(capture_crm: sessionmaker[Session]) -> None:
    with capture_crm.begin() as session:
        session.add(Contact(account_id=1, name="Uma Umbrella", email="uma@acme.example"))
    with capture_crm() as session:
        assert speaker_addresses(session, principal(capture_crm, "rob@x.test"), SPEAKERS) == {}


def test_an_item_with_no_participants_waits_for_review(
    capture_crm: sessionmaker[Session],
) -> None:
    call = Item(
        key="k", kind=ActivityKind.CALL, occurred_at=datetime(2026, 11, 24, tzinfo=UTC),
        subject="Call", body="...", addresses=(), source="transcript call.vtt",
    )  # fmt: skip
    with capture_crm() as session:
        directory = Directory(session, principal(capture_crm, "rob@x.test"))
        assert match_item(directory, call) == Unmatched(NO_PARTICIPANTS)
