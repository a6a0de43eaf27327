"""Full-text search on SQLite (FTS5) and PostgreSQL (tsvector), scope and filters in SQL."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from tools.models import Activity
from tools.principal import get_principal_by_email
from tools.search.lexical import Narrowing, lexical_search


def found(crm: sessionmaker[Session], email: str, *terms: str, **narrowing: object) -> list[int]:
    with crm() as session:
        principal = get_principal_by_email(session, email)
        where = Narrowing(**narrowing)  # type: ignore[arg-type]
        hits = lexical_search(session, principal, list(terms), where, limit=10)
    return [i for i, _ in hits]


def test_exact_terms_and_stems_find_their_interactions(crm: sessionmaker[Session]) -> None:
    assert found(crm, "ada@x.test", "soc 2") == [3]
    # "pricing" stems to "price": the note says "per-seat price".
    assert found(crm, "ada@x.test", "pricing") == [1]
    assert found(crm, "ada@x.test", "hubspot") == [6]


def test_a_rep_never_finds_another_book(crm: sessionmaker[Session]) -> None:
    assert set(found(crm, "ada@x.test", "champion", "budget")) == {1, 4}
    assert 4 not in found(crm, "rob@x.test", "champion", "budget")
    assert found(crm, "rob@x.test", "champion") == []


def test_filters_are_applied_in_sql(crm: sessionmaker[Session]) -> None:
    terms = ("price", "hubspot", "pilot")
    assert set(found(crm, "rob@x.test", *terms)) == {1, 2, 6}
    assert found(crm, "rob@x.test", *terms, kind="call", account_id=1) == [6]
    since = datetime(2026, 10, 15, tzinfo=UTC)
    assert set(found(crm, "rob@x.test", *terms, since=since)) == {1, 6}


def test_the_index_follows_edits_and_deletes(crm: sessionmaker[Session]) -> None:
    with crm.begin() as session:
        session.execute(update(Activity).where(Activity.id == 2).values(body="Bake-off vs Zoho"))
    assert found(crm, "rob@x.test", "zoho") == [2]
    assert found(crm, "rob@x.test", "pilot") == [2]  # the subject still says "Pilot kickoff"
    with crm.begin() as session:
        session.delete(session.get(Activity, 2))
    assert found(crm, "rob@x.test", "zoho") == []


def test_words_without_letters_search_nothing(crm: sessionmaker[Session]) -> None:
    assert found(crm, "rob@x.test", "!!", "   ") == []


def test_every_word_or_any_word(crm: sessionmaker[Session]) -> None:
    with crm() as session:
        ada = get_principal_by_email(session, "ada@x.test")
        both = lexical_search(
            session, ada, ["budget", "champion"], Narrowing(), limit=5, every=True
        )
        one = lexical_search(session, ada, ["budget", "champion"], Narrowing(), limit=5)
    assert [i for i, _ in both] == [4]
    assert {i for i, _ in one} == {1, 4}
