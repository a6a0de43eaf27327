"""Every word list the planner shares, defined once."""

from __future__ import annotations


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
# Who "the team" is: the asker's reports (a manager's "we" is their team too, see WE).
TEAM = word_set("team teams everyone everybody org reps reports")
WE = word_set("we our us")
MINE = word_set("my mine")
# Words the intents turn on: a typo in one of them is corrected (spelling.py), never a name.
DOMAIN_WORDS = word_set(
    """pipeline pipe quarter month week year closing closed close closes deals deal biggest
    largest smallest oldest newest highest lowest contacts contact quota forecast forecasting
    overdue tasks task due behind ahead leaderboard negotiation proposal prospecting
    qualification discovery activity inactive stalled priorities priority today tomorrow
    yesterday monday tuesday wednesday thursday friday recently recent competitor pricing
    attainment bookings revenue renewal expansion opportunities opportunity customer account
    accounts meeting meetings emails email calls notes mention mentioned objections
    stakeholders champion decision team reps performing performance doing tracking coaching
    review changed slipped pushed risk risks risky trouble won lost win lose losses wins
    pipeline's numbers target plan sorted ranked rank least most longest soonest worth amount
    size value what whats which who show tell about deadlines"""
)
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "a couple of": 2, "a couple": 2, "couple of": 2, "a few": 3, "few": 3,
}  # fmt: skip
UNIT_TYPOS = {
    "quater": "quarter", "quartr": "quarter", "qtr": "quarter", "quarer": "quarter",
    "quarters": "quarter", "mnth": "month", "mth": "month", "wk": "week", "wks": "weeks",
    "yr": "year", "yrs": "years",
}  # fmt: skip
# Follow-up words: they point back at what the conversation was about.
BACK_REFERENCES = word_set("those these them they it its there that same ones one")
# Everyday words one edit away from a domain word: never "corrected" into it.
NOT_TYPOS = word_set(
    """contract contracts talking clothing closet closer closes quote quotes dealt dealer teams
    tasked duel dew whose worth wroth thanks those these there where here pipes lose loss
    cost costs most post posts host wine wins winner winning lots loses lasted rest test best
    recent decent decision season reason plane plans planning quite quiet diet owner owners
    ahead behalf forest forests revenue revenues account accounts accountant monday mondays"""
)
