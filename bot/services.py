"""Builds the long-lived parts (database, index, agent) from Settings, once per process."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from pathlib import Path

from bot.agent.llm import build_llm
from bot.agent.runner import AgentRunner
from bot.metrics.sinks import install_sinks
from bot.settings import Settings
from tools.analytics.precomputed import configure as configure_snapshots
from tools.as_of import as_of_copy, clock_at
from tools.context import utc_now
from tools.database_id import read_database_id
from tools.db import (
    Engine,
    OperationalError,
    Session,
    is_migrated,
    make_engine,
    ping,
    session_factory,
    sessionmaker,
)
from tools.db_url import check_sqlite_location, check_sqlite_shape, sqlite_file
from tools.embeddings import LocalEmbeddings, OpenAIEmbeddings, set_model_cache
from tools.interactions import InteractionIndex, auth_headers, open_client


class SetupError(RuntimeError):
    """Something the operator must fix; the message says what to do."""


@dataclass
class Services:
    settings: Settings
    _runner: AgentRunner | None = field(default=None, init=False)
    _as_of_dir: tempfile.TemporaryDirectory[str] | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        configure_snapshots(self.settings.analytics_snapshot_minutes)

    @cached_property
    def engine(self) -> Engine:
        install_sinks()  # statement and search durations feed the metrics from here on
        if self.settings.as_of is not None:
            return self._as_of_engine(self.settings.as_of)
        return self._engine()

    def _as_of_engine(self, day: date) -> Engine:
        """A private copy of the CRM rewound to `day` (tools/as_of.py), in a temporary folder."""
        source = self._engine()
        if not is_migrated(source):
            return source  # check_database then says what to do
        self._as_of_dir = tempfile.TemporaryDirectory(prefix="salesbot-as-of-")
        url = as_of_copy(source, day, Path(self._as_of_dir.name))
        source.dispose()
        return make_engine(url)

    def clock(self) -> datetime:
        """Now, or noon UTC of SALESBOT_AS_OF / --as-of."""
        return clock_at(self.settings.as_of) if self.settings.as_of else utc_now()

    def _engine(self) -> Engine:
        s = self.settings
        if s.database_url.startswith("sqlite"):
            return make_engine(s.database_url)
        # Each bot instance holds at most pool_size + max_overflow PostgreSQL connections;
        # make_engine adds pool_pre_ping, so a restarted server costs one retried checkout.
        return make_engine(
            s.database_url,
            pool_size=s.db_pool_size,
            max_overflow=s.db_max_overflow,
            pool_recycle=s.db_pool_recycle_seconds,
        )

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        return session_factory(self.engine)

    @cached_property
    def index(self) -> InteractionIndex:
        s = self.settings
        if s.embeddings == "openai":
            embedder: OpenAIEmbeddings | LocalEmbeddings = OpenAIEmbeddings(
                s.openai_embedding_model, s.openai_api_key, s.openai_base_url
            )
        else:
            set_model_cache(Path(s.embedding_cache_dir))
            embedder = LocalEmbeddings()
        client = open_client(
            s.chroma_path,
            s.chroma_host,
            s.chroma_port,
            ssl=s.chroma_ssl,
            headers=auth_headers(s.chroma_auth_token, s.chroma_auth_header),
        )
        # The collection is this database's own: read its id on first use, once per process.
        return InteractionIndex(
            client,
            embedder,
            database_id=lambda: read_database_id(self.sessions),
        )

    @property
    def runner(self) -> AgentRunner:
        if self._runner is None:
            s = self.settings
            self._runner = AgentRunner(
                self.sessions,
                index=self.index,
                llm=build_llm(s),
                max_steps=s.agent_max_steps,
                timeout_seconds=s.agent_timeout_seconds,
                workers=s.slack_workers,
                reporting_currency=s.reporting_currency,
                clock=self.clock,
            )
        return self._runner

    def prepare_database(self) -> Path | None:
        """Before creating or migrating: refuse a SQLite path that cannot work; create only the
        default `data/` folder. Returns the folder created, if any."""
        path = sqlite_file(self.engine.url)
        return check_sqlite_location(path, create_default_folder=True) if path else None

    def check_database(self) -> None:
        """Raise SetupError unless the database is reachable and migrated."""
        path = sqlite_file(self.engine.url)
        if path is not None:
            check_sqlite_shape(path)
        if path is not None and not path.exists():  # connecting would create an empty file
            raise SetupError(
                f"There is no database at {path}. Check DATABASE_URL, or create it with "
                "`salesbot db upgrade` (empty CRM) or `salesbot seed-demo` (demo data)."
            )
        if path is not None:
            check_sqlite_location(path, create_default_folder=False)
        try:
            with self.engine.connect() as conn:
                ping(conn)
            migrated = is_migrated(self.engine)
        except OperationalError as exc:
            raise SetupError(f"{self.cannot_open()}: {first_line(exc)}. {self.hint()}") from exc
        if not migrated:
            raise SetupError(
                f"The database at {self.shown_url()} has no salesbot tables. "
                "Run `salesbot db upgrade` (empty CRM) or `salesbot seed-demo` (demo data)."
            )

    def shown_url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def cannot_open(self) -> str:
        return f"Cannot open the database at {self.shown_url()}"

    def hint(self) -> str:
        if sqlite_file(self.engine.url) is not None:
            return "Check DATABASE_URL, and that its folder exists and you can write to it."
        return "Check DATABASE_URL and that the server is running."


def first_line(exc: BaseException) -> str:
    """A driver error's own words, without SQLAlchemy's SQL dump and background link."""
    orig = getattr(exc, "orig", None)
    words = str(orig if orig is not None else exc).strip()
    return (words.splitlines() or [type(exc).__name__])[0].rstrip(".")
