"""Slots the offline planner reads from free text: amounts, periods, stages, names."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "a couple of": 2, "a couple": 2, "couple of": 2, "a few": 3, "few": 3,
}  # fmt: skip
_UNIT_TYPOS = {
    "quater": "quarter", "quartr": "quarter", "qtr": "quarter", "quarer": "quarter",
    "quarters": "quarter", "mnth": "month", "mth": "month", "wk": "week", "wks": "weeks",
    "yr": "year", "yrs": "years",
}  # fmt: skip
_DAYS_PER = {"day": 1, "week": 7, "month": 30}
_UNIT = r"(days?|weeks?|months?)"
_COUNTED = re.compile(
    r"\b("
    + "|".join(sorted(map(re.escape, _NUMBER_WORDS), key=len, reverse=True))
    + r")\s+"
    + _UNIT
    + r"\b"
)


def word_set(text: str) -> frozenset[str]:
    """The words of a whitespace-separated list."""
    return frozenset(text.split())


# Words that never name an account, deal or person on their own, and fillers around topics.
STOPWORDS = word_set(
    """a about account accounts activity active all am an and any anything are as at be been big
    biggest by call calls can close closes closing company contact contacts could customer
    customers day days deal deals did do does doing down during each email emails everyone for
    from global going gone good got had has have how i in info information is it its know large
    largest last latest list look many me meeting meetings mention mine month months more most
    much my need new next no not note notes now of on one open opp opportunities opportunity opps
    or our out over overview pipeline please quarter quiet recent said say see should show since
    so some stage status stuff team tell than that the their them there they things this to
    today todo top up update us was we week weeks were what when where which who whole why will
    with year you your"""
)
# Suffixes shared by many company names; alone they identify nothing.
_GENERIC_NAME_WORDS = word_set(
    """corp corporation inc llc ltd co company group holdings industries enterprises health
    foods food technologies tech systems solutions labs partners international services
    software bank capital the and of"""
)


def normalize(text: str) -> str:
    """Lowercase, drop possessives and punctuation, spell out units, keep numbers intact."""
    t = text.lower().replace("’", "'").replace("–", "-").replace("—", "-")
    t = re.sub(r"\bwon't\b", "will not", t)  # else "won" would read as a stage
    t = re.sub(r"(\w)'s\b", r"\1", t)
    t = re.sub(r"(?<!\d)[.,]|[.,](?!\d)", " ", t)
    t = re.sub(r"[^a-z0-9$.,'\-+%>= ]", " ", t)
    t = " ".join(_UNIT_TYPOS.get(w, w) for w in t.split())
    return _COUNTED.sub(lambda m: f"{_NUMBER_WORDS[m[1]]} {m[2]}", t).strip()


def cut(text: str, match: re.Match[str]) -> str:
    """`text` with the matched span blanked, so later slots never re-read it."""
    return f"{text[: match.start()]} {text[match.end() :]}"


def _days(number: str, unit: str) -> int:
    return int(number) * _DAYS_PER[unit.rstrip("s")]


_AMOUNT_NUMBER = (
    r"\$?\s*(\d{1,3}(?:[ ,]\d{3})+|\d+)(\.\d+)?\s*(k|mm|m|million|mil|thousand|bn|b|billion)?\b"
)
_NOT_TIME = r"(?!\s*(?:days?|weeks?|months?|years?|%))"
_AMOUNT_BEFORE = re.compile(
    r"(?:over|above|more than|greater than|bigger than|larger than|at least|exceeding|north of|"
    r"upwards of|minimum of|min|>=|>|worth over|worth more than)\s*" + _AMOUNT_NUMBER + _NOT_TIME
)
_AMOUNT_AFTER = re.compile(_AMOUNT_NUMBER + r"\s*(?:\+|or more|and up|and above|plus)")
_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "mil": 1e6, "million": 1e6}
_SCALE |= {"b": 1e9, "bn": 1e9, "billion": 1e9}


def extract_amount(text: str) -> tuple[float | None, str]:
    """A minimum amount ("over 50k", "above $100,000", "1.5m+") and the text without it."""
    for pattern in (_AMOUNT_BEFORE, _AMOUNT_AFTER):
        if m := pattern.search(text):
            whole = re.sub(r"[ ,]", "", m[1]) + (m[2] or "")
            return float(whole) * _SCALE.get(m[3] or "", 1.0), cut(text, m)
    return None, text


_QUIET = re.compile(
    r"\b(?:no (?:recent )?(?:activity|activities|contact|touch(?:es)?|touchpoints?|updates?|"
    r"movement|engagement|interactions?|response|replies|calls|emails|meetings|follow ?ups?)|"
    r"not (?:been )?touched|untouched|haven'?t (?:been )?touched|nobody (?:has )?touched|"
    r"haven'?t heard|not heard|quiet|silent|inactive|idle|dormant|stale|stalled|stalling|"
    r"stuck|neglected|gone dark|went dark|going dark|without (?:any )?activity)\b"
)
_QUIET_SPAN = re.compile(
    rf"(?<!next )(?<!coming )(?:(?:in|for|over|within|during)\s+)?(?:the\s+)?(?:last|past)?\s*"
    rf"(\d{{1,3}})\+?\s*{_UNIT}\b"
)
DEFAULT_QUIET_DAYS = 14


def extract_inactive_days(text: str) -> tuple[int | None, str]:
    """Days without activity ("no activity in 30 days", "quiet for 3 weeks", "stalled")."""
    quiet = _QUIET.search(text)
    if quiet is None:
        return None, text
    text = cut(text, quiet)
    if m := _QUIET_SPAN.search(text):
        return _days(m[1], m[2]), cut(text, m)
    return DEFAULT_QUIET_DAYS, text


_ISO = r"(\d{4}-\d{2}-\d{2})"
_PERIODS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(_ISO + r"\s*(?:to|until|through|thru|-|and)\s*" + _ISO), "{0} to {1}"),
    (re.compile(rf"\b(?:last|past|previous)\s+(\d{{1,3}})\s+{_UNIT}"), "last {days} days"),
    (re.compile(rf"\b(?:next|coming|upcoming|within)\s+(\d{{1,3}})\s+{_UNIT}"), "next {days} days"),
    (re.compile(r"\b(?:this|current)\s+(quarter|month|week|year)\b"), "this {0}"),
    (re.compile(r"\b(?:next|coming|upcoming)\s+(quarter|month|week|year)\b"), "next {0}"),
    (re.compile(r"\b(?:last|previous|past|prior)\s+(quarter|month|week|year)\b"), "last {0}"),
    (re.compile(r"\bq([1-4])(?:\s*(?:of\s+)?(?:fy\s*)?(\d{4}))?\b"), "Q{0} {1}"),
    (re.compile(r"\b(?:ytd|year to date)\b"), "year to date"),
    (re.compile(r"\b(?:eoq|end of (?:the )?quarter|quarter end|the quarter)\b"), "this quarter"),
    (re.compile(r"\b(?:eom|end of (?:the )?month|month end|the month)\b"), "this month"),
    (re.compile(r"\b(?:eoy|end of (?:the )?year|year end|the year)\b"), "this year"),
    (re.compile(r"\btoday\b"), "today"),
    (re.compile(r"\b" + _ISO + r"\b"), "{0}"),
]


def extract_period(text: str) -> tuple[str | None, str]:
    """Period words the tools understand ("next month", "last 14 days", "Q3") and the rest."""
    for pattern, template in _PERIODS:
        if m := pattern.search(text):
            groups = [g or "" for g in m.groups()]
            days = _days(groups[0], groups[1]) if "{days}" in template else 0
            return template.format(*groups, days=days).strip(), cut(text, m)
    return None, text


_STAGE_PHRASES = [
    (re.compile(r"\bclosed?[\s_-]*won\b|\bwon\b|\bwins?\b"), "closed_won"),
    (re.compile(r"\bclosed?[\s_-]*lost\b|\blost\b|\blosses\b"), "closed_lost"),
    (re.compile(r"\bclosed\b"), "closed"),
    (re.compile(r"\b(?:open|active|live)\b"), "open"),
]
_STAGE_WORDS = {
    "prospecting": "prospecting", "prospect": "prospecting", "prospects": "prospecting",
    "qualification": "qualification", "qualified": "qualification", "qualifying":
    "qualification", "discovery": "qualification", "proposal": "proposal",
    "proposals": "proposal", "negotiation": "negotiation", "negotiations": "negotiation",
    "negotiating": "negotiation", "negotiate": "negotiation",
}  # fmt: skip


def extract_stage(text: str) -> str | None:
    """A stage, or "open"/"closed"; a named stage wins ("open deals in proposal": proposal)."""
    for word in text.split():
        if stage := _STAGE_WORDS.get(word):
            return stage
        if len(word) >= 7:
            for key, stage in _STAGE_WORDS.items():
                if len(key) >= 7 and fuzz.ratio(word, key) >= 85:
                    return stage
    return next((stage for rx, stage in _STAGE_PHRASES if rx.search(text)), None)


_KINDS = {
    "email": "email", "emails": "email", "e-mail": "email", "e-mails": "email",
    "mail": "email", "inbox": "email", "call": "call", "calls": "call", "phone": "call",
    "meeting": "meeting", "meetings": "meeting", "note": "note", "notes": "note",
    "linkedin": "linkedin", "inmail": "linkedin",
}  # fmt: skip


def extract_kind(text: str) -> str | None:
    """The interaction kind named in the text (email, call, meeting, note, linkedin)."""
    return next((_KINDS[w] for w in text.split() if w in _KINDS), None)


_LIMIT = re.compile(
    r"\b(?:top|first|best|biggest|largest)\s+(\d{1,2})\b|\b(\d{1,2})\s+(?:biggest|largest)\b"
)


def extract_limit(text: str) -> tuple[int | None, str]:
    """How many rows were asked for ("top 5", "10 biggest")."""
    if m := _LIMIT.search(text):
        return int(m[1] or m[2]), cut(text, m)
    return None, text


@dataclass(frozen=True)
class NameHit:
    """A vocabulary name found at tokens [start, end) of the question."""

    name: str
    start: int
    end: int
    score: float


def similarity(gram: str, alias: str) -> float:
    """0-100 likeness of typed words to a name, 0 below the bar that keeps common words out.

    Short words must match exactly ("sam" is not "same"); one or two typos are forgiven in
    longer names only when the first letters agree ("initek", "globx"), so "start" stays
    away from "Stark".
    """
    if gram == alias:
        return 100.0
    if min(len(gram), len(alias)) < 4 or gram[0] != alias[0]:
        return 0.0
    score = fuzz.ratio(gram, alias)
    if score >= 85:
        return score
    same_start = len(gram) >= 5 and gram[:5] == alias[:5]
    return 80.0 if same_start and Levenshtein.distance(gram, alias) <= 2 else 0.0


@lru_cache(maxsize=64)
def name_aliases(names: tuple[str, ...], any_word: bool = False) -> dict[str, str]:
    """Normalized full names, plus the shorter forms that belong to exactly one name.

    Companies are shortened to their leading words ("umbrella" for Umbrella Health), since
    trailing words ("Health", "Security", "Analytics") also describe what people talk about;
    people (`any_word`) go by any of their names ("dana", "whitfield").
    """
    aliases = {normalize(name): name for name in names}
    owners: dict[str, set[str]] = {}
    for name in names:
        words = normalize(name).split()
        shorts = words if any_word else [" ".join(words[:n]) for n in range(1, len(words))]
        for short in shorts:
            if len(short) >= 3 and short.split()[-1] not in _GENERIC_NAME_WORDS | STOPWORDS:
                owners.setdefault(short, set()).add(name)
    for short, named in owners.items():
        if len(named) == 1:
            aliases.setdefault(short, next(iter(named)))
    return aliases


def _spans(tokens: Sequence[str], longest: int = 4) -> list[tuple[int, int, bool]]:
    """Spans worth comparing to names, and whether typos may be forgiven in each.

    A span starting or ending on a filler word may only be a name spelled out in full
    ("open road media"), and never on its own ("open").
    """
    spans = []
    for start, first in enumerate(tokens):
        for end in range(start + 1, min(start + longest, len(tokens)) + 1):
            last = tokens[end - 1]
            plain = first not in STOPWORDS and last not in STOPWORDS and not last.isdigit()
            if plain or end - start > 1:
                spans.append((start, end, plain))
    return spans


def find_name(tokens: Sequence[str], aliases: dict[str, str]) -> NameHit | None:
    """The best-scoring vocabulary name in the tokens; longer spans win ties."""
    keys = list(aliases)
    best: NameHit | None = None
    for start, end, fuzzy in _spans(tokens):
        score, name = _best_alias(" ".join(tokens[start:end]), aliases, keys, fuzzy)
        if score and (best is None or (score, end - start) > (best.score, best.end - best.start)):
            best = NameHit(name, start, end, score)
    return best


def _best_alias(
    gram: str, aliases: dict[str, str], keys: list[str], fuzzy: bool
) -> tuple[float, str]:
    if gram in aliases:
        return 100.0, aliases[gram]
    if not fuzzy:
        return 0.0, ""
    # rapidfuzz shortlists in C, so a book of thousands of names stays fast.
    near = process.extract(gram, keys, scorer=fuzz.ratio, score_cutoff=70, limit=3)
    return max(((similarity(gram, alias), aliases[alias]) for alias, _, _ in near), default=(0, ""))


def deal_account(deal: str) -> str:
    """The account part of a deal name ("Acme Corp – Platform Expansion" -> "Acme Corp")."""
    return re.split(r"\s+[-–—:]\s+", deal, maxsplit=1)[0]


def _title_words(deal: str) -> set[str]:
    words = normalize(deal[len(deal_account(deal)) :]).split()
    return {w for w in words if w not in STOPWORDS and len(w) >= 3 and not w.isdigit()}


@lru_cache(maxsize=16)
def _deals_by_word(deals: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for deal in deals:
        for word in _title_words(deal):
            index.setdefault(word, []).append(deal)
    return {word: tuple(named) for word, named in index.items()}


def find_deal(
    tokens: Sequence[str], deals: tuple[str, ...], account: str | None
) -> tuple[str | None, set[int]]:
    """The deal whose own words ("renewal", "data migration") the tokens name, and those tokens.

    Within the named account when there is one; otherwise two of its words (or its only word)
    must appear, so one everyday word ("support") names no deal. A tie names none.
    """
    used: dict[str, set[int]] = {}
    for word, named in _deals_by_word(deals).items():
        hits = {i for i, t in enumerate(tokens) if similarity(t, word) >= 85}
        for deal in named if hits else ():
            if account is None or deal_account(deal) == account:
                used.setdefault(deal, set()).update(hits)
    if account is None:
        used = {d: u for d, u in used.items() if len(u) >= min(2, len(_title_words(d)))}
    ranked = sorted(used.items(), key=lambda item: -len(item[1]))
    if not ranked or (len(ranked) > 1 and len(ranked[1][1]) == len(ranked[0][1])):
        return None, set()
    return ranked[0]


def only_deal(deals: Sequence[str], account: str | None) -> str | None:
    """The account's deal when it has exactly one, so "status of initech" needs no more words."""
    mine = [d for d in deals if account and deal_account(d) == account]
    return mine[0] if len(mine) == 1 else None


@dataclass(frozen=True)
class Parsed:
    """Everything the planner read from one question."""

    text: str
    words: frozenset[str]
    rest: tuple[str, ...]  # tokens no slot or name claimed: unknown names and fillers
    topic: tuple[str, ...] = ()  # tokens no slot, account or person claimed: what to search for
    amount: float | None = None
    inactive_days: int | None = None
    period: str | None = None
    stage: str | None = None
    kind: str | None = None
    limit: int | None = None
    account: str | None = None
    deal: str | None = None
    person: str | None = None  # a rep's full name, "me", or a name guessed from the phrasing


_DEAL_ID = re.compile(r"\b(?:deal|opp|opportunity|id)\s+(\d{1,7})\b")


def parse(
    text: str, accounts: tuple[str, ...], deals: tuple[str, ...], reps: tuple[str, ...], me: str
) -> Parsed:
    """Read every slot, then the names, from what is left of the question."""
    norm = normalize(text)
    limit, rest = extract_limit(norm)
    inactive, rest = extract_inactive_days(rest)
    amount, rest = extract_amount(rest)
    period, rest = extract_period(rest)
    tokens = rest.split()
    account, person, used = _names(tokens, accounts, deals, reps, me)
    deal, deal_used = find_deal(tokens, deals, account)
    if m := _DEAL_ID.search(rest):
        deal = m[1]
    left = tuple(t for i, t in enumerate(tokens) if i not in used | deal_used)
    plain = " ".join(left)  # stage and kind words inside a name ("Open Road Media") don't count
    return Parsed(
        text=norm,
        words=frozenset(norm.split()),
        rest=left,
        topic=tuple(t for i, t in enumerate(tokens) if i not in used),
        amount=amount,
        inactive_days=inactive,
        period=period,
        stage=extract_stage(plain),
        kind=extract_kind(plain),
        limit=limit,
        account=account,
        deal=deal,
        person=person or (None if account else guess_person(text)),
    )


def _names(
    tokens: list[str],
    accounts: tuple[str, ...],
    deals: tuple[str, ...],
    reps: tuple[str, ...],
    me: str,
) -> tuple[str | None, str | None, set[int]]:
    known = tuple(dict.fromkeys([*accounts, *map(deal_account, deals)]))
    account = find_name(tokens, name_aliases(known))
    person = find_name(tokens, name_aliases((*reps, me), any_word=True))
    if account and person and account.start < person.end and person.start < account.end:
        # One span, two readings: keep the closer match, the account on a tie.
        account, person = (account, None) if account.score >= person.score else (None, person)
    used = {i for hit in (account, person) if hit for i in range(hit.start, hit.end)}
    who = None if person is None else "me" if person.name == me else person.name
    return (account.name if account else None), who, used


_POSSESSIVE = re.compile(
    r"\b([a-z]+)'s (?:open |closed |won |lost |big )?"
    r"(?:deals|pipeline|numbers|quota|forecast|book|attainment)\b"
)
_DOING = re.compile(r"\bhow(?:'s| is| are)? ([a-z]+(?: [a-z]+)?) doing\b")


def guess_person(text: str) -> str | None:
    """A name the vocabulary lacks, from "how is X doing" or "X's deals"; the tools check it."""
    low = text.lower().replace("’", "'")
    m = _POSSESSIVE.search(low) or _DOING.search(low)
    if m is None or any(w in STOPWORDS | {"it", "things", "business"} for w in m[1].split()):
        return None
    return m[1].title()
