"""A row that speaks of the topic, in its words or the lexicon's, is an answer whatever its
full-text score: synonyms add up in BM25, meaning does not."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.orm import Session, sessionmaker

from tools.models import Activity, ActivityKind
from tools.principal import get_principal_by_email
from tools.search.hybrid import search
from tools.search.lexical import Narrowing
from tools.search.lexicon import mentions_all


def test_the_word_in_any_ending_or_a_word_of_its_meaning_is_a_mention() -> None:
    assert mentions_all(["competitors"], "on a cheaper competitor today")
    assert mentions_all(["competitors"], "Competitive: Salesforce at Acme")
    assert mentions_all(["pricing"], "They want to lock prices for two years")
    assert mentions_all(["pricing", "budget"], "the price is above budget")


def test_a_word_unrelated_to_the_topic_is_no_mention() -> None:
    assert not mentions_all(["competitors"], "Security review kicked off")
    assert not mentions_all(["pricing", "budget"], "the price is fine")  # every word, not one
    assert not mentions_all([], "anything at all")


def test_a_row_that_names_the_topic_once_is_found_beside_one_that_says_it_thrice(
    crm: sessionmaker[Session],
) -> None:
    with crm.begin() as session:
        loud = _note(
            session,
            101,
            "Re: comparison with a competitor",
            "Evaluating a cheaper competitor; they sent a side-by-side comparison.",
        )
        quiet = _note(
            session, 102, "Competitive: Salesforce", "Salesforce is offering a free year."
        )
        off = _note(session, 103, "Onboarding check-in", "SSO is live; the first team is using it.")
    with crm() as session:
        rob = get_principal_by_email(session, "rob@x.test")
        outcome = search(
            session, rob, None, "what did they say about competitors", Narrowing(account_id=1),
            today=date(2026, 12, 1), limit=10, mode="lexical",
        )  # fmt: skip
    found = [h["activity_id"] for h in outcome.hits]
    assert loud in found and quiet in found
    assert off not in found


def _note(session: Session, id_: int, subject: str, body: str) -> int:
    row = Activity(
        id=id_, account_id=1, deal_id=1, user_id=3, kind=ActivityKind.NOTE, subject=subject,
        body=body, occurred_at=datetime(2026, 11, 28, 12, tzinfo=UTC),
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row.id
