"""The Monday digest is the team's pipeline review, forecast and top risks, as the tools say."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker
from support.analytics_calls import call
from support.analytics_fixture import NOW, TODAY

from bot.charts import HEIGHT_PX, WIDTH_PX
from bot.nudges.config import MANAGER_DIGEST, Due
from bot.nudges.content import digest_message
from bot.nudges.digest import build_digest_blocks, digest_fallback_text
from bot.nudges.digest_content import TOP_RISKS, digest_content
from tools.crm.money import format_money


def _due(user_id: int, name: str) -> Due:
    return Due(user_id, MANAGER_DIGEST, TODAY, name, "UTC", None)


def test_digest_content_is_the_tools_artifacts_for_the_team(crm: sessionmaker[Session]) -> None:
    content = digest_content(crm, _due(2, "Mia Manager"), NOW)
    assert content is not None
    team = {"scope": "team", "period": "this quarter"}
    assert content.review == call(crm, "mia@x.test", "pipeline_review", **team)
    assert content.forecast == call(crm, "mia@x.test", "forecast", **team)
    assert content.risks == call(crm, "mia@x.test", "deal_risks", scope="team", limit=TOP_RISKS)
    assert content.review["data_owner_ids"] == [2, 3, 4]


def test_digest_blocks_show_pipeline_forecast_and_risks(crm: sessionmaker[Session]) -> None:
    content = digest_content(crm, _due(2, "Mia Manager"), NOW)
    assert content is not None
    blocks = build_digest_blocks(content, manager_name="Mia Manager", local_date=TODAY)
    text = str(blocks)
    assert "Team pipeline this quarter" in text and "*Forecast:*" in text
    assert format_money(content.forecast["expected"]) in text
    assert "Top risks" in text
    for row in content.risks["rows"]:
        assert row["name"] in text and row["risks"][0]["text"] in text
    assert "Mia Manager's team" in digest_fallback_text(content, local_date=TODAY)


def test_no_digest_for_someone_without_reports(crm: sessionmaker[Session]) -> None:
    assert digest_content(crm, _due(3, "Rob Rep"), NOW) is None
    assert digest_content(crm, _due(99, "Nobody"), NOW) is None


def test_digest_message_carries_the_reviews_pipeline_chart(crm: sessionmaker[Session]) -> None:
    message = digest_message(crm, _due(2, "Mia Manager"), NOW, limit=5)
    assert message is not None
    [chart] = message.charts
    assert chart.name == "pipeline_by_stage"
    assert chart.png.startswith(b"\x89PNG\r\n\x1a\n")
    # The PNG header's width and height (IHDR) are the promised 1200x675.
    assert int.from_bytes(chart.png[16:20], "big") == WIDTH_PX == 1200
    assert int.from_bytes(chart.png[20:24], "big") == HEIGHT_PX == 675
    # Its alt text carries the review's own figures, so the chart shows the artifact's numbers.
    for stage in message.items[0]["by_stage"]:
        if stage["count"]:
            assert str(stage["count"]) in chart.alt
