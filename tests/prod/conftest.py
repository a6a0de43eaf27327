"""Fixtures for the production-mode tests and fault drills: the fixture CRM and a fake Slack."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.crm_fixture import crm_file


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    path = tmp_path / "cwd"  # no .env here, so only the environment configures the process
    path.mkdir()
    return path


@pytest.fixture
def sqlite_crm_url(tmp_path: Path) -> str:
    """A SQLite file holding the fixture CRM, for tests that run `salesbot` as a process."""
    url = crm_file(tmp_path / "crm.db")
    return url
