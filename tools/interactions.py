"""The searchable history of interactions: one Chroma collection per CRM database.

What each record holds and how the collection is named: tools/index_entries.py. Keeping it in
step with the database: tools/indexing.py.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tools.crm.activities import Owners
from tools.embeddings import Embedder, model_key
from tools.index_entries import (
    COLLECTION_PREFIX,
    NONE_ID,
    IndexEntry,
    activity_id_of,
    collection_name,
    doc_id,
    index_entry,
    model_digest,
)
from tools.models import Activity
from tools.principal import Principal
from tools.timing import timed

if TYPE_CHECKING:  # Chroma is loaded on the first search or index write, not to start
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection

# Candidates HNSW visits per query in the admin's unfiltered search (Chroma's default is 100):
# recall@10 against exact search rises from 0.4-0.8 to 0.95+ for a few more milliseconds.
SEARCH_EF = 500
LEGACY_COLLECTION = "interactions"  # before per-database collections, every CRM shared this
log = logging.getLogger(__name__)
# Set by an interface around a question: told once when a search must wait for the model.
_on_model_loading: ContextVar[Callable[[], None] | None] = ContextVar(
    "on_model_loading", default=None
)


@contextmanager
def when_model_loads(tell: Callable[[], None]) -> Iterator[None]:
    """Inside, a search that has to wait for the embedding model calls `tell` first (the CLI
    prints a line, Slack posts a note), so the first search never waits with nothing shown."""
    token = _on_model_loading.set(tell)
    try:
        yield
    finally:
        _on_model_loading.reset(token)


class SearchUnavailableError(RuntimeError):
    """The vector store cannot be reached; every other tool still works."""


@dataclass(frozen=True, slots=True)
class Hit:
    activity_id: int
    distance: float


@dataclass(frozen=True, slots=True)
class SearchFilter:
    """Optional narrowing of a search; ids are already resolved and in scope."""

    account_id: int | None = None
    deal_id: int | None = None
    kind: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def open_client(
    path: str | None = None,
    host: str | None = None,
    port: int = 8000,
    *,
    ssl: bool = False,
    headers: dict[str, str] | None = None,
) -> Callable[[], ClientAPI]:
    """A connector to a persistent local store, or to a Chroma server when `host` is given.

    `headers` go with every request to the server: an auth token for the server or the proxy
    in front of it (see docs/DEPLOYMENT.md).
    """

    def connect() -> ClientAPI:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        settings = ChromaSettings(anonymized_telemetry=False, allow_reset=True)
        if host:
            return chromadb.HttpClient(
                host=host, port=port, ssl=ssl, headers=headers or None, settings=settings
            )
        return chromadb.PersistentClient(path=path or "data/chroma", settings=settings)

    return connect


def auth_headers(token: str | None, header: str = "Authorization") -> dict[str, str]:
    """The header that carries a Chroma token: "Bearer <token>" in Authorization, else bare."""
    if not token:
        return {}
    return {header: f"Bearer {token}" if header.lower() == "authorization" else token}


class InteractionIndex:
    """One CRM database's activities in Chroma: written, compared, removed and searched.

    `database_id` is the id of the CRM database (tools/database_id.py), or a function that reads
    it: it is read once, on first use, so the bot starts (and answers everything else) while
    Chroma is down.
    """

    def __init__(
        self,
        connect: Callable[[], ClientAPI],
        embedder: Embedder,
        database_id: str | Callable[[], str],
    ) -> None:
        self._connect = connect
        self._embedder = embedder
        self._database_id = database_id
        self._client: ClientAPI | None = None
        self._collection: Collection | None = None
        # One thread opens the store: `serve`'s warm-up and a first search used to open it side
        # by side, and two Chroma clients started at once on one folder share a half-started
        # system; the one that failed stopped it for the other, and search stayed down.
        self._opening = threading.RLock()

    def model_ready(self) -> bool:
        """The embedding model is in memory (always, for a remote one like OpenAI's)."""
        loaded = getattr(self._embedder, "loaded", None)
        return bool(loaded()) if callable(loaded) else True

    def warm_up(self) -> threading.Thread:
        """Load the embedding model and open the store in the background (`serve` at start)."""
        thread = threading.Thread(target=self._warm, name="search-warm-up", daemon=True)
        thread.start()
        return thread

    def _warm(self) -> None:
        load = getattr(self._embedder, "load", None)
        try:
            if callable(load):
                load()
            _ = self.collection
        except Exception:  # the first search will say what is wrong; start-up goes on
            log.warning("Search warm-up failed; the first search will retry", exc_info=True)

    @property
    def database_id(self) -> str:
        if callable(self._database_id):
            self._database_id = self._database_id()
        return self._database_id

    @property
    def model_key(self) -> str:
        return model_key(self._embedder)

    @property
    def vector_model(self) -> str:
        """The key of this model's vectors in `interaction_vectors` (as in the collection's
        name): vectors of two models are never compared."""
        return model_digest(self.model_key)

    @property
    def name(self) -> str:
        """This database's collection for this embedding model."""
        return collection_name(self.database_id, self.model_key)

    @property
    def client(self) -> ClientAPI:
        if self._client is None:
            with self._opening, _store():
                if self._client is None:
                    self._client = self._connect()
        return self._client

    @property
    def collection(self) -> Collection:
        if self._collection is None:
            with self._opening:
                if self._collection is None:
                    self._collection = self._open_collection()
        return self._collection

    def _open_collection(self) -> Collection:
        client = self.client  # first: an unreachable store is told as such, DB or not
        name = self.name  # outside _store(): a database error is not a Chroma one
        with _store():
            from tools.chroma_embedding import for_chroma

            collection = client.get_or_create_collection(
                name,
                embedding_function=for_chroma(self._embedder),  # type: ignore[arg-type]
                metadata={"hnsw:space": "cosine", "hnsw:search_ef": SEARCH_EF},
            )
            _search_wider(collection)
        return collection

    def entries(self, activities: Sequence[Activity], owners: Owners) -> list[IndexEntry]:
        """The records the index should hold for these activities, as the database has them."""
        db_id, key = self.database_id, self.model_key
        return [
            index_entry(a, *owners.get(a.id, (None, None)), database_id=db_id, model_key=key)
            for a in activities
        ]

    def add(self, activities: Sequence[Activity], owners: Owners) -> None:
        """Embed and upsert activities, whatever the index holds for them."""
        self.write(self.entries(activities, owners))

    def write(self, entries: Sequence[IndexEntry]) -> list[Any]:
        """Embed and upsert; the vectors, in the entries' order, for the SQL copy. Errors
        propagate: a failed index write must be retried."""
        if not entries:
            return []
        collection = self.collection
        with _store():
            vectors = list(self._embedder([e.document for e in entries]))
            collection.upsert(
                ids=[e.doc_id for e in entries],
                documents=[e.document for e in entries],
                metadatas=[e.metadata for e in entries],
                embeddings=vectors,
            )
        return vectors

    def stored_vectors(self, activity_ids: Sequence[int]) -> dict[int, Any]:
        """The vectors the index holds for these activities (to fill the SQL copy of an index
        made before it, without embedding again)."""
        if not activity_ids:
            return {}
        collection = self.collection
        with _store():
            got = collection.get(ids=[doc_id(i) for i in activity_ids], include=["embeddings"])
        stored = got.get("embeddings")
        found = zip(got["ids"], [] if stored is None else stored, strict=False)
        return {i: v for s, v in found if (i := activity_id_of(s)) is not None}

    def rescope(self, entries: Sequence[IndexEntry]) -> None:
        """Rewrite the metadata of records whose text is unchanged, without embedding again."""
        if entries:
            collection = self.collection
            with _store():
                collection.update(
                    ids=[e.doc_id for e in entries], metadatas=[e.metadata for e in entries]
                )

    def stored(self, activity_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        """The stored metadata of those of these activities that are in the index."""
        if not activity_ids:
            return {}
        collection = self.collection
        with _store():
            got = collection.get(ids=[doc_id(i) for i in activity_ids], include=["metadatas"])
        found = zip(got["ids"], got.get("metadatas") or [], strict=False)
        return {i: dict(m or {}) for s, m in found if (i := activity_id_of(s)) is not None}

    def stored_ids(self, page: int = 5000) -> Iterator[list[str]]:
        """Every record id in the index, a page at a time (the ids only: cheap at 1M)."""
        collection, offset = self.collection, 0
        while True:
            with _store():
                ids = collection.get(include=[], limit=page, offset=offset)["ids"]
            if not ids:
                return
            yield list(ids)
            offset += len(ids)

    def delete(self, stored_ids: Sequence[str]) -> None:
        if stored_ids:
            collection = self.collection
            with _store():
                collection.delete(ids=list(stored_ids))

    def count(self) -> int:
        collection = self.collection
        with _store():
            return collection.count()

    def reset(self) -> None:
        """Drop this database's collection; the next write starts an empty one."""
        name = self.name
        with _store():
            if name in self._collection_names():
                self.client.delete_collection(name)
        self._collection = None

    def drop_superseded(self) -> list[str]:
        """Remove collections this one replaces: this database's under another embedding model,
        and the one collection every database shared before (when salesbot made it)."""
        mine, current = f"{COLLECTION_PREFIX}-{self.database_id}-", self.name
        with _store():
            names = self._collection_names()
            dropped = [n for n in names if n.startswith(mine) and n != current]
            if LEGACY_COLLECTION in names and self._made_by_salesbot(LEGACY_COLLECTION):
                dropped.append(LEGACY_COLLECTION)
            for name in dropped:
                self.client.delete_collection(name)
        return dropped

    def _collection_names(self) -> list[str]:
        return [c.name for c in self.client.list_collections()]

    def _made_by_salesbot(self, name: str) -> bool:
        # Another application's "interactions" on a shared Chroma server is left alone.
        config = self.client.get_collection(name).configuration_json or {}
        embedder = (config.get("embedding_function") or {}).get("name") or ""
        return str(embedder).startswith("salesbot-")

    def search(
        self, query: str, principal: Principal, flt: SearchFilter, *, limit: int = 5
    ) -> list[Hit]:
        """Nearest activities to `query`, pre-filtered by scope and the filter's fields."""
        where = _where(principal, flt)
        tell = _on_model_loading.get()
        if tell is not None and not self.model_ready():
            tell()
        collection = self.collection
        with _store(), timed("search"):
            result = collection.query(
                query_texts=[query],
                n_results=limit,
                where=where,
            )
        ids = (result.get("ids") or [[]])[0]
        distances = (result.get("distances") or [[]])[0]
        return [
            Hit(i, float(d))
            for s, d in zip(ids, distances, strict=False)
            if (i := activity_id_of(s)) is not None
        ]

    def rank(self, query: str, ids: Sequence[int], vectors: Any, *, limit: int) -> list[Hit]:
        """The `limit` of these activities (their stored vectors, rows of `vectors`) nearest to
        `query`, by exact distance: the scope-first half of search. Only the question is
        embedded; the store itself is not asked."""
        from tools.search.exact import nearest

        if not ids:
            return []
        tell = _on_model_loading.get()
        if tell is not None and not self.model_ready():
            tell()
        with _store(), timed("search"):
            [vector] = self._embedder([query])
        return [Hit(i, d) for i, d in nearest(vector, ids, vectors, limit)]


def _search_wider(collection: Collection) -> None:
    """A collection made with Chroma's default breadth (ef_search 100) gets SEARCH_EF; Chroma
    applies it when the collection is next loaded (the next start)."""
    hnsw = (collection.configuration_json or {}).get("hnsw") or {}
    if int(hnsw.get("ef_search") or 0) < SEARCH_EF:
        try:
            collection.modify(configuration={"hnsw": {"ef_search": SEARCH_EF}})
        except Exception:  # an older server: the old breadth still answers
            log.info("could not widen the index's search breadth", exc_info=True)


@contextmanager
def _store() -> Iterator[None]:
    """Chroma raises many types when its server is down or its folder unusable: one for all."""
    try:
        yield
    except SearchUnavailableError:
        raise
    except Exception as exc:
        raise SearchUnavailableError(str(exc)) from exc


def _where(principal: Principal, flt: SearchFilter) -> dict[str, Any] | None:
    clauses: list[dict[str, Any]] = []
    if principal.visible_owner_ids is not None:
        ids = sorted(principal.visible_owner_ids)
        clauses.append(
            {
                "$or": [
                    {"deal_owner_id": {"$in": ids}},
                    {"$and": [{"deal_id": NONE_ID}, {"account_owner_id": {"$in": ids}}]},
                ]
            }
        )
    for key, value in (
        ("account_id", flt.account_id),
        ("deal_id", flt.deal_id),
        ("kind", flt.kind),
    ):
        if value is not None:
            clauses.append({key: value})
    if flt.since is not None:
        clauses.append({"occurred_ts": {"$gte": int(flt.since.timestamp())}})
    if flt.until is not None:
        clauses.append({"occurred_ts": {"$lte": int(flt.until.timestamp())}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}
