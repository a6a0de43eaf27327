"""Capture tests run on the fixture CRM plus customer contacts on their own domains."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker
from support.capture_samples import add_contacts
from support.write_helpers import build_write_fixture


@pytest.fixture
def capture_crm(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    with sessions.begin() as session:
        build_write_fixture(session)  # PostgreSQL's sequences moved past the fixture's ids
        add_contacts(session)
    return sessions
