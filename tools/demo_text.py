"""Names, word lists and activity templates for the demo CRM; pure text, no database."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import NamedTuple

DOMAIN = "demo.salesbot.dev"

# (name, mailbox at DOMAIN, IANA timezone). Reps list Morgan's team first, then Priya's.
ADMIN = ("Alex Admin", "admin", "America/New_York")
MANAGERS = (
    ("Morgan Lee", "morgan", "America/Chicago"),
    ("Priya Raman", "priya", "Europe/London"),
)
REPS_PER_MANAGER = 5
REPS = (
    ("Dana Whitfield", "dana", "America/New_York"),
    ("Marcus Bell", "marcus", "America/Chicago"),
    ("Sofia Alvarez", "sofia", "America/Los_Angeles"),
    ("Ethan Brooks", "ethan", "America/New_York"),
    ("Hannah Kim", "hannah", "America/Los_Angeles"),
    ("Lukas Becker", "lukas", "Europe/Berlin"),
    ("Olivia Hughes", "olivia", "Europe/London"),
    ("Jamal Carter", "jamal", "America/New_York"),
    ("Chloe Martin", "chloe", "Europe/London"),
    ("Ravi Patel", "ravi", "America/Chicago"),
)

FAMOUS_ACCOUNTS = (
    ("Acme Corp", "Manufacturing"),
    ("Globex", "Technology"),
    ("Initech", "Software"),
    ("Umbrella Health", "Healthcare"),
    ("Stark Industries", "Aerospace & Defense"),
    ("Wayne Enterprises", "Conglomerate"),
    ("Hooli", "Internet"),
    ("Soylent", "Food & Beverage"),
    ("Vandelay Industries", "Logistics"),
    ("Wonka Foods", "Food & Beverage"),
)
NAME_PREFIXES = (
    "Northwind", "Bluepeak", "Ironclad", "Brightline", "Cobalt", "Evergreen", "Summit", "Harbor",
    "Keystone", "Lumen", "Meridian", "Nimbus", "Orchard", "Pinnacle", "Quarry", "Redwood",
    "Silverline", "Tidewater", "Vertex", "Willow", "Atlas", "Beacon", "Cascade", "Driftwood",
    "Ember", "Falcon", "Granite", "Horizon", "Juniper", "Kestrel", "Larkspur", "Maple", "Nova",
    "Oakridge", "Prairie", "Ridgeway", "Sterling", "Trident", "Upland", "Vantage", "Alder",
    "Bramble", "Copperleaf", "Delta Bay", "Eastgate", "Foxglove", "Goldcrest", "Highmark",
    "Ivory Coast", "Jetstream", "Kingsbridge", "Lighthouse", "Mosaic", "Northstar", "Oxbow",
    "Pioneer", "Quicksilver", "Riverbend", "Saltmarsh", "Thornbury",
)  # fmt: skip
NAME_SUFFIXES = (
    ("Logistics", "Logistics"), ("Freight", "Logistics"), ("Analytics", "Software"),
    ("Systems", "Software"), ("Health", "Healthcare"), ("Clinics", "Healthcare"),
    ("Bank", "Financial Services"), ("Capital", "Financial Services"),
    ("Foods", "Food & Beverage"), ("Brewing", "Food & Beverage"),
    ("Manufacturing", "Manufacturing"), ("Robotics", "Manufacturing"),
    ("Energy", "Energy"), ("Solar", "Energy"), ("Labs", "Biotech"), ("Pharma", "Pharmaceuticals"),
    ("Retail", "Retail"), ("Outfitters", "Retail"), ("Insurance", "Insurance"), ("Media", "Media"),
    ("Telecom", "Telecommunications"), ("Networks", "Telecommunications"),
    ("Construction", "Construction"), ("Motors", "Automotive"),
    ("Aerospace", "Aerospace & Defense"), ("Security", "Cybersecurity"),
    ("Partners", "Professional Services"), ("Consulting", "Professional Services"),
    ("Hotels", "Hospitality"), ("Learning", "Education"),
)  # fmt: skip

FIRST_NAMES = (
    "Jane", "Tom", "Aisha", "Carlos", "Mei", "Oliver", "Fatima", "Liam", "Sara", "Kenji", "Nora",
    "David", "Elena", "Samuel", "Ines", "Victor", "Zoe", "Anders", "Leila", "Patrick", "Yuki",
    "Grace", "Omar", "Ingrid", "Benjamin", "Lucia", "Hiro", "Rachel", "Tariq", "Emily", "Jonas",
    "Amara", "Felix", "Maya", "George", "Anika", "Diego", "Claire", "Wei", "Bianca",
)  # fmt: skip
LAST_NAMES = (
    "Thompson", "Nguyen", "Okafor", "Schmidt", "Garcia", "Walsh", "Kowalski", "Haddad", "Park",
    "Sullivan", "Rossi", "Andersson", "Mensah", "Dubois", "Tanaka", "Murphy", "Silva", "Novak",
    "Chen", "Fischer", "Oduya", "Brennan", "Iyer", "Lindqvist", "Moreau", "Shapiro", "Costa",
    "Hartmann", "Abara", "Whitaker",
)  # fmt: skip
TITLES = (
    "CFO", "VP Sales", "Head of IT", "Procurement Manager", "CISO", "CTO", "VP Operations",
    "Director of RevOps", "Legal Counsel", "COO", "VP Marketing", "IT Manager", "Controller",
    "Head of Customer Success",
)  # fmt: skip
PRODUCTS = (
    "Platform Expansion", "New Logo", "Enterprise Upgrade", "Annual Renewal", "Multi-year Renewal",
    "Analytics Add-on", "EMEA Rollout", "Pilot", "Security Suite", "Seat Expansion",
    "Data Migration", "Premium Support", "API Access", "CRM Replacement", "Forecasting Module",
    "APAC Rollout", "Sales Team Rollout", "Services Bundle", "Compliance Pack", "SSO & Audit Logs",
    "Marketing Seats", "Partner Portal", "Sandbox Environment", "Training Package",
)  # fmt: skip

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


class Topic(NamedTuple):
    """What an activity is about: the kinds it arrives as, and subjects and bodies to pick from."""

    kinds: tuple[str, ...]
    subjects: tuple[str, ...]
    bodies: tuple[str, ...]
    titles: tuple[str, ...] = ()  # contact titles most likely to be on the other end


TOPICS: dict[str, Topic] = {
    "intro": Topic(
        ("linkedin", "email", "call"),
        ("Intro: {product} for {account}", "Quick question about {account}'s sales stack"),
        (
            "Reached out to {contact} after their post about scaling the team. They agreed to a "
            "20-minute intro call next week.",
            "Cold intro to {contact_full} ({title}). They are on {competitor} today and curious "
            "about forecasting.",
            "{contact} replied to the sequence: not a priority this month, but open to a chat in "
            "{quarter}.",
        ),
    ),
    "discovery": Topic(
        ("call", "meeting"),
        ("Discovery call with {account}", "Discovery: pain points at {account}"),
        (
            "Ran discovery with {contact}. Reps spend hours a week updating the CRM by hand and "
            "the forecast is a spreadsheet.",
            "{contact} wants one view of pipeline across {seats} sellers. Current tool is "
            "{competitor} and adoption is poor.",
            "Good discovery with {contact_full}: pain is real, timeline is vague. Need to find the "
            "economic buyer.",
        ),
    ),
    "budget": Topic(
        ("call", "email", "note"),
        ("Budget timing at {account}", "Re: budget for {product}"),
        (
            "{contact} confirmed there is no budget this quarter; budget frees up in {quarter}.",
            "Finance froze new spend until {quarter}. {contact} will pitch {product} in the next "
            "planning cycle.",
            "{contact} says the {amount} fits if we phase it: half now, the rest when budget frees "
            "up in {quarter}.",
        ),
        ("CFO", "Controller", "COO"),
    ),
    "champion": Topic(
        ("note", "call", "email"),
        ("Champion change at {account}", "Heads-up: org change at {account}"),
        (
            "Heads-up: our champion {contact} is leaving the company at the end of the month. We "
            "need a new sponsor before the proposal stalls.",
            "{contact} told us they are moving to a new role; the {product} decision moves to "
            "their successor. Risk of a restart.",
            "Our champion {contact} is leaving {account}. Asked for an intro to the CFO before "
            "they go.",
        ),
    ),
    "demo": Topic(
        ("meeting", "call"),
        ("Demo for {account}", "Demo follow-up: {product}", "Technical deep-dive with {account}"),
        (
            "Demoed {product} to {contact} and the sales managers. They loved the pipeline view; "
            "reporting felt too basic.",
            "Demo went well. {contact} asked whether we integrate with their data warehouse.",
            "Mixed demo feedback: the team liked the Slack workflow, {contact} worried about "
            "migration effort from {competitor}.",
        ),
        ("VP Sales", "Director of RevOps", "Head of IT"),
    ),
    "pricing": Topic(
        ("email", "call"),
        ("Pricing for {account}", "Re: {product} quote", "Revised pricing"),
        (
            "{contact} says the per-seat price is {pct}% above budget.",
            "Pushback on price: {competitor} quoted {pct}% less for {seats} seats. {contact} wants "
            "us closer before procurement.",
            "{contact} asked for a multi-year discount on the {amount} quote.",
            "Pricing objection from {contact}: they can live with the total but not the annual "
            "uplift.",
        ),
        ("CFO", "Procurement Manager", "Controller"),
    ),
    "competitor": Topic(
        ("call", "email", "note"),
        ("Competitive: {competitor} at {account}", "Re: comparison with {competitor}"),
        (
            "{contact} is also evaluating {competitor}; they sent a side-by-side comparison.",
            "{competitor} is offering a free first year. {contact} still prefers our Slack "
            "workflow.",
            "Bake-off against {competitor} scheduled. {contact} will share the scoring sheet.",
        ),
    ),
    "security": Topic(
        ("email", "meeting"),
        ("Security review for {account}", "Re: {doc}", "Infosec questionnaire"),
        (
            "{contact} needs our {doc} before security sign-off.",
            "Security review kicked off. Sent the SOC 2 report; the pen test and DPA are still "
            "pending with {contact}.",
            "{contact} flagged two findings in the questionnaire around SSO and data retention.",
        ),
        ("CISO", "Head of IT", "IT Manager", "CTO"),
    ),
    "legal": Topic(
        ("email", "call"),
        ("MSA redlines from {account}", "Re: contract comments", "Legal review: {clause}"),
        (
            "Legal sent MSA redlines. Main sticking points are {clause} and indemnity.",
            "{contact} wants the limitation of liability raised to 2x fees. Escalated to our "
            "counsel.",
            "Redlines back from {contact} on {clause}; most are acceptable.",
        ),
        ("Legal Counsel", "CFO"),
    ),
    "procurement": Topic(
        ("email", "call"),
        ("Procurement at {account}", "Re: vendor onboarding", "PO status for {product}"),
        (
            "Procurement needs vendor onboarding forms and a W-9 before they can raise the PO.",
            "{contact} says the PO for {amount} is in the approval queue.",
            "Procurement asked for three references and our insurance certificate.",
        ),
        ("Procurement Manager", "CFO", "Controller"),
    ),
    "followup": Topic(
        ("email", "call"),
        ("Next steps with {account}", "Re: follow-up on {product}", "Recap and next steps"),
        (
            "Recapped the call with {contact}. I'll send the revised quote by {weekday}.",
            "{contact} asked for the ROI model; will get back to you by {date} with numbers.",
            "Agreed next steps with {contact}: I'll share the mutual action plan by {weekday}.",
            "Promised {contact} a reference call with a customer in their industry by {date}.",
        ),
    ),
    "won": Topic(
        ("email", "note"),
        ("Signed: {product}", "Order form countersigned – {account}"),
        (
            "{contact} countersigned the order form for {amount}. Handing over to onboarding.",
            "Closed won. {contact} got final approval from the CFO this morning.",
        ),
    ),
    "lost": Topic(
        ("note", "email"),
        ("Closed lost: {product}", "Re: decision on {product}"),
        (
            "{contact} told us they went with {competitor}. Price was the deciding factor.",
            "Lost to no decision: the project was shelved after a reorg at {account}.",
            "{contact} says budget was cut for the year. Revisit in {quarter}.",
        ),
    ),
    "onboarding": Topic(
        ("meeting", "email", "call"),
        ("Onboarding kickoff – {account}", "Onboarding check-in"),
        (
            "Kicked off onboarding with {contact}. {seats} users to provision in the first wave.",
            "Onboarding is on track; SSO is live and the first team is using the Slack app daily.",
            "{contact} raised a data import issue during onboarding. Support ticket opened.",
        ),
    ),
    "expansion": Topic(
        ("call", "meeting", "email"),
        ("Expansion at {account}", "Re: more seats"),
        (
            "{contact} wants to add the marketing team next quarter, roughly {seats} more seats.",
            "Usage is up 40% since go-live. {contact} is open to an expansion conversation in "
            "{quarter}.",
        ),
    ),
    "renewal": Topic(
        ("email", "call"),
        ("Renewal planning – {account}", "Re: renewal terms"),
        (
            "Started renewal talks with {contact}. They want to lock pricing for two years.",
            "{contact} confirmed the renewal is in budget and asked about the {product} roadmap.",
        ),
        ("CFO", "Procurement Manager"),
    ),
    "checkin": Topic(
        ("email", "linkedin", "call", "note"),
        ("Check-in with {account}", "Quarterly business review", "Catching up with {contact}"),
        (
            "Quarterly check-in with {contact}; no open issues.",
            "Met {contact_full} at a customer event. They mentioned a new sales leader starting "
            "in {quarter}.",
            "Sent {contact} our latest product update and an invite to the customer webinar.",
        ),
    ),
}

# Topics that fit each deal phase (a stage, or "post_won" after a deal is signed).
PHASE_TOPICS: dict[str, tuple[str, ...]] = {
    "prospecting": ("intro", "intro", "discovery", "followup"),
    "qualification": ("discovery", "demo", "budget", "competitor", "champion", "followup"),
    "proposal": ("demo", "pricing", "competitor", "security", "budget", "champion", "followup"),
    "negotiation": ("pricing", "legal", "security", "procurement", "competitor", "followup"),
    "post_won": ("onboarding", "onboarding", "expansion", "renewal", "checkin"),
}
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


def company_names(rng: random.Random, n: int) -> list[tuple[str, str]]:
    """`n` distinct generated (company, industry) pairs; a prefix is used at most twice."""
    taken = {name for name, _ in FAMOUS_ACCOUNTS}
    uses: dict[str, int] = {}
    out: list[tuple[str, str]] = []
    while len(out) < n:
        prefix = rng.choice(NAME_PREFIXES)
        suffix, industry = rng.choice(NAME_SUFFIXES)
        name = f"{prefix} {suffix}"
        if name in taken or uses.get(prefix, 0) >= 2:
            continue
        taken.add(name)
        uses[prefix] = uses.get(prefix, 0) + 1
        out.append((name, industry))
    return out


def slug(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


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
