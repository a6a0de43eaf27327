"""The demo CRM search is measured on, and its labeled questions.

    python -m benchmarks.relevance_data     # (re)writes benchmarks/labels/search_relevance.json

The demo is seeded with the fixed day TODAY; relevant ids come from the generator's own topic
of each interaction (tools/demo/topics.py), never from what search returns. A question's
relevant set is every interaction the asker may see whose topic is the question's, narrowed by
the account, contact, kind and dates the question names.
"""

from __future__ import annotations

import json
import random
import sys
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tools.db import make_engine, session_factory, upgrade
from tools.demo.seed import seed_demo
from tools.demo.topics import demo_topics
from tools.models import Account, Activity, Contact, Deal, Role, User

TODAY = date(2026, 11, 27)
LABELS = Path(__file__).parent / "labels" / "search_relevance.json"
DB_PATH = Path(__file__).parent / ".relevance" / "demo.db"  # made once, then reused
RECENT = TODAY - timedelta(days=30)

# A question's topic -> the generator topics that answer it, and words a rep uses for it.
TOPICS: dict[str, tuple[set[str], tuple[str, ...]]] = {
    "pricing": ({"pricing"}, ("pricing", "price", "discount", "the quote")),
    "competitor": ({"competitor"}, ("competitors", "the competition", "a competitor")),
    "security": ({"security"}, ("security", "the security review", "soc 2", "infosec")),
    "champion": ({"champion"}, ("our champion", "org changes", "the sponsor")),
    "legal": ({"legal"}, ("the MSA", "legal redlines", "contract terms", "liability")),
    "procurement": ({"procurement"}, ("procurement", "the PO", "vendor onboarding")),
    "budget": ({"budget"}, ("budget", "funding")),
    "onboarding": ({"onboarding"}, ("onboarding", "the rollout")),
    "expansion": ({"expansion"}, ("expansion", "more seats")),
    "renewal": ({"renewal"}, ("the renewal", "renewal terms")),
}
ACCOUNT_PHRASES = (
    "what did {account} say about {words}?",
    "has {account} raised {words}?",
    "did {account} mention {words}?",
    "any concerns about {words} at {account}?",
    "where are we on {words} with {account}?",
    "is {account} worried about {words}?",
    "what has {account} told us about {words}?",
    "did {account} ask about {words}?",
)
SPECIAL = {
    "competitor": ("is {account} looking at competitors?", "who else is {account} evaluating?"),
    "security": (
        "did {account} ask for our soc 2?",
        "where are we on the {account} security review",
    ),
    "champion": ("who is our champion at {account}?", "any org changes at {account}?"),
    "legal": ("did {account} send MSA redlines?", "where are we on the {account} contract"),
    "procurement": ("where is the PO for {account}?",),
    "pricing": ("did {account} push back on price?", "is {account} asking for a discount?"),
}
TEAM_PHRASES = (
    "did any customer mention {words} recently?",
    "any {words} concerns raised recently?",
    "what did customers say about {words} last month?",
    "latest on {words}",
)
CONTACT_PHRASES = ("what did {contact} say about {words}?",)
KIND_PHRASES = (
    "{kind}s from {account} about {words}",
    "what did {account} say about {words} in {kind}s?",
)


@dataclass(frozen=True)
class Row:
    id: int
    topic: str
    account: str
    account_id: int
    owner_id: int  # whose book: the deal's owner, else the account's
    contact: str | None
    kind: str
    day: date


def demo_sessions(path: Path = DB_PATH) -> sessionmaker[Session]:
    """The seeded demo database (made once, kept in benchmarks/.relevance)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    sessions = session_factory(engine)
    with sessions.begin() as session:
        seed_demo(session, today=TODAY)
    return sessions


def load_rows(session: Session) -> list[Row]:
    topics = demo_topics(today=TODAY)
    query = (
        select(Activity, Account.name, Deal.owner_id, Account.owner_id, Contact.name)
        .join(Account, Account.id == Activity.account_id)
        .outerjoin(Deal, Deal.id == Activity.deal_id)
        .outerjoin(Contact, Contact.id == Activity.contact_id)
    )
    return [
        Row(a.id, topics[a.external_id or ""], name, a.account_id, deal_owner or acc_owner,
            contact, str(a.kind), a.occurred_at.replace(tzinfo=UTC).date())
        for a, name, deal_owner, acc_owner, contact in session.execute(query).all()
    ]  # fmt: skip


def scopes(session: Session) -> dict[str, tuple[str, frozenset[int]]]:
    """Every rep and manager by email: (role, owner ids they see)."""
    users = session.execute(select(User.id, User.email, User.role, User.manager_id)).all()
    out = {}
    for uid, email, role, _ in users:
        if role == Role.REP:
            out[email] = ("rep", frozenset({uid}))
        elif role == Role.MANAGER:
            team = {u for u, _, _, m in users if m == uid}
            out[email] = ("manager", frozenset(team | {uid}))
    return out


def build_questions(
    rows: list[Row], users: dict[str, tuple[str, frozenset[int]]]
) -> list[dict[str, Any]]:
    rng = random.Random(20)
    questions: list[dict[str, Any]] = []

    def add(text: str, email: str, topic: str, keep: list[Row], kind: str) -> None:
        if keep:
            questions.append({
                "question": text, "as": email, "scope": users[email][0], "topic": topic,
                "kind": kind, "relevant": sorted(r.id for r in keep),
            })  # fmt: skip

    for email, (role, owners) in sorted(users.items()):
        mine = [r for r in rows if r.owner_id in owners]
        by_account: dict[str, list[Row]] = defaultdict(list)
        for r in mine:
            by_account[r.account].append(r)
        for topic, (truth, words) in TOPICS.items():
            on_topic = [r for r in mine if r.topic in truth]
            accounts = sorted({r.account for r in on_topic})
            if role in ("rep", "manager"):
                for account in rng.sample(accounts, min(2, len(accounts))):
                    phrase = rng.choice(ACCOUNT_PHRASES + SPECIAL.get(topic, ()))
                    text = phrase.format(account=account, words=rng.choice(words))
                    add(
                        text, email, topic, [r for r in on_topic if r.account == account], "account"
                    )
                withs = [r for r in on_topic if r.contact]
                if withs and rng.random() < 0.5:
                    r0 = rng.choice(withs)
                    text = CONTACT_PHRASES[0].format(contact=r0.contact, words=rng.choice(words))
                    keep = [
                        r for r in on_topic if r.contact == r0.contact and r.account == r0.account
                    ]
                    add(text, email, topic, keep, "contact")
                if accounts and rng.random() < 0.4:
                    account = rng.choice(accounts)
                    kinds = sorted({r.kind for r in on_topic if r.account == account})
                    kind = rng.choice(kinds)
                    text = rng.choice(KIND_PHRASES).format(
                        account=account, words=rng.choice(words), kind=kind
                    )
                    keep = [r for r in on_topic if r.account == account and r.kind == kind]
                    add(text, email, topic, keep, "kind")
            phrase = TEAM_PHRASES[rng.randrange(len(TEAM_PHRASES))]
            text = phrase.format(words=rng.choice(words))
            if "recently" in phrase:
                keep = [r for r in on_topic if r.day >= RECENT]
            elif "last month" in phrase:
                keep = [r for r in on_topic if date(2026, 10, 1) <= r.day <= date(2026, 10, 31)]
            else:
                keep = on_topic
            add(text, email, topic, keep, "time" if keep is not on_topic else "scope")
    return questions


def labeled(sessions: sessionmaker[Session]) -> list[dict[str, Any]]:
    """Every question with its relevant ids, numbered, every second one in the tuning half."""
    with sessions() as session:
        rows, users = load_rows(session), scopes(session)
    questions = build_questions(rows, users)
    for i, q in enumerate(questions):
        q["id"] = i + 1
        q["split"] = "tune" if i % 2 == 0 else "report"
    return questions


def main() -> None:
    questions = labeled(demo_sessions())
    LABELS.parent.mkdir(parents=True, exist_ok=True)
    meta = {"today": TODAY.isoformat(), "seed": 7, "questions": len(questions)}
    LABELS.write_text(json.dumps({"about": meta, "questions": questions}, indent=1) + "\n")
    print(f"{len(questions)} questions -> {LABELS}")


if __name__ == "__main__":
    main()
