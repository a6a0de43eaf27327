"""Open deals past their close date are counted, added up and named in pipeline answers,
reviews and the digest (they used to vanish: "Open: 0 deals")."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker
from support.analytics_calls import call
from support.analytics_fixture import NOW, TODAY

from bot.agent.planner.compose import _pipeline
from bot.agent.planner.compose_manager import review
from bot.nudges.config import MANAGER_DIGEST, Due
from bot.nudges.digest import build_digest_blocks
from bot.nudges.digest_content import digest_content

OPEN = "('prospecting', 'qualification', 'proposal', 'negotiation')"


def overdue(crm: sessionmaker[Session], owners: tuple[int, ...]) -> tuple[int, Decimal, str]:
    """The independent figure: raw SQL over the fixture."""
    with crm() as session:
        count, total = session.execute(
            text(
                f"select count(*), coalesce(sum(amount), 0) from deals where stage in {OPEN} "
                f"and close_date < :today and owner_id in ({', '.join(map(str, owners))})"
            ),
            {"today": TODAY},
        ).one()
        oldest = session.execute(
            text(
                f"select name from deals where stage in {OPEN} and close_date < :today and "
                f"owner_id in ({', '.join(map(str, owners))}) order by close_date, id limit 1"
            ),
            {"today": TODAY},
        ).scalar()
    return int(count), Decimal(str(total)).quantize(Decimal("0.01")), str(oldest)


def test_pipeline_counts_and_names_past_due_deals(crm: sessionmaker[Session]) -> None:
    count, total, oldest = overdue(crm, (2, 3, 4))
    assert count > 0  # the fixture holds overdue open deals
    a = call(crm, "mia@x.test", "pipeline_summary", scope="team", period="next quarter")
    assert a["past_due"]["count"] == count
    assert Decimal(a["past_due"]["amount"]) == total
    assert a["past_due"]["deals"][0]["name"] == oldest
    answer = _pipeline(a)
    assert f"Past due: {count} open deal" in answer and oldest in answer


def test_review_and_digest_show_past_due(crm: sessionmaker[Session]) -> None:
    count, _, oldest = overdue(crm, (2, 3, 4))
    a = call(crm, "mia@x.test", "pipeline_review", scope="team", period="this quarter")
    assert a["past_due"]["count"] == count and oldest in review(a)
    content = digest_content(crm, Due(2, MANAGER_DIGEST, TODAY, "Mia Manager", "UTC", None), NOW)
    assert content is not None
    blocks = str(build_digest_blocks(content, manager_name="Mia Manager", local_date=TODAY))
    assert f"Past due: {count} open deal" in blocks


def test_a_rep_sees_only_their_own_past_due(crm: sessionmaker[Session]) -> None:
    count, _, _ = overdue(crm, (3,))
    a = call(crm, "rob@x.test", "pipeline_summary", scope="me")
    assert a["past_due"]["count"] == count
    assert {d["owner"] for d in a["past_due"]["deals"]} <= {"Rob Rep"}
