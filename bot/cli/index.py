"""`salesbot index` (and the indexing step of seed-demo, demo and import): sync, then say what.

The sentence names every kind of change, so a run that did nothing is told apart from one that
indexed another database's rows (tools/indexing.py does the comparing).
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from rich.progress import Progress
from rich.text import Text

from bot.cli.common import console, fail
from bot.cli.text import markup, progress_columns, safe
from bot.services import Services
from tools.crm.activities import count_activities
from tools.embeddings import LocalEmbeddings
from tools.index_entries import COLLECTION_PREFIX
from tools.indexing import IndexReport, sync_index
from tools.interactions import SearchUnavailableError

STORE_HINT = "check CHROMA_PATH (or CHROMA_HOST and CHROMA_PORT)"


def index_all(svc: Services, *, full: bool = False) -> None:
    """Sync every activity of DATABASE_URL into its own collection; a clean error if it can't."""
    LocalEmbeddings.allow_bulk_encoder()  # a command, not serve: torch's memory is no matter
    try:
        report, seconds = _sync(svc, full=full)
    except SearchUnavailableError as exc:
        raise fail(
            f"Cannot open the interaction search store; {STORE_HINT}, then run `salesbot index`. "
            f"Cause: {exc}"
        ) from exc
    if any(n.startswith(f"{COLLECTION_PREFIX}-") for n in report.dropped):
        console.print(
            markup(
                "The embedding model changed (now {key}): its vectors differ from the stored "
                "ones, so every interaction was embedded again.",
                key=svc.index.model_key,
            )
        )
    for name in report.dropped:
        console.print(
            markup(
                "Removed the superseded search collection {name!r} "
                "(salesbot keeps one collection per database and embedding model).",
                name=name,
            )
        )
    console.print(summary(report, seconds))


def index_ids(svc: Services, activity_ids: Sequence[int]) -> IndexReport:
    """Sync just these activities (an import's); SearchUnavailableError propagates."""
    LocalEmbeddings.allow_bulk_encoder()
    with svc.sessions() as session, progress_bar() as bar:
        task = bar.add_task("Indexing interactions", total=len(activity_ids))
        return sync_index(
            session, svc.index, ids=activity_ids, on_progress=lambda n: bar.advance(task, n)
        )


def _sync(svc: Services, *, full: bool) -> tuple[IndexReport, float]:
    started = time.perf_counter()
    with svc.sessions() as session:
        total = count_activities(session)
        with progress_bar() as bar:
            task = bar.add_task("Indexing interactions", total=total)
            report = sync_index(
                session, svc.index, full=full, on_progress=lambda n: bar.advance(task, n)
            )
    return report, time.perf_counter() - started


def progress_bar() -> Progress:
    return Progress(*progress_columns(), console=console)


def summary(report: IndexReport, seconds: float) -> Text:
    """One sentence: what was embedded, updated and removed, and what was already right."""
    return safe(_sentence(report, seconds))


def _sentence(report: IndexReport, seconds: float) -> str:
    took = f" in {seconds:.1f}s"
    if report.rebuilt:
        return f"Rebuilt the search index: indexed {report.added:,} interactions{took}."
    if not report.wrote:
        if not report.current:
            return "There are no interactions to index."
        return (
            f"All {report.current:,} interactions were already indexed and up to date; "
            f"nothing changed (checked{took})."
        )
    done = [
        text
        for count, text in (
            (report.added, f"indexed {report.added:,} new"),
            (report.changed, f"re-indexed {report.changed:,} changed"),
            (report.rescoped, f"updated {report.rescoped:,} whose owner, deal or date changed"),
            (report.removed, f"removed {report.removed:,} deleted"),
        )
        if count
    ] or ["changed no interaction"]
    sentence = ", ".join(done)
    if report.current:
        sentence += f"; {report.current:,} were up to date"
    return f"{sentence[0].upper()}{sentence[1:]}{took}."
