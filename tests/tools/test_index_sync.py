"""`sync_index`: a real Chroma in a tmp folder kept in step with the CRM, row by row.

Each test checks what the index holds afterwards and what was embedded (the fake embedder
remembers every text), so "re-embedded" and "metadata rewritten" are told apart.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, update
from sqlalchemy.orm import Session, sessionmaker
from support.crm_fixture import build_fixture
from support.index_helpers import WordVectors, make_index, stored_documents, word_vector

from tools.chroma_embedding import for_chroma
from tools.embeddings import LocalEmbeddings
from tools.index_entries import content_hash, doc_id, document_text
from tools.indexing import IndexReport, sync_index
from tools.interactions import LEGACY_COLLECTION, InteractionIndex
from tools.models import Activity, ActivityKind, Deal


@pytest.fixture
def crm(sessions: sessionmaker[Session]) -> Iterator[sessionmaker[Session]]:
    with sessions.begin() as session:
        build_fixture(session)
    WordVectors.embedded.clear()
    yield sessions


@pytest.fixture
def index(crm: sessionmaker[Session], tmp_path: Path) -> InteractionIndex:
    index = make_index(crm, tmp_path / "chroma")
    assert sync(crm, index).added == 6
    WordVectors.embedded.clear()
    return index


def sync(sessions: sessionmaker[Session], index: InteractionIndex, **kw: Any) -> IndexReport:
    with sessions() as session:
        return sync_index(session, index, **kw)


def counts(report: IndexReport) -> tuple[int, int, int, int, int]:
    return report.added, report.changed, report.rescoped, report.removed, report.current


def edit(sessions: sessionmaker[Session], *statements: Any) -> None:
    with sessions.begin() as session:
        for statement in statements:
            session.execute(statement)


def test_a_second_sync_embeds_and_writes_nothing(
    crm: sessionmaker[Session], index: InteractionIndex
) -> None:
    report = sync(crm, index)
    assert counts(report) == (0, 0, 0, 0, 6) and not report.wrote
    assert WordVectors.embedded == []
    with crm() as session:
        text = document_text(session.get_one(Activity, 1))
    meta = index.stored([1])[1]
    assert meta["db_id"] == index.database_id
    assert meta["content_hash"] == content_hash("word-vectors-1", text)
    assert stored_documents(index)[doc_id(1)] == text


def test_an_edited_body_alone_is_embedded_again(
    crm: sessionmaker[Session], index: InteractionIndex
) -> None:
    edit(crm, update(Activity).where(Activity.id == 3).values(body="They signed the order form."))
    report = sync(crm, index)
    assert counts(report) == (0, 1, 0, 0, 5)
    assert WordVectors.embedded == ["Security review\nThey signed the order form."]
    assert stored_documents(index)[doc_id(3)] == "Security review\nThey signed the order form."


def test_a_deleted_activity_is_removed(crm: sessionmaker[Session], index: InteractionIndex) -> None:
    edit(crm, delete(Activity).where(Activity.id == 4))
    report = sync(crm, index)
    assert counts(report) == (0, 0, 0, 1, 5)
    assert sorted(stored_documents(index)) == sorted(doc_id(i) for i in (1, 2, 3, 5, 6))


def test_an_owner_change_rewrites_scope_metadata_without_embedding(
    crm: sessionmaker[Session], index: InteractionIndex
) -> None:
    before = index.stored([3])[3]
    assert before["deal_owner_id"] == 4  # Rita's deal
    edit(crm, update(Deal).where(Deal.id == 4).values(owner_id=3))  # now Rob's
    report = sync(crm, index)
    assert counts(report) == (0, 0, 1, 0, 5)
    assert WordVectors.embedded == []
    after = index.stored([3])[3]
    assert after["deal_owner_id"] == 3 and after["content_hash"] == before["content_hash"]


def test_kind_and_time_changes_are_metadata_too(
    crm: sessionmaker[Session], index: InteractionIndex
) -> None:
    moved = datetime(2026, 11, 1, 9, tzinfo=UTC)
    edit(
        crm,
        update(Activity).where(Activity.id == 6).values(kind=ActivityKind.MEETING),
        update(Activity).where(Activity.id == 5).values(occurred_at=moved, deal_id=2),
    )
    report = sync(crm, index)
    assert counts(report) == (0, 0, 2, 0, 4) and WordVectors.embedded == []
    stored = index.stored([5, 6])
    assert stored[6]["kind"] == "meeting"
    assert stored[5]["occurred_ts"] == int(moved.timestamp()) and stored[5]["deal_id"] == 2


def test_only_given_ids_sync_a_write_and_its_undo(
    crm: sessionmaker[Session], index: InteractionIndex
) -> None:
    row = dict(account_id=1, deal_id=1, user_id=3, kind=ActivityKind.CALL, subject="Follow-up")
    edit(crm, update(Activity).where(Activity.id == 1).values(body="changed, not asked about"))
    with crm.begin() as session:
        session.add(Activity(id=7, occurred_at=datetime.now(UTC), body="They agreed.", **row))
    assert counts(sync(crm, index, ids=[7])) == (1, 0, 0, 0, 0)
    assert WordVectors.embedded == ["Follow-up\nThey agreed."]  # activity 1 was not looked at
    edit(crm, delete(Activity).where(Activity.id == 7))
    assert counts(sync(crm, index, ids=[7])) == (0, 0, 0, 1, 0)
    assert doc_id(7) not in stored_documents(index)


def test_records_without_a_row_are_found_among_all_and_removed(
    crm: sessionmaker[Session], index: InteractionIndex
) -> None:
    strays = ["activity:999", "not-ours", "activity:x"]
    index.collection.upsert(
        ids=strays,
        embeddings=[word_vector(s) for s in strays],  # type: ignore[arg-type]
        metadatas=[{"activity_id": 0}] * 3,
    )
    report = sync(crm, index, batch_size=2)  # several pages of rows and of orphan checks
    assert counts(report) == (0, 0, 0, 3, 6)
    assert sorted(stored_documents(index)) == sorted(doc_id(i) for i in range(1, 7))


def test_batches_smaller_than_the_table_give_the_same_result(
    crm: sessionmaker[Session], tmp_path: Path
) -> None:
    index = make_index(crm, tmp_path / "small-batches")
    assert counts(sync(crm, index, batch_size=4)) == (6, 0, 0, 0, 0)
    assert counts(sync(crm, index, batch_size=4)) == (0, 0, 0, 0, 6)
    assert sum(len(page) for page in index.stored_ids(page=4)) == 6


def test_full_rebuild_embeds_everything_again(
    crm: sessionmaker[Session], index: InteractionIndex
) -> None:
    report = sync(crm, index, full=True)
    assert report.rebuilt and counts(report) == (6, 0, 0, 0, 0)
    assert len(WordVectors.embedded) == 6 and index.count() == 6


def test_a_new_model_starts_a_new_collection_and_drops_the_old(
    crm: sessionmaker[Session], index: InteractionIndex, tmp_path: Path
) -> None:
    newer = make_index(crm, tmp_path / "chroma", model="word-vectors-2")
    assert newer.name != index.name and newer.name.startswith(f"interactions-{index.database_id}-")
    report = sync(crm, newer)
    assert counts(report) == (6, 0, 0, 0, 0) and report.dropped == [index.name]
    assert [c.name for c in newer.client.list_collections()] == [newer.name]


def test_the_old_shared_collection_goes_only_when_salesbot_made_it(
    crm: sessionmaker[Session], index: InteractionIndex
) -> None:
    client = index.client
    foreign = client.create_collection(LEGACY_COLLECTION, embedding_function=WordVectors())
    foreign.add(ids=["x"], embeddings=[word_vector("x")])  # type: ignore[arg-type]
    assert sync(crm, index).dropped == []  # another application's "interactions": kept
    client.delete_collection(LEGACY_COLLECTION)
    ours = client.create_collection(
        LEGACY_COLLECTION, embedding_function=for_chroma(LocalEmbeddings())
    )
    ours.add(ids=["activity:1"], embeddings=[[0.1] * 384])  # no model load: vectors given
    assert sync(crm, index).dropped == [LEGACY_COLLECTION]
    assert LEGACY_COLLECTION not in [c.name for c in client.list_collections()]
