"""Every import test starts from a CRM holding only the sample exports' users."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker
from support.import_samples import add_users


@pytest.fixture
def users(sessions: sessionmaker[Session]) -> dict[str, int]:
    with sessions.begin() as session:
        return add_users(session)
