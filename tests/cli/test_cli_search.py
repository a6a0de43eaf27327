"""The issue's topic questions through `salesbot ask`: on-topic answers, no padding, the
sentence first. Each hit is checked against the demo generator's topic of it."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from support.search_demo import EXAMPLES, SearchDemo, on_topic
from typer.testing import CliRunner

from bot.cli.app import app
from tools.models import Account, Activity

pytestmark = pytest.mark.slow


@pytest.fixture
def cli(search_demo: SearchDemo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> SearchDemo:
    monkeypatch.chdir(tmp_path)  # away from any .env
    monkeypatch.setenv("DATABASE_URL", search_demo.url)
    monkeypatch.setenv("CHROMA_PATH", str(search_demo.chroma))
    monkeypatch.setenv("EMBEDDINGS", "local")
    monkeypatch.setenv("COLUMNS", "160")
    return search_demo


def ask(email: str, question: str) -> dict:
    result = CliRunner().invoke(app, ["ask", "--as", email, question, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize(("email", "question", "topics"), EXAMPLES, ids=[e[1] for e in EXAMPLES])
def test_topic_questions_reach_the_history_on_topic(
    cli: SearchDemo, email: str, question: str, topics: set[str]
) -> None:
    answer = ask(email, question)
    [artifact] = answer["artifacts"]
    assert artifact["type"] == "interactions", answer["text"]
    hits = artifact["hits"]
    assert [h for h in hits if not on_topic(cli, h, topics)] == []
    # The sentence first: how many matched, or that nothing did and what was searched.
    if hits:
        assert answer["text"].startswith(f"{len(hits)} "), answer["text"]
    else:
        assert answer["text"].startswith("No interactions mention"), answer["text"]


def test_an_account_with_such_interactions_gets_them_all(cli: SearchDemo) -> None:
    # The demo's rows depend on its day: take a topic Acme has interactions about today.
    acme = acme_topics(cli)
    topic, word = next((t, w) for t, w in WORDS.items() if acme.get(t))
    answer = ask("dana@demo.salesbot.dev", f"what did Acme say about {word}?")
    hits = answer["artifacts"][0]["hits"]
    ids = {h["activity_id"] for h in hits} | {i for h in hits for i in h["similar_ids"]}
    # Every one the generator wrote about the topic, and nothing off it ("They are on a cheaper
    # competitor today" in an intro is on it).
    assert ids >= acme[topic]
    assert [h for h in hits if not on_topic(cli, h, {topic})] == []
    assert answer["text"].startswith(f"{len(hits)} ")
    assert "Acme Corp" in answer["text"]


WORDS = {"competitor": "competitors", "pricing": "pricing", "security": "security",
         "budget": "budget", "procurement": "procurement", "onboarding": "onboarding"}  # fmt: skip


def acme_topics(demo: SearchDemo) -> dict[str, set[int]]:
    with demo.sessions() as session:
        ids = session.scalars(
            select(Activity.id).join(Account, Account.id == Activity.account_id)
            .where(Account.name == "Acme Corp")
        ).all()  # fmt: skip
    found: dict[str, set[int]] = {}
    for i in ids:
        found.setdefault(demo.topics[i], set()).add(i)
    return found


def test_recently_means_the_last_thirty_days_newest_first(cli: SearchDemo) -> None:
    answer = ask("dana@demo.salesbot.dev", "Did any customer mention a competitor recently?")
    days = [date.fromisoformat(h["date"]) for h in answer["artifacts"][0]["hits"]]
    assert all(day >= cli.today - timedelta(days=31) for day in days)
    assert days or answer["text"].startswith("No interactions mention competitor")
    assert days == sorted(days, reverse=True)
