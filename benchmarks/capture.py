"""Capture speed: items per second from a generated mbox and an .ics calendar, into SQL and
the search index, on SQLite and PostgreSQL.

Generates `--messages` emails (default 10,000: replies with quotes and signatures to 500
accounts' contacts, 5% from strangers, 5% between colleagues) and `--events` meetings (default
1,000), captures each as a rep (read, clean, match, write), then indexes what was captured
with the embedding model (`--embeddings local`, the bundled MiniLM; `words` times the rest
without the model). Saves benchmarks/results/capture.json.

    python benchmarks/capture.py [--messages N] [--events N] [--embeddings local|words] [--pg URL]
"""

from __future__ import annotations

import argparse
import json
import mailbox
import os
import platform
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from chromadb.api.types import EmbeddingFunction
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from tools.capture import capture_items
from tools.capture.calendar import CalendarReader
from tools.capture.mail import read_mail_paths
from tools.database_id import read_database_id
from tools.db import make_engine, session_factory, upgrade
from tools.embeddings import LocalEmbeddings
from tools.indexing import sync_index
from tools.interactions import InteractionIndex, open_client
from tools.models import Account, Contact, Deal, Role, Stage, User
from tools.principal import Principal, get_principal_by_email

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from support.index_helpers import WordVectors  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "capture.json"
PG_ADMIN = os.environ.get(
    "SALESBOT_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
ACCOUNTS = 500
NOW = datetime(2026, 12, 1, tzinfo=UTC)


def seed(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        rep = User(name="Rob Rep", email="rob@corp.example", role=Role.REP)
        session.add_all([rep, User(name="Mia", email="mia@corp.example", role=Role.MANAGER)])
        session.flush()
        for i in range(ACCOUNTS):
            account = Account(name=f"Account {i}", owner_id=rep.id, created_at=NOW)
            session.add(account)
            session.flush()
            session.add(Contact(account_id=account.id, name=f"C{i}", email=f"c{i}@a{i}.example"))
            session.add(
                Deal(name=f"Deal {i}", account_id=account.id, owner_id=rep.id,
                     stage=Stage.PROPOSAL, amount=Decimal(1000), close_date=NOW.date(),
                     created_at=NOW)
            )  # fmt: skip


def write_mbox(path: Path, count: int) -> Path:
    box = mailbox.mbox(path)
    for i in range(count):
        sender = f"c{i % ACCOUNTS}@a{i % ACCOUNTS}.example"
        if i % 20 == 0:
            sender = f"stranger{i}@gmail.com"
        to = "mia@corp.example" if i % 20 == 1 else "rob@corp.example"
        if i % 20 == 1:
            sender = "rob@corp.example"
        when = NOW - timedelta(minutes=i)
        box.add(
            f"From: {sender}\nTo: {to}\nSubject: Re: rollout step {i}\n"
            f"Message-ID: <bench-{i}@example>\nDate: {when:%a, %d %b %Y %H:%M:%S +0000}\n\n"
            f"Thanks, the security review for phase {i} is done; legal signs next week.\n\n"
            f"On Mon, Rob wrote:\n> Any news on phase {i}?\n\n-- \nC {i}\nVP Operations\n"
        )
    box.flush()
    box.close()
    return path


def write_ics(path: Path, count: int) -> Path:
    events = [
        "BEGIN:VEVENT\n"
        f"UID:bench-{i}\nDTSTART:{NOW - timedelta(hours=i + 1):%Y%m%dT%H%M%SZ}\n"
        f"SUMMARY:Review {i}\nDESCRIPTION:Quarterly review number {i}.\n"
        "ORGANIZER:mailto:rob@corp.example\n"
        f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:c{i % ACCOUNTS}@a{i % ACCOUNTS}.example\n"
        "END:VEVENT\n"
        for i in range(count)
    ]
    path.write_text("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//bench//EN\n" + "".join(events)
                    + "END:VCALENDAR\n")  # fmt: skip
    return path


def timed(label: str, count: int, work: Callable[[], Any]) -> tuple[dict[str, Any], Any]:
    started = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - started
    rate = count / seconds if seconds else 0.0
    print(f"  {label:<30} {count:>7,} items {seconds:7.1f}s {rate:9,.0f} items/s")
    return {"items": count, "seconds": round(seconds, 2), "items_per_second": round(rate)}, result


def bench(
    url: str, tmp: Path, messages: int, events: int, embedder: EmbeddingFunction[Any]
) -> dict[str, Any]:
    engine = make_engine(url)
    upgrade(engine)
    sessions = session_factory(engine)
    seed(sessions)
    with sessions() as session:
        rob = get_principal_by_email(session, "rob@corp.example")
    index = InteractionIndex(open_client(str(tmp / "chroma")), embedder, read_database_id(sessions))
    box, ics = write_mbox(tmp / "bench.mbox", messages), write_ics(tmp / "bench.ics", events)
    since = NOW - timedelta(days=365)
    figures: dict[str, Any] = {}
    figures |= source("mbox", messages, lambda: read_mail_paths([box]), sessions, rob, index)
    calendar = lambda: CalendarReader(rob.email, since, NOW).read([ics])  # noqa: E731
    figures |= source("ics", events, calendar, sessions, rob, index)
    engine.dispose()
    return figures


def source(
    name: str,
    count: int,
    items: Callable[[], Any],
    sessions: sessionmaker[Session],
    rob: Principal,
    index: InteractionIndex,
) -> dict[str, Any]:
    """Capture one source into SQL, index what was captured, then capture it again."""
    figures: dict[str, Any] = {}

    def capture() -> Any:
        return capture_items(sessions, rob, items(), now=NOW)

    figures["to_sql"], report = timed(f"{name}: read+clean+match+write", count, capture)
    ids = report.activity_ids
    with sessions() as session:
        figures["to_index"], _ = timed(
            f"{name}: embed+index", len(ids), lambda: sync_index(session, index, ids=ids)
        )
    figures["counts"] = {
        "captured": len(ids),
        "review": len(report.review_ids),
        "internal": report.internal,
    }
    figures["again"], again = timed(f"{name}: again (all duplicates)", count, capture)
    assert not again.activity_ids
    return {name: figures}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=1_000)
    parser.add_argument("--embeddings", choices=("local", "words"), default="local")
    parser.add_argument("--pg", default=PG_ADMIN, help="admin URL; a scratch database is made")
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    embedder: EmbeddingFunction[Any] = (
        LocalEmbeddings() if args.embeddings == "local" else WordVectors()
    )
    results: dict[str, Any] = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "messages": args.messages,
        "events": args.events,
        "embeddings": args.embeddings,
    }
    with tempfile.TemporaryDirectory() as tmp:
        print("sqlite")
        (Path(tmp) / "sqlite").mkdir()
        results["sqlite"] = bench(f"sqlite:///{tmp}/bench.db", Path(tmp) / "sqlite",
                                  args.messages, args.events, embedder)  # fmt: skip
        if not args.sqlite_only:
            print("postgresql")
            (Path(tmp) / "pg").mkdir()
            admin = create_engine(args.pg, isolation_level="AUTOCOMMIT")
            name = f"salesbot_capture_bench_{uuid.uuid4().hex[:8]}"
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            try:
                url = make_url(args.pg).set(database=name).render_as_string(hide_password=False)
                results["postgresql"] = bench(
                    url, Path(tmp) / "pg", args.messages, args.events, embedder
                )
            finally:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"saved {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
