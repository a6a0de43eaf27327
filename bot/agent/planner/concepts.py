"""Domain concepts: the many words people use for one idea, given to the model as one token.

A held-out phrasing ("anything overdue?") shares no n-grams with the training phrasings of
its intent ("what's on my plate?"), but it shares a concept with them: the model learns the
concept from the bank, and a new synonym here generalizes without a new rule.
"""

from __future__ import annotations

import re

_CONCEPTS: dict[str, str] = {
    "todo": r"overdue|plate|to ?-?dos?|priorit\w*|focus|attention|next actions?|follow ?-?ups?"
    r"|agenda|my day|should i (?:do|call|email|start)|need to do|next for me",
    "due": r"due|deadlines?|tasks?|coming up",
    "risk": r"risks?|risky|red flags?|trouble|worr\w*|warning|single ?-?threaded|danger|at risk",
    "said": r"say|said|says|mention\w*|objections?|concerns?|feedback|discuss\w*|raised?"
    r"|bring up|brought up|talk(?:ed|s)? about|complain\w*|notes?|emails?|calls?|meetings?"
    r"|search|came up|linkedin|inmail|messages?|transcripts?",
    "quiet": r"no (?:recent )?(?:activity|contact|touch\w*|updates?|response)|quiet|stalled"
    r"|gone dark|went dark|untouched|inactive|idle|stale|dormant|not touched|without activity"
    r"|neglected",
    "people": r"contacts?|people|talk to|reach out|champion|decision makers?|stakeholders?"
    r"|names|titles|who do we know|who is the",
    "superlative": r"biggest|largest|top|smallest|oldest|most|(?<!at )least|longest|soonest|highest"
    r"|lowest|sorted|rank\w*|worth the most|fewest",
    "rep": r"reps?|which reps?|anyone|my team",
    "who_rep": r"which reps?|who|top reps?|rank reps|reps by|anyone on",
    "quota": r"quota|target|plan|number|pace",
    "standing": r"behind|ahead|lagging|falling|above|below|beat|on pace|under",
    "closed": r"won|win|wins|lost|lose|losses|closed|sold",
    "pipeline": r"pipeline|pipe|bookings|book|booked|attainment|tracking",
    "forecast": r"forecast\w*|projected|expected|land|hit the number|will we|going to hit",
    "review": r"changed|slipped|moved|pushed|recap|review",
    "kpi": r"leaderboard|kpis?|scorecards?|doing|performing|struggling|needs? help|win rates?",
    "coach": r"1 ?-?1|1 on 1|1on1|one on one|one-on-one|coach\w*|talking points|prep\w*",
    "status": r"status|how (?:is|are) .{0,40} going|what stage|next steps?|update|details|how close"
    r"|when does",
    "account": r"overview|background|rundown|account|info|customer|going on with|new with",
}
_PATTERNS = {name: re.compile(rf"\b(?:{words})\b") for name, words in _CONCEPTS.items()}


def concept_tokens(text: str) -> list[str]:
    """One token per concept the text names ("~todo", "~risk")."""
    return [f"~{name}" for name, rx in _PATTERNS.items() if rx.search(text)]
