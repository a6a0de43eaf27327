"""Write a chosen candidate out as a Nudge: an imperative title, a one-sentence reason, evidence."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from tools.billing.movement import MOVEMENT_DAYS
from tools.crm.money import format_money
from tools.crm.rows import snippet
from tools.day_numbers import date_of
from tools.nudge_engine.loaders import DealInfo
from tools.nudge_engine.nudge import Candidate, Nudge
from tools.nudge_engine.promises import action_title

# title, reason, evidence_date, evidence, due_date
Text = tuple[str, str, date | None, str, date | None]
NO_DEAL = DealInfo("this deal", "the customer", "0.00", "USD", None)


def render(c: Candidate, deal: DealInfo | None) -> Nudge:
    shown = deal or NO_DEAL
    title, reason, when, evidence, due = _WRITERS[c.kind](c.info, shown)
    return Nudge(
        key=c.key,
        kind=c.kind,
        title=snippet(title, 160),
        reason=reason,
        evidence_date=when.isoformat() if when else None,
        evidence=evidence,
        score=round(c.score, 2),
        user_id=c.user_id,
        deal_id=c.deal_id,
        task_id=c.task_id,
        deal=deal.name if deal else None,
        account=deal.account if deal else None,
        amount=deal.amount if deal else None,
        currency=deal.currency if deal else "USD",
        due_date=due.isoformat() if due else None,
    )


def _days(n: int) -> str:
    return f"{n} day{'s' * (n != 1)}"


def _task(i: dict[str, Any], d: DealInfo) -> Text:
    due, late = date_of(i["due"]), i["late"]
    reason = f"Task overdue by {_days(late)} (due {due})" if late > 0 else "Task due today"
    return i["title"], reason, due, f"due_date {due}", due


def _quiet(i: dict[str, Any], d: DealInfo) -> Text:
    stage, since = i["stage"].value, date_of(i["since"])
    if i["never"]:
        reason = f"No activity in the {_days(i['days'])} since this {stage} deal was created"
        evidence = f"no activity since the deal was created on {since}"
    else:
        reason = f"No activity for {_days(i['days'])}; {stage} deals go quiet after {i['limit']}"
        evidence = f"last activity {since}" + (f": “{d.last_subject}”" if d.last_subject else "")
    return f"Re-engage {d.account} on {d.name}", reason, since, evidence, None


def _past_close(i: dict[str, Any], d: DealInfo) -> Text:
    close = date_of(i["close_date"])
    reason = f"Close date {close} passed {_days(i['days'])} ago and the deal is still open"
    return f"Update the close date of {d.name}", reason, close, f"close_date {close}", close


def _close_soon(i: dict[str, Any], d: DealInfo) -> Text:
    close, ahead = date_of(i["close_date"]), i["days"]
    when = "today" if ahead == 0 else f"in {_days(ahead)}"
    reason = f"Closes {when} ({close}) with no activity for {_days(i['idle'])}"
    return f"Confirm {d.name} still closes by {close}", reason, close, f"close_date {close}", close


def _stalled(i: dict[str, Any], d: DealInfo) -> Text:
    stage, days, p75 = i["stage"].value, i["days"], i["p75"]
    # p75: the rep's own stays blended with the company baseline (tools/crm/stage_stats.py).
    reason = f"In {stage} for {days} days, longer than deals usually stay ({p75} days)"
    evidence = f"in {stage} for {days} days (usual p75: {p75})"
    title = f"Agree the next step that moves {d.name} past {stage}"
    return title, reason, date_of(i["since"]), evidence, None


def _promise(i: dict[str, Any], d: DealInfo) -> Text:
    promise, said_on, late = i["promise"], date_of(i["said_on"]), i["late"]
    title = (
        action_title(promise.action, d.account)
        if promise.action
        else (f"Follow up with {d.account} on what you promised")
    )
    due = f", due {promise.due}" if promise.due else ""
    if promise.due and late > 0:
        due += f" ({_days(late)} late)"
    reason = f"You promised this on {said_on}{due}, and nothing was logged on the deal since"
    return title, reason, said_on, snippet(promise.said, 200), promise.due


def _likely(i: dict[str, Any], d: DealInfo) -> Text:
    pct = round(i["p"] * 100)
    reason = f"{pct}% likely to close: {', '.join(i['drivers'])}"
    expected = format_money(str(round(i["expected"], 2)), d.currency)
    evidence = (
        f"win model on {i['trained_on']} closed deals: {pct}% of "
        f"{format_money(d.amount, d.currency)} = {expected} expected"
    )
    return f"Push {d.name} toward signature", reason, date_of(i["since"]), evidence, None


def _renewal(i: dict[str, Any], d: DealInfo) -> Text:
    mrr = format_money(i["mrr"], i["currency"])
    what = f"{i['account']}'s {i['plan'] or 'subscription'}"
    title = f"Prepare the renewal of {what}"
    reason = f"renews in {_days(i['days'])}" + (
        ", and a cancellation is scheduled" if i["cancelling"] else ""
    )
    evidence = f"subscription renews {i['renewal'].isoformat()} at {mrr} a month"
    return title, reason, i["renewal"], evidence, i["renewal"]


def _overdue_invoice(i: dict[str, Any], d: DealInfo) -> Text:
    owed = format_money(i["owed"], i["currency"])
    more = f" (and {i['others']} more unpaid)" if i["others"] else ""
    title = f"Settle {d.account}'s overdue invoice before pushing {d.name}"
    reason = f"invoice {i['invoice']} is {_days(i['late'])} overdue{more}"
    evidence = f"invoice {i['invoice']}: {owed} due {i['due'].isoformat()}, unpaid"
    return title, reason, i["due"], evidence, None


def _expansion(i: dict[str, Any], d: DealInfo) -> Text:
    title = f"Talk expansion with {i['account']}"
    reason = f"their MRR grew {i['pct']}% in {MOVEMENT_DAYS} days: seats or plans were added"
    return title, reason, date.fromisoformat(i["since"]), i["evidence"], None


_WRITERS: dict[str, Callable[[dict[str, Any], DealInfo], Text]] = {
    "overdue_task": _task,
    "due_today": _task,
    "quiet_deal": _quiet,
    "past_close_date": _past_close,
    "close_date": _close_soon,
    "stalled": _stalled,
    "promised_follow_up": _promise,
    "likely_win": _likely,
    "renewal_due": _renewal,
    "overdue_invoice": _overdue_invoice,
    "expansion_signal": _expansion,
}
