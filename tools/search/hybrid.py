"""One search: read the words, run both halves inside the asker's scope, fuse, cut, fold."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal

from sqlalchemy.orm import Session

from tools.crm.activities import visible_interactions
from tools.interactions import InteractionIndex, SearchFilter
from tools.principal import Principal
from tools.search import rows, stored_vectors
from tools.search.exact import EXACT_LIMIT
from tools.search.fusion import DEFAULT_CUT_OFF, CutOff, cut, fold, fuse
from tools.search.lexical import Narrowing, lexical_search
from tools.search.lexicon import expand, mentions_all, words_of
from tools.search.query import Reading, read_query

POOL = 50  # candidates taken from each half before fusion
Mode = Literal["hybrid", "semantic", "lexical"]


@dataclass
class Outcome:
    """What was found, and what was searched: the answer says both."""

    hits: list[dict[str, Any]]
    reading: Reading
    narrowing: Narrowing
    semantic: bool = True  # False when no vector index could be asked
    anchor: str | None = None  # "since the demo": the day of that demo
    notes: list[str] = field(default_factory=list)


def search(
    session: Session,
    principal: Principal,
    index: InteractionIndex | None,
    query: str,
    narrowing: Narrowing,
    *,
    today: date,
    limit: int,
    ignore: tuple[str, ...] = (),
    mode: Mode = "hybrid",
    rule: CutOff = DEFAULT_CUT_OFF,
) -> Outcome:
    """Interactions about `query` within `narrowing`, best (or, for "latest", newest) first.

    `ignore` holds words already used as filters (the account's name) so they are not searched.
    The index's errors (SearchUnavailableError) propagate: the caller says search is down.
    """
    reading = read_query(query, today)
    reading = replace(reading, terms=[t for t in reading.terms if t not in _words(ignore)])
    narrowing = _with_reading(narrowing, reading)
    out = Outcome([], reading, narrowing, semantic=index is not None)
    if reading.since_event:
        narrowing = _after_event(session, principal, reading.since_event, narrowing, out)
        out.narrowing = narrowing
    if not reading.terms:
        ids = rows.newest(session, principal, narrowing, limit=limit)
        out.hits = _rows(session, principal, [(i, []) for i in ids])
        return out
    ranked = _ranked(session, principal, index, reading, narrowing, mode, rule)
    texts = rows.texts_of(session, ranked)
    groups = {
        h["activity_id"]: h["account"] for h in visible_interactions(session, principal, ranked)
    }
    folded = fold([(i, groups.get(i, ""), texts.get(i, "")) for i in ranked])
    hits = _rows(session, principal, folded)
    if reading.newest_first:
        hits.sort(key=lambda h: h["date"] or "", reverse=True)
    out.hits = hits[:limit]
    return out


def _ranked(
    session: Session,
    principal: Principal,
    index: InteractionIndex | None,
    reading: Reading,
    narrowing: Narrowing,
    mode: Mode,
    rule: CutOff,
) -> list[int]:
    lexical: list[tuple[int, float]] = []
    if mode != "semantic":
        terms = expand(reading.terms)
        lexical = lexical_search(session, principal, terms, narrowing, limit=POOL)
    semantic: list[tuple[int, float]] = []
    if mode != "lexical" and index is not None:
        semantic = _semantic(session, principal, index, " ".join(reading.terms), narrowing)
    if mode == "semantic":
        return [i for i, _ in semantic]
    exact: set[int] = set()
    if len(reading.terms) > 1:  # several words typed, all in one row: a match whatever its score
        every = lexical_search(session, principal, reading.terms, narrowing, limit=POOL, every=True)
        exact = {i for i, _ in every}
    if narrowing.account_id or narrowing.deal_id or narrowing.contact_id:
        # One account's history on a topic is wanted whole: a row whose subject or lead speaks
        # of every word typed is an answer however its score compares (synonyms add up in
        # full-text scores, meaning does not). Across a whole book the best-scored stay.
        said = rows.leads_of(session, [i for i, _ in lexical])
        exact |= {i for i, text in said.items() if mentions_all(reading.terms, text)}
    return [c.activity_id for c in cut(fuse(lexical, semantic), rule, exact)]


def _semantic(
    session: Session, principal: Principal, index: InteractionIndex, text: str, n: Narrowing
) -> list[tuple[int, float]]:
    """The vector half, scope first: a rep's or manager's candidates (or any narrowed set) and
    their vectors come from SQL in one statement and are ranked by exact distance; only a scope
    too large to read whole (an admin over everything) goes to the index's approximate search."""
    everything = principal.visible_owner_ids is None and n == Narrowing()
    found = None
    if not everything:
        found = stored_vectors.in_scope(session, principal, n, index.vector_model, cap=EXACT_LIMIT)
    if found is not None:
        ids, vectors = found
        return [(h.activity_id, h.distance) for h in index.rank(text, ids, vectors, limit=POOL)]
    hits = index.search(text, principal, _filter(n), limit=POOL)
    allowed = rows.keep_matching(session, principal, [h.activity_id for h in hits], n)
    return [(h.activity_id, h.distance) for h in hits if h.activity_id in allowed]


def _rows(
    session: Session, principal: Principal, folded: list[tuple[int, list[int]]]
) -> list[dict[str, Any]]:
    ids = [i for i, _ in folded]
    found = visible_interactions(session, principal, ids)
    people = rows.contacts_of(session, ids)
    similar = dict(folded)
    for hit in found:
        name, title = people.get(hit["activity_id"], (None, None))
        hit["contact"] = name
        hit["contact_title"] = title
        hit["similar_ids"] = similar.get(hit["activity_id"], [])
    return found


def _with_reading(n: Narrowing, r: Reading) -> Narrowing:
    return replace(
        n,
        kind=n.kind or r.kind,
        since=n.since or (_start(r.since) if r.since else None),
        until=n.until or (_start(r.until + timedelta(days=1)) if r.until else None),
    )


def _after_event(
    session: Session, principal: Principal, event: str, n: Narrowing, out: Outcome
) -> Narrowing:
    """ "since the demo": only what came after the latest interaction about that event."""
    anchor_filter = replace(n, kind=None, since=None, until=None)
    found = lexical_search(session, principal, expand([event]), anchor_filter, limit=POOL)
    moments = [(rows.occurred_at(session, i), i) for i, _ in found]
    latest = max((m for m in moments if m[0] is not None), default=None)
    if latest is None or latest[0] is None:
        out.notes.append(f"I found no {event} to count from, so I searched all dates.")
        return n
    out.anchor = latest[0].date().isoformat()
    return replace(n, since=latest[0] + timedelta(seconds=1))


def _filter(n: Narrowing) -> SearchFilter:
    return SearchFilter(
        account_id=n.account_id, deal_id=n.deal_id, kind=n.kind, since=n.since, until=n.until
    )


def _start(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)


def _words(names: tuple[str, ...]) -> set[str]:
    return {w for name in names for w in words_of(name)}
