"""The demo CRM with its search index built by the real offline model, and its topic oracle.

Seeded at the real today, so "recently" means the same to the demo and to the CLI's clock.
Every hit an example question returns is checked against the generator's own topic of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, sessionmaker

from tools.database_id import read_database_id
from tools.db import make_engine, session_factory, upgrade
from tools.demo.phrases import COMPETITORS
from tools.demo.seed import seed_demo
from tools.demo.topics import demo_topics
from tools.embeddings import LocalEmbeddings
from tools.indexing import index_activities
from tools.interactions import InteractionIndex, open_client
from tools.models import Account, Activity, User

# (asker, question, the generator topics an on-topic hit may have) - the examples.
EXAMPLES = [
    ("jamal@demo.salesbot.dev", "is Pinnacle Pharma looking at competitors?", {"competitor"}),
    ("sofia@demo.salesbot.dev", "any org changes at quicksilver?", {"champion"}),
    ("lukas@demo.salesbot.dev", "where are we on the ridgeway security review", {"security"}),
    ("ethan@demo.salesbot.dev", "did Kestrel Analytics ask for our soc 2?", {"security"}),
    ("ethan@demo.salesbot.dev", "who is our champion at Soylent", {"champion"}),
    ("dana@demo.salesbot.dev", "what did Acme say about pricing?", {"pricing"}),
    ("dana@demo.salesbot.dev", "Did any customer mention a competitor recently?", {"competitor"}),
]


NAMED = ("Pinnacle Pharma", "Quicksilver Manufacturing", "Ridgeway Construction",
         "Kestrel Analytics", "Soylent", "Acme Corp")  # fmt: skip
RECENT_DAYS = 31
RECENT_ASKER = "dana@demo.salesbot.dev"  # asks what customers said "recently"


@dataclass(frozen=True)
class SearchDemo:
    url: str
    chroma: Path
    today: date
    sessions: sessionmaker[Session]
    index: InteractionIndex
    topics: dict[int, str]  # activity id -> the topic the generator wrote it about


def build_search_demo(home: Path) -> SearchDemo:
    today = datetime.now(UTC).date()
    url = f"sqlite:///{home}/demo.db"
    engine = make_engine(url)
    upgrade(engine)
    sessions = session_factory(engine)
    with sessions.begin() as session:
        seed_demo(session, today=today)
    chroma = home / "chroma"
    index = InteractionIndex(
        open_client(str(chroma)), LocalEmbeddings(), read_database_id(sessions)
    )
    with sessions() as session:
        index_activities(session, index, ids=_indexed(session, today))
        ids = dict(session.execute(select(Activity.external_id, Activity.id)).tuples().all())
    truth = demo_topics(today=today)
    topics = {ids[ext]: topic for ext, topic in truth.items()}
    return SearchDemo(url, chroma, today, sessions, index, topics)


def _indexed(session: Session, today: date) -> list[int]:
    """The vectors the examples need: the named accounts' interactions and Dana's recent ones.

    Embedding all 4,000 takes minutes on a shared 2-core machine; full text covers every row.
    """
    since = datetime.combine(today - timedelta(days=RECENT_DAYS), time(), UTC)
    named = select(Account.id).where(Account.name.in_(NAMED))
    dana = select(User.id).where(User.email == RECENT_ASKER).scalar_subquery()
    recent = and_(Activity.user_id == dana, Activity.occurred_at >= since)
    query = select(Activity.id).where(or_(Activity.account_id.in_(named), recent))
    return list(session.scalars(query))


def on_topic(demo: SearchDemo, hit: dict[str, Any], topics: set[str]) -> bool:
    """The generator wrote it about one of `topics`, or its text names the topic ("They want to
    lock pricing" in a renewal email); for competitor questions, also any text the generator
    filled a competitor into ("They are on HubSpot today")."""
    if demo.topics[hit["activity_id"]] in topics:
        return True
    text = f"{hit['subject']} {hit['snippet']}"
    if any(topic in text.lower() for topic in topics):  # "lock pricing" in a renewal email
        return True
    return "competitor" in topics and any(name in text for name in COMPETITORS)
