"""One capture run: items in batches, each batch matched and written in one transaction."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from tools.capture.directory import Directory
from tools.capture.items import BadItem, CaptureError, Item
from tools.capture.match import Internal, Matched, Unmatched, match_item
from tools.capture.store import known_keys, write_activities, write_reviews
from tools.principal import Principal

BATCH = 500  # items per transaction; under SQLite's parameter limit for the key lookup


@dataclass
class CaptureReport:
    """What a run did, item by item counted."""

    activity_ids: list[int] = field(default_factory=list)  # captured now: to index
    review_ids: list[int] = field(default_factory=list)
    internal: int = 0  # colleagues only: skipped
    duplicates: int = 0  # captured before, or twice in this input
    bad: list[BadItem] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)  # the captured ones, when kept
    seconds: float = 0.0

    @property
    def seen(self) -> int:
        return (
            len(self.activity_ids)
            + len(self.review_ids)
            + self.internal
            + self.duplicates
            + len(self.bad)
        )


def capture_items(
    sessions: sessionmaker[Session],
    principal: Principal,
    items: Iterable[Item | BadItem],
    *,
    now: datetime,
    keep_items: bool = False,
    on_progress: Callable[[int], None] = lambda n: None,
) -> CaptureReport:
    """Capture every item as `principal`: matched ones become activities, others wait for
    review, colleagues-only ones are skipped, repeats are counted and left alone."""
    started = time.perf_counter()
    report = CaptureReport()
    seen: set[str] = set()
    with sessions() as session:
        directory = Directory(session, principal)
        session.rollback()  # end the read; each batch is its own transaction
        for batch in _batches(items):
            try:
                with session.begin():
                    _batch(session, directory, principal, batch, seen, report, now, keep_items)
            except IntegrityError as exc:
                raise CaptureError(
                    "Another capture wrote some of these items at the same time; run the "
                    "command again (what was written stays, nothing is duplicated)."
                ) from exc
            on_progress(len(batch))
    report.seconds = time.perf_counter() - started
    return report


def _batches(items: Iterable[Item | BadItem]) -> Iterator[list[Item | BadItem]]:
    it = iter(items)
    while batch := list(islice(it, BATCH)):
        yield batch


def _batch(
    session: Session,
    directory: Directory,
    principal: Principal,
    batch: list[Item | BadItem],
    seen: set[str],
    report: CaptureReport,
    now: datetime,
    keep_items: bool,
) -> None:
    fresh: list[Item] = []
    for item in batch:
        if isinstance(item, BadItem):
            report.bad.append(item)
        elif item.stored_key() in seen:
            report.duplicates += 1
        else:
            seen.add(item.stored_key())
            fresh.append(item)
    known = known_keys(session, [i.stored_key() for i in fresh])
    report.duplicates += sum(1 for i in fresh if i.stored_key() in known)
    matched: list[tuple[Item, Matched]] = []
    waiting: list[tuple[Item, Unmatched]] = []
    todo = [i for i in fresh if i.stored_key() not in known]
    directory.prefetch({a for i in todo for a in directory.candidate_accounts(list(i.addresses))})
    for item in todo:
        found = match_item(directory, item)
        if isinstance(found, Internal):
            report.internal += 1
        elif isinstance(found, Matched):
            matched.append((item, found))
        else:
            waiting.append((item, found))
    user = principal.user_id
    report.activity_ids += write_activities(session, matched, user_id=user, now=now)
    report.review_ids += write_reviews(session, waiting, user_id=user, now=now)
    if keep_items:
        report.items += [i for i, _ in matched]
