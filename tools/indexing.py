"""Keep a database's Chroma index in step with its activities table, and say what changed.

`sync_index` compares, a batch at a time, what the database holds with what the index holds
(the stored metadata of the same ids: no text leaves Chroma), then embeds only new and changed
activities, rewrites the metadata of rescoped ones, and deletes records whose activity is gone.
Memory stays flat at any size: one batch of rows, and when records must be looked for among all
of the index's, their ids a page at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from tools.crm.activities import existing_activity_ids, iter_activities_for_index
from tools.index_entries import Freshness, IndexEntry, activity_id_of, doc_id
from tools.interactions import InteractionIndex
from tools.search import stored_vectors

BATCH = 500  # rows per database read and per Chroma call; under SQLite's parameter limit


@dataclass
class IndexReport:
    """What one sync did: counts of activities by what happened to them."""

    added: int = 0  # not in the index: embedded
    changed: int = 0  # text (or model) changed: embedded again
    rescoped: int = 0  # owners, deal, account, kind or time changed: metadata rewritten
    removed: int = 0  # in the index, no longer in the database: deleted
    current: int = 0  # already right
    rebuilt: bool = False  # --full: the collection was dropped first
    dropped: list[str] = field(default_factory=list)  # superseded collections removed

    @property
    def indexed(self) -> int:
        """Activities the index now holds, of those this sync looked at."""
        return self.added + self.changed + self.rescoped + self.current

    @property
    def wrote(self) -> bool:
        return bool(self.added or self.changed or self.rescoped or self.removed or self.dropped)


def sync_index(
    session: Session,
    index: InteractionIndex,
    *,
    ids: Sequence[int] | None = None,
    full: bool = False,
    on_progress: Callable[[int], None] | None = None,
    batch_size: int = BATCH,
) -> IndexReport:
    """Bring the index in step with every activity (or only `ids`, e.g. after a write)."""
    report = IndexReport(rebuilt=full)
    if full:
        index.reset()
    if ids is not None:
        for start in range(0, len(ids), batch_size):
            chunk = list(ids[start : start + batch_size])
            _sync_ids(session, index, chunk, report)
            if on_progress is not None:
                on_progress(len(chunk))
        return report
    report.dropped = index.drop_superseded()
    had = index.count()
    seen = 0  # records of this database's rows found in the index
    for activities, owners in iter_activities_for_index(session, batch_size=batch_size):
        entries = index.entries(activities, owners)
        stored = index.stored([e.activity_id for e in entries])
        seen += len(stored)
        _apply(session, index, entries, stored, report)
        if on_progress is not None:
            on_progress(len(entries))
    if had > seen:  # some records have no row any more: find them among all ids
        report.removed = _remove_orphans(session, index, batch_size)
    return report


def index_activities(
    session: Session,
    index: InteractionIndex,
    *,
    ids: Sequence[int] | None = None,
    on_progress: Callable[[int], None] | None = None,
    batch_size: int = BATCH,
) -> int:
    """Sync all activities (or `ids`); returns how many of them the index now holds."""
    report = sync_index(session, index, ids=ids, on_progress=on_progress, batch_size=batch_size)
    return report.indexed


def _sync_ids(
    session: Session, index: InteractionIndex, chunk: list[int], report: IndexReport
) -> None:
    rows = list(iter_activities_for_index(session, batch_size=len(chunk), ids=chunk))
    entries = [e for activities, owners in rows for e in index.entries(activities, owners)]
    stored = index.stored(chunk)
    _apply(session, index, entries, stored, report)
    gone = sorted(set(stored) - {e.activity_id for e in entries})
    index.delete([doc_id(i) for i in gone])
    report.removed += len(gone)


def _apply(
    session: Session,
    index: InteractionIndex,
    entries: list[IndexEntry],
    stored: dict[int, dict[str, Any]],
    report: IndexReport,
) -> None:
    by_freshness: dict[Freshness, list[IndexEntry]] = {f: [] for f in Freshness}
    for entry in entries:
        by_freshness[entry.freshness(stored.get(entry.activity_id))].append(entry)
    embed = by_freshness[Freshness.NEW] + by_freshness[Freshness.CHANGED]
    vectors = index.write(embed)
    index.rescope(by_freshness[Freshness.RESCOPED])
    model = index.vector_model
    kept = [e.activity_id for f in (Freshness.RESCOPED, Freshness.CURRENT) for e in by_freshness[f]]
    # An index made before `interaction_vectors` (or a copy lost) is filled from Chroma's own
    # vectors: nothing is embedded again for an upgrade.
    copied = index.stored_vectors(stored_vectors.missing(session, model, kept))
    pairs = [*zip((e.activity_id for e in embed), vectors, strict=True), *copied.items()]
    stored_vectors.save(session, model, pairs)
    session.commit()  # each batch stands on its own, as Chroma's writes do
    report.added += len(by_freshness[Freshness.NEW])
    report.changed += len(by_freshness[Freshness.CHANGED])
    report.rescoped += len(by_freshness[Freshness.RESCOPED])
    report.current += len(by_freshness[Freshness.CURRENT])


def _remove_orphans(session: Session, index: InteractionIndex, batch_size: int) -> int:
    """Delete records whose activity is not in the database (or that salesbot never wrote)."""
    orphans: list[str] = []
    for page in index.stored_ids():  # all pages first: deleting while paging would skip ids
        for start in range(0, len(page), batch_size):
            part = page[start : start + batch_size]
            numbers = {s: activity_id_of(s) for s in part}
            alive = existing_activity_ids(session, [n for n in numbers.values() if n is not None])
            orphans += [s for s, n in numbers.items() if n not in alive]
    for start in range(0, len(orphans), batch_size):
        index.delete(orphans[start : start + batch_size])
    return len(orphans)
