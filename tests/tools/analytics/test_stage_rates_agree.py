"""A team's stage win rates are the same figures wherever they are shown."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy.orm import Session, sessionmaker
from support.analytics_calls import call
from support.analytics_fixture import NOW, TODAY

from bot.nudges.config import MANAGER_DIGEST, Due
from bot.nudges.digest_content import digest_content
from tools.crm.win_rates import DEFAULT_WIN_RATES


def _rates(artifact: dict[str, object]) -> dict[str, str]:
    rows = artifact["by_stage"]
    assert isinstance(rows, list) and rows
    return {row["stage"]: row["win_rate_pct"] for row in rows}


@pytest.mark.parametrize(
    ("email", "scope"), [("mia@x.test", "team"), ("rob@x.test", "me"), ("ada@x.test", "team")]
)
def test_pipeline_summary_and_weekly_review_give_the_same_stage_rates(
    crm: sessionmaker[Session], email: str, scope: str
) -> None:
    args = {"scope": scope, "period": "this quarter"}
    summary = _rates(call(crm, email, "pipeline_summary", **args))
    review = _rates(call(crm, email, "pipeline_review", **args))
    assert summary == review
    # The scope's own history moved the rates off the built-in defaults: a real comparison.
    defaults = {
        str(s): str((r * 100).quantize(Decimal("0.1"))) for s, r in DEFAULT_WIN_RATES.items()
    }
    assert summary != defaults


def test_the_monday_digest_shows_the_pipeline_summarys_stage_rates(
    crm: sessionmaker[Session],
) -> None:
    content = digest_content(crm, Due(2, MANAGER_DIGEST, TODAY, "Mia Manager", "UTC", None), NOW)
    assert content is not None
    summary = call(crm, "mia@x.test", "pipeline_summary", scope="team", period="this quarter")
    assert _rates(content.review) == _rates(summary)
