"""The offline planner's rules: which tool a question needs, and the answer from its results.

Pure functions over plain data, so the planner answers without a model, a database or I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.agent.slots import STOPWORDS, Parsed, deal_account, only_deal, parse, word_set
from tools.crm.money import format_money


@dataclass(frozen=True)
class Vocabulary:
    """The names a question may use, as the asker is allowed to see them."""

    me: str
    is_manager: bool
    accounts: tuple[str, ...]
    deals: tuple[str, ...]
    reps: tuple[str, ...]


@dataclass(frozen=True)
class PlannedCall:
    name: str
    args: dict[str, Any]


@dataclass(frozen=True)
class ToolResult:
    name: str
    args: dict[str, Any]
    content: str
    artifact: dict[str, Any] | None


_SEARCH = re.compile(
    r"\b(?:say|said|says|saying|mention(?:s|ed|ing)?|talk(?:s|ed|ing)?|discuss(?:es|ed|ing|ion)?"
    r"|objections?|concerns?|complain(?:ed|ing|ts?)?|push ?back|feedback|bring up|brought up"
    r"|raised?|raising|asked about|told|spoke|wrote|search|transcripts?|conversations?)\b"
)
_TODO = re.compile(
    r"\b(?:what should i (?:do|work on|focus on|tackle)|what do i (?:do|need to do)|what next"
    r"|where (?:should|do) i start|to ?-?dos?|plate|priorit(?:y|ies|ize|ise)|overdue|due today"
    r"|what is due|what due|follow ?-?ups?|next actions?|action items?|tasks?|reminders?"
    r"|my day|agenda|needs? (?:my )?attention|who should i (?:call|email|contact|chase))\b"
)
_ONE_DEAL = re.compile(r"\b(?:deal|opportunity|opp)\b")
_MANY_DEALS = re.compile(r"\b(?:deals|opportunities|opps)\b")
_CLOSING = re.compile(r"\b(?:closing|close|closes|slipping|slipped|landing)\b")
_ACCOUNT = re.compile(
    r"\b(?:account|company|customer|client|contacts?|overview|background|profile|people at"
    r"|stakeholders?|decision makers?|champion|who do we know)\b"
)
_STATUS = re.compile(
    r"\b(?:status|going|where are we|where do we stand|update on|latest on|next steps?"
    r"|progress|how close)\b"
)
_PIPELINE = re.compile(
    r"\b(?:pipeline|pipe|quota|attainment|forecast\w*|commit|bookings|numbers|tracking"
    r"|on track|coverage|performance|performing|doing|summary|how am i|book|booked)\b"
)
_PIPE = re.compile(r"\b(?:pipeline|pipe)\b")
_TEAM = frozenset({"team", "teams", "everyone", "everybody", "org", "reps", "reports"})
_WE = frozenset({"we", "our", "us"})
_TOPIC = re.compile(
    r"\b(?:about|regarding|concerning|re|around|mention(?:s|ed|ing)?(?: of)?|discuss(?:ed|ing)?"
    r"|raised?|brought up|bring up|where they talked)\b"
)
_NOT_TOPIC = STOPWORDS | word_set(
    """find search any did they he she them said say says saying talk talked talking mention
    mentioned discuss discussed what who which where when how we tell told spoke wrote raise
    raised bring brought up from at with a an the in of on for to anything something ever were
    was been have has message messages linkedin inmail anyone someone"""
)


def plan(text: str, vocab: Vocabulary) -> list[PlannedCall]:
    """Turn a question into tool calls; [] when it is not understood.

    Args:
        text: the user's words, as typed.
        vocab: the names the asker may see, for matching accounts, deals and reps.

    Returns:
        The calls to make, in order; empty when the planner should offer help instead.
    """
    p = parse(text, vocab.accounts, vocab.deals, vocab.reps, vocab.me)
    intent = _intent(p)
    args = _BUILDERS[intent](p, vocab) if intent else None
    return [PlannedCall(intent, args)] if intent and args is not None else []


def _intent(p: Parsed) -> str | None:
    named = p.account or p.deal
    checks: list[tuple[bool, str]] = [
        (bool(_SEARCH.search(p.text)), "search_interactions"),
        (bool(_TODO.search(p.text)) and not named, "next_actions"),
        (bool(p.kind) and not _filters(p), "search_interactions"),
        (bool(_ONE_DEAL.search(p.text)) and bool(named or _residual(p)), "get_deal"),
        (_wants_deal_list(p), "find_deals"),
        (bool(_ACCOUNT.search(p.text)) and bool(p.account or _residual(p)), "account_overview"),
        (bool(_STATUS.search(p.text)) and bool(named or _residual(p)), "get_deal"),
        (bool(_PIPELINE.search(p.text) or p.person) and not named, "pipeline_summary"),
        (bool(p.deal), "get_deal"),
        (bool(p.account), "account_overview"),
        ("today" in p.words or "now" in p.words, "next_actions"),
    ]
    return next((intent for hit, intent in checks if hit), None)


def _filters(p: Parsed) -> bool:
    return any(v is not None for v in (p.stage, p.amount, p.inactive_days))


def _wants_deal_list(p: Parsed) -> bool:
    if _filters(p) or _MANY_DEALS.search(p.text):
        return True
    closing = bool(p.period and _CLOSING.search(p.text))
    return closing or bool(p.account and _PIPE.search(p.text))


def _residual(p: Parsed) -> str | None:
    """Words no slot explained: an unknown name for the tools to match or suggest against."""
    cues = {"tell", "going", "doing", "give", "find", "stand", "progress", "latest", "status"}
    words = [w for w in p.rest if w not in _NOT_TOPIC | cues and w.isalpha()]
    return " ".join(words) if 0 < len(words) <= 4 else None


_AFTER_PREPOSITION = re.compile(r"\b(?:for|at|with|from|of|on)\s+([a-z][a-z ]*)")
_FILTER_WORDS = word_set(
    """prospecting prospect prospects qualification qualified qualifying discovery proposal
    proposals negotiation negotiations negotiating negotiate won win wins lost losses closed
    live stage big large new huge"""
)


def _unknown_account(p: Parsed) -> str | None:
    """A name after "for"/"at"/"with" that no vocabulary word explains ("big deals for Zenith").

    Passing it on lets the tool answer "not found" with suggestions instead of listing
    every deal as if no account had been named.
    """
    if p.account or p.person:
        return None
    m = _AFTER_PREPOSITION.search(" ".join(p.rest))
    words = m[1].split()[:3] if m else []
    words = [w for w in words if w not in _NOT_TOPIC | _FILTER_WORDS]
    return " ".join(words) or None


def _owner(p: Parsed) -> str | None:
    if p.person:
        return p.person
    if p.words & _TEAM:
        return "team"
    return "me" if p.words & {"my", "mine"} or re.search(r"\b(?:i have|for me)\b", p.text) else None


def _compact(**args: Any) -> dict[str, Any]:
    return {k: v for k, v in args.items() if v is not None}


def _plan_find_deals(p: Parsed, vocab: Vocabulary) -> dict[str, Any]:
    return _compact(
        stage=p.stage,
        period=p.period,
        min_amount=p.amount,
        account=p.account or _unknown_account(p),
        owner=_owner(p),
        inactive_days=p.inactive_days,
        limit=p.limit,
    )


def _plan_get_deal(p: Parsed, vocab: Vocabulary) -> dict[str, Any] | None:
    # Unresolved words go to the tool's own fuzzy match, which can also suggest near misses.
    words = " ".join(w for w in (p.account, _residual(p)) if w)
    deal = p.deal or only_deal(vocab.deals, p.account) or words
    return {"deal": deal} if deal else None


def _plan_account_overview(p: Parsed, vocab: Vocabulary) -> dict[str, Any] | None:
    account = p.account or (deal_account(p.deal) if p.deal else None) or _residual(p)
    return {"account": account} if account else None


def _plan_pipeline_summary(p: Parsed, vocab: Vocabulary) -> dict[str, Any]:
    # A manager asking "how are we tracking" means the team; a rep's "we" is just them.
    we = vocab.is_manager and bool(p.words & _WE) and "my" not in p.words
    return _compact(scope=_owner(p) or ("team" if we else "me"), period=p.period)


def _plan_next_actions(p: Parsed, vocab: Vocabulary) -> dict[str, Any]:
    return _compact(limit=p.limit)


def _plan_search_interactions(p: Parsed, vocab: Vocabulary) -> dict[str, Any]:
    deal = p.deal or only_deal(vocab.deals, p.account)
    said_deal = deal and _ONE_DEAL.search(p.text) and not deal.isdigit()
    return _compact(
        query=_topic(p),
        account=p.account,
        deal=deal if said_deal else None,
        kind=p.kind,
        since=p.period,
        limit=p.limit,
    )


def _topic(p: Parsed) -> str:
    """The words to search for: after "about"/"mention of" when present, else what is left."""
    rest = " ".join(p.topic)
    starts = list(_TOPIC.finditer(rest))
    words = rest[starts[-1].end() :].split() if starts else []
    while words and words[0] in _NOT_TOPIC:
        words.pop(0)
    while words and words[-1] in _NOT_TOPIC:
        words.pop()
    if not words:
        words = [w for w in p.topic if w not in _NOT_TOPIC and not _SEARCH.fullmatch(w)]
    # Something to embed even for "any calls with Hooli?": the kind, else the whole question.
    return " ".join(words) or p.kind or p.text


_BUILDERS: dict[str, Callable[[Parsed, Vocabulary], dict[str, Any] | None]] = {
    "find_deals": _plan_find_deals,
    "get_deal": _plan_get_deal,
    "account_overview": _plan_account_overview,
    "pipeline_summary": _plan_pipeline_summary,
    "next_actions": _plan_next_actions,
    "search_interactions": _plan_search_interactions,
}


MAX_ROWS = 10


def compose_answer(question: str, results: list[ToolResult]) -> str:
    """Write the reply from the tools' artifacts only, so every figure is one a tool returned.

    Args:
        question: what the user asked; unused, since the results alone carry the facts.
        results: each tool call with its content and artifact, in call order.

    Returns:
        Plain Markdown, one paragraph per result.
    """
    if not results:
        return "I couldn't find anything for that. Ask me for *help* to see what I can do."
    return "\n\n".join(_render(result) for result in results)


def _render(result: ToolResult) -> str:
    artifact = result.artifact
    if artifact is None:
        return result.content.strip() or "The tool returned nothing."
    render = _RENDERERS.get(str(artifact.get("type")))
    return render(artifact) if render else result.content


def _money(amount: str | None, currency: str | None = "USD") -> str:
    return format_money(amount or "0", currency or "USD")


def _label(word: str) -> str:
    """ "closed_won" -> "Closed won", "linkedin" -> "LinkedIn"."""
    return "LinkedIn" if word == "linkedin" else word.replace("_", " ").capitalize()


def _deals_count(count: int) -> str:
    return f"{count} deal{'s' * (count != 1)}"


def _more(shown: int, total: int) -> list[str]:
    return [f"…and {total - shown} more."] if total > shown else []


def _note(artifact: dict[str, Any]) -> list[str]:
    return [f"_{artifact['note']}_"] if artifact.get("note") else []


def _deal_line(row: dict[str, Any], with_account: bool = True) -> str:
    where = f" ({row['account']})" if with_account else ""
    parts = [
        f"- *{row['name']}*{where}: {_money(row['amount'], row.get('currency'))}",
        _label(row["stage"]),
        f"closes {row['close_date']}",
        row.get("owner") or "",
        f"last activity {row['last_activity']}" if row.get("last_activity") else "",
    ]
    return " · ".join(p for p in parts if p)


def _deals(a: dict[str, Any]) -> str:
    rows, title = a.get("rows", []), a.get("title", "Deals")
    if not rows:
        lines = [f"No deals match *{title}*. Try a wider period or fewer filters."]
        return "\n".join(lines + _note(a))
    count, total = a.get("total_count", len(rows)), _money(a.get("total_amount"), a.get("currency"))
    head = f"*{title}*: {_deals_count(count)}, {total} in total."
    lines = [head, *(_deal_line(r) for r in rows[:MAX_ROWS])]
    return "\n".join(lines + _more(min(len(rows), MAX_ROWS), count) + _note(a))


def _deal(a: dict[str, Any]) -> str:
    d = a["deal"]
    lines = [
        f"*{d['name']}* ({d['account']}): {_money(d['amount'], d.get('currency'))}"
        f" · {_label(d['stage'])} · closes {d['close_date']}",
        f"Owner {d['owner']} · {d['days_in_stage']} days in this stage.",
    ]
    if d.get("next_step"):
        lines.append(f"Next step: {d['next_step']}")
    lines += _contacts(a.get("contacts", []))
    lines += _interactions_brief(a.get("interactions", []))
    tasks = a.get("tasks", [])
    if tasks:
        lines.append("Open tasks:")
        lines += [
            f"- {t['title']} (due {t['due_date']}{', overdue' * t['overdue']})" for t in tasks
        ]
    return "\n".join(lines)


def _contacts(contacts: list[dict[str, Any]], limit: int = 5) -> list[str]:
    if not contacts:
        return []
    named = [f"{c['name']} ({c['title']})" if c.get("title") else c["name"] for c in contacts]
    return [f"Contacts: {', '.join(named[:limit])}", *_more(min(len(named), limit), len(named))]


def _interactions_brief(items: list[dict[str, Any]], limit: int = 3) -> list[str]:
    if not items:
        return []
    lines = [f"- {i['date']} · {_label(i['kind'])} · {i['subject']}" for i in items[:limit]]
    return ["Recent interactions:", *lines]


def _account(a: dict[str, Any]) -> str:
    acc = a["account"]
    about = " · ".join(p for p in (acc.get("industry"), f"owner {acc.get('owner')}") if p)
    lines = [f"*{acc['name']}* ({about})"]
    open_deals, closed = a.get("open_deals", []), a.get("closed_deals", [])
    lines.append("Open deals:" if open_deals else "No open deals.")
    lines += [_deal_line(r, with_account=False) for r in open_deals[:MAX_ROWS]]
    lines += _more(min(len(open_deals), MAX_ROWS), len(open_deals))
    if closed:
        lines.append("Closed deals:")
        lines += [_deal_line(r, with_account=False) for r in closed[:5]]
        lines += _more(min(len(closed), 5), len(closed))
    lines += _contacts(a.get("contacts", []))
    return "\n".join(lines + _interactions_brief(a.get("interactions", [])))


def _pipeline(a: dict[str, Any]) -> str:
    cur = a.get("currency", "USD")
    label = (a.get("period") or {}).get("label")
    lines = [
        f"*Pipeline for {a['scope_label']}{f', {label}' if label else ''}*",
        f"Open: {_deals_count(a['open_count'])}, {_money(a['open_amount'], cur)}"
        f" (weighted {_money(a['weighted_amount'], cur)})",
    ]
    lines += [
        f"- {_label(s['stage'])}: {s['count']} · {_money(s['amount'], cur)}"
        f" (weighted {_money(s['weighted_amount'], cur)})"
        for s in a.get("by_stage", [])
    ]
    lines.append(f"Won: {_deals_count(a['won_count'])}, {_money(a['won_amount'], cur)}")
    if a.get("quota"):
        pct = f" · attainment {a['attainment_pct']}%" if a.get("attainment_pct") else ""
        lines.append(f"Quota: {_money(a['quota'], cur)}{pct}")
    else:
        lines.append("No quota is set for this period.")
    return "\n".join(lines + _note(a))


def _next_actions(a: dict[str, Any]) -> str:
    items = a.get("items", [])
    if not items:
        return "You're all caught up: nothing overdue, due today or going quiet."
    lines = ["Here's what needs you, most important first:"]
    for item in items[:MAX_ROWS]:
        due = f"due {item['due_date']}" if item.get("due_date") else None
        context = " · ".join(b for b in (item.get("deal"), item.get("account"), due) if b)
        lines.append(
            f"- *{item['title']}*: {item['reason']}" + (f" ({context})" if context else "")
        )
    return "\n".join(lines + _more(min(len(items), MAX_ROWS), len(items)))


def _interactions(a: dict[str, Any]) -> str:
    hits, query = a.get("hits", []), a.get("query", "")
    if not hits:
        return f"I didn't find any emails, calls, meetings or notes about '{query}'."
    lines = [f"Here's what I found about *{query}*:"]
    for h in hits[:MAX_ROWS]:
        where = f"{h['account']} / {h['deal']}" if h.get("deal") else h["account"]
        lines.append(
            f"- {h['date']} · {_label(h['kind'])} · {where}: *{h['subject']}*: {h['snippet']}"
        )
    return "\n".join(lines + _more(min(len(hits), MAX_ROWS), len(hits)))


def _not_found(a: dict[str, Any]) -> str:
    what = a.get("what", "record")
    article = "an" if what[:1] in "aeiou" else "a"
    text = f"I couldn't find {article} {what} matching '{a.get('query', '')}'."
    suggestions = a.get("suggestions") or []
    return text + (f" Did you mean {', '.join(suggestions)}?" if suggestions else "")


def _notice(a: dict[str, Any]) -> str:
    return str(a.get("text", ""))


_RENDERERS: dict[str, Callable[[dict[str, Any]], str]] = {
    "deals": _deals,
    "deal": _deal,
    "account": _account,
    "pipeline": _pipeline,
    "next_actions": _next_actions,
    "interactions": _interactions,
    "not_found": _not_found,
    "notice": _notice,
}


def help_text(vocab: Vocabulary) -> str:
    """What the planner can do, with example questions built from the asker's own names.

    Args:
        vocab: the asker's names; managers get examples about their team and reps.

    Returns:
        Plain Markdown: one sentence, then the examples as a list.
    """
    account = vocab.accounts[0] if vocab.accounts else "Acme"
    deal = deal_account(vocab.deals[0]) if vocab.deals else account
    examples = [
        "What should I do today?",
        "Show my open deals over 50k closing next month",
        "Which deals have had no activity in 30 days?",
        f"How is the {deal} deal going?",
        f"Tell me about {account}",
        f"What did {account} say about pricing?",
    ]
    if vocab.is_manager:
        rep = vocab.reps[0].split()[0] if vocab.reps else "Dana"
        examples[1:1] = ["Pipeline for my team this quarter", f"How is {rep} doing this quarter?"]
    else:
        examples.insert(1, "How's my pipeline this quarter?")
    intro = (
        "I answer from the CRM: your to-do list, pipeline and quota, deal lists by stage, "
        "amount, close date, owner or inactivity, single deals and accounts, and what customers "
        "said in emails, calls, meetings and notes. Try:"
    )
    return "\n".join([intro, *(f"- {e}" for e in examples)])
