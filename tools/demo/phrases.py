"""Fill the templates: slot values, activity subjects and bodies, next steps, task titles."""

from __future__ import annotations

import random
from datetime import date, timedelta

from tools.demo.templates import TOPICS

COMPETITORS = ("Salesforce", "HubSpot", "Pipedrive", "Zoho", "a cheaper competitor")
SECURITY_DOCS = (
    "SOC 2 report",
    "pen test summary",
    "DPA",
    "security questionnaire",
    "ISO 27001 cert",
)
CLAUSES = (
    "limitation of liability",
    "indemnity",
    "auto-renewal",
    "payment terms",
    "data residency",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
CLOSERS = (
    "Logged the notes in the opportunity.",
    "Will update the mutual action plan.",
    "Shared the recording with the deal team.",
    "Flagged it for the weekly pipeline review.",
    "Their fiscal year ends in December.",
    "Their board meets in {quarter}.",
    "Copied procurement on the thread.",
)
PROMISES = (
    "I'll send the revised quote by {weekday}.",
    "Thanks for the time today, {contact}. I'll send the revised quote by {weekday}.",
    "Will get back to you by {date} with the updated proposal.",
    "I'll confirm the security answers and get back to you by {date}.",
)
NEXT_STEPS = (
    "Send revised quote by {date}",
    "Security review call with the CISO on {date}",
    "Get MSA redlines back from legal",
    "Confirm budget owner and timeline",
    "Book technical demo for the IT team",
    "Share ROI model with the CFO",
    "Chase signature on the order form",
    "Reference call with a customer by {date}",
)
TASK_TITLES = (
    "Send revised quote to {account}",
    "Follow up with {contact} on the {doc}",
    "Prepare MSA redlines response for {account}",
    "Book technical demo with {account}",
    "Confirm budget timing with {contact} at {account}",
    "Chase signature on order form – {account}",
    "Share ROI model with {contact}",
    "Update close date on {deal}",
    "Send mutual action plan to {account}",
)


def slots(rng: random.Random, when: date, **known: str) -> dict[str, str]:
    """Values for every template slot; promised dates fall on a weekday after `when`."""
    promised = when + timedelta(days=rng.randint(2, 8))
    if promised.weekday() >= 5:
        promised += timedelta(days=7 - promised.weekday())
    later = (when.month - 1) // 3 + rng.randint(1, 2)
    return {
        "competitor": rng.choice(COMPETITORS),
        "pct": str(rng.choice((10, 12, 15, 18, 20, 25, 30))),
        "quarter": f"Q{later % 4 + 1}",
        "weekday": WEEKDAYS[promised.weekday()],
        "date": f"{promised:%B} {promised.day}",
        "doc": rng.choice(SECURITY_DOCS),
        "clause": rng.choice(CLAUSES),
        "seats": str(rng.choice((25, 40, 50, 75, 100, 150, 200, 300))),
        **known,
    }


def activity_text(
    rng: random.Random, topic: str, kind: str, values: dict[str, str]
) -> tuple[str, str]:
    """A (subject, body) for an activity; bodies run one to four sentences."""
    spec = TOPICS[topic]
    subject = rng.choice(spec.subjects).format_map(values)
    if kind == "email" and rng.random() < 0.3:
        subject = f"Re: {subject}"
    elif kind in ("call", "meeting") and not subject.startswith(("Call", "Demo", "Discovery")):
        subject = f"{kind.title()}: {subject}"
    parts = [rng.choice(spec.bodies)]
    parts += rng.sample(CLOSERS, k=rng.choice((0, 0, 1, 1, 2)))
    return subject, " ".join(parts).format_map(values)


def promise_text(rng: random.Random, values: dict[str, str]) -> tuple[str, str]:
    """An e-mail whose body promises a follow-up by a named day."""
    subject = rng.choice(TOPICS["followup"].subjects).format_map(values)
    return subject, rng.choice(PROMISES).format_map(values)
