"""The vector half of search reads the asker's scope, and its vectors (`interaction_vectors`),
from SQL first, then ranks exactly.

Two consequences a user can see: a rep's nearest interactions are the exact nearest among their
own (recall 1.0, whatever the store's size), and a change of owner counts at once, before
`salesbot index` has rewritten the stored metadata.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, sessionmaker
from support.index_helpers import WordVectors, make_index, stored_documents, word_vector

from tools.indexing import index_activities, sync_index
from tools.interactions import InteractionIndex
from tools.models import Account, Activity, Deal, InteractionVector
from tools.principal import get_principal_by_email
from tools.search.exact import nearest
from tools.search.hybrid import _semantic
from tools.search.lexical import Narrowing


@pytest.fixture
def index(crm: sessionmaker[Session], tmp_path: Path) -> InteractionIndex:
    index = make_index(crm, tmp_path / "chroma")
    with crm() as session:
        assert index_activities(session, index) == 6
    return index


def vector_half(
    crm: sessionmaker[Session], index: InteractionIndex, email: str, text: str, **narrow: int
) -> list[tuple[int, float]]:
    with crm() as session:
        principal = get_principal_by_email(session, email)
        return _semantic(session, principal, index, text, Narrowing(**narrow))


def cosine_distance(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    return 1 - dot / (math.hypot(*a) * math.hypot(*b))


def test_a_reps_vector_half_is_the_exact_ranking_of_their_own_interactions(
    crm: sessionmaker[Session], index: InteractionIndex
) -> None:
    with crm() as session:  # Rob's book, read straight from the tables
        rob = session.scalar(select(Deal.owner_id).where(Deal.id == 1))
        mine = set(
            session.scalars(
                select(Activity.id)
                .outerjoin(Deal, Deal.id == Activity.deal_id)
                .join(Account, Account.id == Activity.account_id)
                .where((Deal.owner_id == rob) | (Deal.id.is_(None) & (Account.owner_id == rob)))
            )
        )
    query = "pricing discount for the renewal"
    docs = {int(k.split(":")[1]): v for k, v in stored_documents(index).items()}
    want = sorted(
        mine, key=lambda i: (cosine_distance(word_vector(query), word_vector(docs[i])), i)
    )
    got = vector_half(crm, index, "rob@x.test", query)
    assert [i for i, _ in got] == want
    assert 4 not in {i for i, _ in got}  # Otto's Initech note


def test_a_new_owner_finds_the_row_before_the_index_is_told(
    crm: sessionmaker[Session], index: InteractionIndex
) -> None:
    with crm.begin() as session:  # Initech moves from Otto to Rob; nothing is re-indexed
        session.execute(update(Account).where(Account.id == 3).values(owner_id=3))
        session.execute(update(Deal).where(Deal.account_id == 3).values(owner_id=3))
    assert index.stored([4])[4]["account_owner_id"] == 6  # the index still says Otto's
    assert 4 in {i for i, _ in vector_half(crm, index, "rob@x.test", "champion leaving")}
    assert 4 not in {i for i, _ in vector_half(crm, index, "otto@x.test", "champion leaving")}


def test_an_admin_over_everything_asks_the_index_and_a_narrowed_admin_ranks_exactly(
    crm: sessionmaker[Session], index: InteractionIndex
) -> None:
    everything = vector_half(crm, index, "ada@x.test", "champion leaving")
    assert {i for i, _ in everything} == {1, 2, 3, 4, 5, 6}
    acme = vector_half(crm, index, "ada@x.test", "champion leaving", account_id=1)
    with crm() as session:
        on_acme = set(session.scalars(select(Activity.id).where(Activity.account_id == 1)))
    assert {i for i, _ in acme} == on_acme


def test_nearest_is_exact_stable_and_safe_with_empty_or_zero_vectors() -> None:
    vectors = [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.0, 0.0], [1.0, 0.0]]
    got = nearest([1.0, 0.1], [10, 11, 12, 13, 9], vectors, k=3)
    assert [i for i, _ in got] == [9, 10, 12]  # a tie in distance goes to the lower id
    assert got[0][1] == pytest.approx(cosine_distance([1.0, 0.1], [1.0, 0.0]), abs=1e-6)
    assert [i for i, _ in nearest([1.0, 0.0], [1, 2], [[0.0, 0.0], [1.0, 0.0]], k=5)] == [2, 1]
    assert nearest([1.0, 0.0], [], [], k=5) == []
    assert nearest([1.0, 0.0], [1], [[1.0, 0.0]], k=0) == []


def sql_vectors(crm: sessionmaker[Session], index: InteractionIndex) -> dict[int, list[float]]:
    with crm() as session:
        rows = session.execute(
            select(InteractionVector.activity_id, InteractionVector.vector).where(
                InteractionVector.model == index.vector_model
            )
        )
        return {i: np.frombuffer(blob, dtype="<f4").tolist() for i, blob in rows}


def test_every_indexed_interaction_has_its_vector_in_sql_equal_to_chromas(
    crm: sessionmaker[Session], index: InteractionIndex
) -> None:
    in_sql = sql_vectors(crm, index)
    in_chroma = index.stored_vectors(list(range(1, 7)))
    assert set(in_sql) == set(in_chroma) == {1, 2, 3, 4, 5, 6}
    for i, vector in in_sql.items():
        assert vector == pytest.approx(list(in_chroma[i]), abs=1e-6)


def test_an_index_made_before_the_table_is_filled_without_embedding_again(
    crm: sessionmaker[Session], index: InteractionIndex
) -> None:
    with crm.begin() as session:
        session.execute(delete(InteractionVector))
    # Until `salesbot index` runs, search asks Chroma as it used to: nothing goes missing.
    assert 1 in {i for i, _ in vector_half(crm, index, "rob@x.test", "pricing")}
    WordVectors.embedded.clear()
    with crm() as session:
        report = sync_index(session, index)
    assert (report.added, report.changed, report.current) == (0, 0, 6)
    assert WordVectors.embedded == []
    assert set(sql_vectors(crm, index)) == {1, 2, 3, 4, 5, 6}


def test_a_changed_text_replaces_its_vector_and_a_deleted_row_takes_its_vector_along(
    crm: sessionmaker[Session], index: InteractionIndex
) -> None:
    before = sql_vectors(crm, index)
    with crm.begin() as session:
        session.execute(
            update(Activity).where(Activity.id == 1).values(body="Security questionnaire sent.")
        )
        session.execute(delete(Activity).where(Activity.id == 6))
    with crm() as session:
        report = sync_index(session, index)
    assert (report.changed, report.removed) == (1, 1)
    after = sql_vectors(crm, index)
    assert set(after) == {1, 2, 3, 4, 5}
    assert after[1] != before[1] and after[2] == before[2]
