"""The issue's topic questions through Slack: signed events to the real Bolt endpoint, answers
posted to the local Slack Web API server, on the demo with the real offline model."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from support.fakes.slack_api import BOT_USER_ID, FakeSlackServer
from support.search_demo import EXAMPLES, SearchDemo, on_topic
from support.slack_harness import SlackHarness, blocks_json, make_harness

from bot.agent.runner import AgentRunner
from tools.principal import get_principal_by_email

pytestmark = pytest.mark.slow
ASKERS = sorted({email for email, _, _ in EXAMPLES})
SLACK_IDS = {email: "U" + email.split("@")[0].upper() for email in ASKERS}


@pytest.fixture
def demo_harness(search_demo: SearchDemo) -> Iterator[tuple[SlackHarness, AgentRunner]]:
    users = {uid: {"email": email, "name": uid.lower()} for email, uid in SLACK_IDS.items()}
    members = {f"C{uid}": [uid, BOT_USER_ID] for uid in SLACK_IDS.values()}
    runner = AgentRunner(search_demo.sessions, index=search_demo.index)
    with FakeSlackServer(users=users, members=members) as slack:
        for harness in make_harness(search_demo.sessions, slack, runner):
            yield harness, runner


@pytest.mark.parametrize(("email", "question", "topics"), EXAMPLES, ids=[e[1] for e in EXAMPLES])
def test_topic_questions_answered_on_topic_in_slack(
    search_demo: SearchDemo,
    demo_harness: tuple[SlackHarness, AgentRunner],
    email: str,
    question: str,
    topics: set[str],
) -> None:
    harness, runner = demo_harness
    uid = SLACK_IDS[email]
    harness.mention(uid, f"C{uid}", f"<@{BOT_USER_ID}> {question}")
    [reply] = harness.posted()
    shown = blocks_json(reply)
    with search_demo.sessions() as session:
        principal = get_principal_by_email(session, email)
    answer = runner.ask(principal, question)  # the same question, to know which rows it meant
    [artifact] = answer.artifacts
    hits = artifact["hits"]
    assert [h for h in hits if not on_topic(search_demo, h, topics)] == []
    summary = str(artifact["summary"])
    assert summary.split(":")[0] in reply["text"] + shown
    for hit in hits:
        assert hit["date"] in shown and hit["account"] in shown
