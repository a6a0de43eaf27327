"""Activity templates by topic, and which topics fit each phase of a deal; pure text."""

from __future__ import annotations

from typing import NamedTuple


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
