"""Sample mail for the capture tests: customers of the fixture CRM on their own domains."""

from __future__ import annotations

import mailbox
from email.message import EmailMessage
from pathlib import Path

from sqlalchemy.orm import Session

from tools.models import Contact

# (account id, name, email): Acme and Umbrella are Rob's, Globex Rita's, Initech Otto's.
CONTACTS = [
    (1, "Ana Acme", "Ana@Acme.example"),
    (4, "Uma Umbrella", "uma@umbrella.example"),
    (2, "Gus Globex", "gus@globex.example"),
    (3, "Ian Initech", "ian@initech.example"),
]


def add_contacts(session: Session) -> dict[str, int]:
    ids = {}
    for account_id, name, address in CONTACTS:
        contact = Contact(account_id=account_id, name=name, email=address)
        session.add(contact)
        session.flush()
        ids[address.lower()] = contact.id
    return ids


def message(
    msg_id: str,
    sender: str,
    to: str,
    subject: str,
    text: str,
    *,
    date: str = "Tue, 24 Nov 2026 10:00:00 +0000",
    html: str | None = None,
    attachment: str | None = None,
) -> EmailMessage:
    msg = EmailMessage()
    msg["Message-ID"] = f"<{msg_id}>"
    msg["From"], msg["To"], msg["Subject"], msg["Date"] = sender, to, subject, date
    msg.set_content(text)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    if attachment is not None:
        msg.add_attachment(b"%PDF-1.4 secret bytes", "application", "pdf", filename=attachment)
    return msg


def sample_messages() -> list[EmailMessage]:
    return [
        message(
            "m1@acme.example",
            "Ana Acme <ana@acme.example>",
            "Rob Rep <rob@x.test>",
            "Re: pricing",
            "We can sign if the price drops 10%.\n\nOn Mon, 23 Nov 2026, Rob wrote:\n> old quote",
        ),
        message(
            "m2@x.test",
            "Rob Rep <rob@x.test>",
            "uma@umbrella.example",
            "Pilot security",
            "I'll send the SOC 2 report by Friday.\n\n-- \nRob Rep\nSales",
            attachment="soc2-summary.pdf",
        ),
        message(
            "m3@acme.example",
            "Bob New <bob@acme.example>",
            "rob@x.test",
            "Intro from procurement",
            "Hello, I run procurement at Acme.",
        ),
        message("m4@x.test", "rob@x.test", "mia@x.test", "Forecast", "Internal only."),
        message("m5@gmail.com", "stranger@gmail.com", "rob@x.test", "Hi", "Who is this?"),
        message("m6@initech.example", "ian@initech.example", "rob@x.test", "Data", "Secret."),
    ]


def write_mbox(path: Path, messages: list[EmailMessage]) -> Path:
    box = mailbox.mbox(path)
    for msg in messages:
        box.add(msg)
    box.flush()
    box.close()
    return path


ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:weekly-acme
DTSTART:20261102T150000Z
DTEND:20261102T153000Z
RRULE:FREQ=WEEKLY;COUNT=4
SUMMARY:Acme weekly sync
DESCRIPTION:Roadmap and rollout.
ORGANIZER:mailto:rob@x.test
ATTENDEE;PARTSTAT=ACCEPTED:mailto:ana@acme.example
ATTENDEE;PARTSTAT=ACCEPTED:mailto:rob@x.test
END:VEVENT
BEGIN:VEVENT
UID:declined-globex
DTSTART:20261110T100000Z
SUMMARY:Umbrella review
ORGANIZER:mailto:uma@umbrella.example
ATTENDEE;PARTSTAT=DECLINED:mailto:rob@x.test
END:VEVENT
BEGIN:VEVENT
UID:team-lunch
DTSTART:20261111T120000Z
SUMMARY:Team lunch
ORGANIZER:mailto:mia@x.test
ATTENDEE;PARTSTAT=ACCEPTED:mailto:rob@x.test
END:VEVENT
BEGIN:VEVENT
UID:future
DTSTART:20271111T120000Z
SUMMARY:Next year
ORGANIZER:mailto:uma@umbrella.example
ATTENDEE;PARTSTAT=ACCEPTED:mailto:rob@x.test
END:VEVENT
END:VCALENDAR
"""

VTT = """WEBVTT

1
00:00:01.000 --> 00:00:04.000
<v Uma Umbrella>Our security team needs the SOC 2 report before the pilot expands.</v>

2
00:00:04.500 --> 00:00:09.000
<v Rob Rep>Understood. I'll send the SOC 2 report by Friday.</v>

3
00:00:09.500 --> 00:00:12.000
<v Rob Rep>The pilot expands to three clinics once security signs off.</v>
"""

SRT = """1
00:00:01,000 --> 00:00:03,000
Ana Acme: Pricing is our main concern this quarter.

2
00:00:03,500 --> 00:00:06,000
Ana Acme: The board reviews pricing next week.
"""
