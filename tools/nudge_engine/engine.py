"""compute_nudges: every rep's top actions for their day, in a fixed number of SQL statements."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from sqlalchemy import and_
from sqlalchemy.orm import Session

from tools.crm.stage_stats import blended_p75, history_start, stay_histograms
from tools.day_numbers import day_number, start_of
from tools.models import OPEN_STAGES, Deal, Stage
from tools.nudge_engine.billing import billing_candidates
from tools.nudge_engine.candidates import (
    PROMISE_LOOKBACK_DAYS,
    deal_candidates,
    likely_candidates,
    task_candidate,
)
from tools.nudge_engine.facts import DealFacts, load_facts
from tools.nudge_engine.loaders import (
    LastActivity,
    TaskRow,
    deal_details,
    due_tasks,
    last_per_deal,
    promising_activities,
)
from tools.nudge_engine.nudge import Candidate, Nudge
from tools.nudge_engine.render import render
from tools.nudge_engine.scoring import pick
from tools.nudge_engine.team import TeamStats, team_stats
from tools.nudge_engine.win_model import WinModel
from tools.portable_sql import in_ids


def compute_nudges(
    session: Session,
    reps: Mapping[int, date],
    *,
    limit: int = 5,
    snoozed: Mapping[int, set[str]] | None = None,
    stats: TeamStats | None = None,
) -> dict[int, list[Nudge]]:
    """For each rep id -> that rep's LOCAL today, the top `limit` nudges, highest value first.

    Items whose key is in snoozed[user_id] are left out. A rep with nothing to do gets [].
    `stats` (the company baseline and the win model) are loaded here unless given, e.g. from
    `cached_team_stats` for an interactive call. "Stalled" compares with each rep's own stays
    blended with the baseline, so another team's deals never move a rep's nudges mid-week.

    The SQL is the same eleven statements (seven with `stats` given; more the first time in a
    week, when the baseline is computed and stored) for one rep or ten thousand:
    every read covers all the reps at once, with the integer ids written into the SQL so no
    bind-parameter limit applies, and rows are grouped by rep in Python.
    """
    if not reps:
        return {}
    latest = max(reps.values())
    until = start_of(latest + timedelta(days=1))  # everything logged up to the end of today
    open_deals = and_(in_ids(Deal.owner_id, reps), Deal.stage.in_(OPEN_STAGES))
    facts = load_facts(session, open_deals, until)
    since = start_of(min(reps.values()) - timedelta(days=PROMISE_LOOKBACK_DAYS))
    found = promising_activities(session, open_deals, since, until)
    promises = last_per_deal(found, {d: f.last for d, f in facts.items()})
    tasks: dict[int, list[TaskRow]] = defaultdict(list)
    for task in due_tasks(session, reps, latest):
        tasks[task.owner_id].append(task)
    stats = stats or team_stats(session, latest)
    model = stats.model
    stays = stay_histograms(session, history_start(latest), owners=frozenset(reps))

    by_rep: dict[int, list[DealFacts]] = defaultdict(list)
    for f in facts.values():
        by_rep[f.owner_id].append(f)
    chances = _chances(model, facts)
    billing = billing_candidates(session, reps)
    snoozed = snoozed or {}
    chosen = {}
    for rep, today in reps.items():
        p75 = blended_p75(stays.get(rep, {}), stats.baseline.p75)
        own = _rep_candidates(
            day_number(today), by_rep[rep], tasks[rep], promises, p75, model, chances
        )
        own += billing.get(rep, [])
        chosen[rep] = pick(own, limit, snoozed.get(rep, set()))
    shown = {c.deal_id for picked in chosen.values() for c in picked if c.deal_id is not None}
    details = deal_details(session, shown, until)
    return {
        rep: [render(c, details.get(c.deal_id) if c.deal_id else None) for c in picked]
        for rep, picked in chosen.items()
    }


def _chances(model: WinModel | None, facts: Mapping[int, DealFacts]) -> dict[int, float]:
    if model is None or not facts:
        return {}
    deals = list(facts.values())
    return dict(zip(facts, model.probabilities(deals).tolist(), strict=True))


def _rep_candidates(
    today: int,
    deals: Sequence[DealFacts],
    tasks: Sequence[TaskRow],
    promises: Mapping[int, LastActivity],
    p75: dict[Stage, int],
    model: WinModel | None,
    chances: Mapping[int, float],
) -> list[Candidate]:
    """Everything that could be one rep's nudge today, before ranking."""
    found = [task_candidate(t, today) for t in tasks if t.due_day <= today]
    for f in deals:
        found += deal_candidates(f, today, promises.get(f.deal_id), p75)
    if model is not None:
        found += likely_candidates(deals, [chances[f.deal_id] for f in deals], model)
    return found
