"""Review decisions in the tool layer: audited, once each, and only within the decider's scope."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker
from support.capture_samples import sample_messages, write_mbox
from support.write_helpers import NOW, audit_rows, principal

from tools.capture import capture_items
from tools.capture.choices import list_account_choices, list_deal_choices
from tools.capture.items import CaptureError
from tools.capture.mail import read_mail_paths
from tools.capture.review import (
    dismiss_review,
    file_review,
    list_reviews,
    resolve_review,
    review_status,
)
from tools.models import AuditSurface

SLACK = AuditSurface.SLACK


def waiting(capture_crm: sessionmaker[Session], tmp_path: Path) -> dict[str, int]:
    box = write_mbox(tmp_path / "a.mbox", sample_messages())
    rob = principal(capture_crm, "rob@x.test")
    capture_items(capture_crm, rob, read_mail_paths([box]), now=NOW)
    with capture_crm() as session:
        return {r.subject: r.id for r in list_reviews(session, rob)}


def test_a_cli_filing_is_audited_and_cannot_happen_twice(
    capture_crm: sessionmaker[Session], tmp_path: Path
) -> None:
    item = waiting(capture_crm, tmp_path)["Hi"]
    rob = principal(capture_crm, "rob@x.test")
    with capture_crm.begin() as session:
        activity = resolve_review(session, rob, item, account="Acme", deal=None, now=NOW)
    [audit] = audit_rows(capture_crm, entity="capture_review")
    assert audit.surface == AuditSurface.CLI and audit.after["activity_id"] == activity
    with pytest.raises(CaptureError), capture_crm.begin() as session:
        dismiss_review(session, rob, item, now=NOW)
    with capture_crm() as session:
        assert review_status(session, rob, item) == "resolved"
        assert review_status(session, principal(capture_crm, "rita@x.test"), item) is None


def test_filing_by_id_rechecks_scope(capture_crm: sessionmaker[Session], tmp_path: Path) -> None:
    item = waiting(capture_crm, tmp_path)["Data"]
    rob = principal(capture_crm, "rob@x.test")
    for account, deal in ((2, None), (1, 4)):  # Rita's Globex; Rita's Globex deal under Acme
        with pytest.raises(CaptureError), capture_crm.begin() as session:
            file_review(
                session, rob, item, account_id=account, deal_id=deal, now=NOW, surface=SLACK
            )
    assert audit_rows(capture_crm) == []


def test_choices_are_the_principals_accounts_and_open_deals(
    capture_crm: sessionmaker[Session],
) -> None:
    rob = principal(capture_crm, "rob@x.test")
    with capture_crm() as session:
        assert [n for _, n in list_account_choices(session, rob)] == [
            "Acme Corp",
            "Umbrella Health",
        ]
        assert list_account_choices(session, rob, "100%_") == []  # wildcards are literal
        deals = list_deal_choices(session, rob, account_id=1)
    assert deals and all(name.startswith("Acme") for _, name in deals)
    assert "Acme Corp – Renewal" not in {name for _, name in deals}  # closed won
