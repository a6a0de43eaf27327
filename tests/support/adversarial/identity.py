"""Slack users who try to pass for CRM users, the CRM users they aim at, and how to ask as them.

The fixture CRM plus three users the attacks aim at: `admin@x.test` (an admin, sees everything),
`dana@x.test` and `kate@x.test` (reps of Max, with no records). Each Slack profile below carries
the attack in its email or its flags; the honest look-alikes (`ADMIN@X.TEST`) are the controls.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from support.crm_fixture import build_fixture
from support.fakes.slack_api import FakeSlackServer
from support.slack_harness import USERS, SlackHarness
from tools.models import Role, User

ADMIN_ID, DANA_ID, KATE_ID = 20, 21, 22
TARGETS = [
    (ADMIN_ID, "Root Admin", "admin@x.test", Role.ADMIN, None),
    (DANA_ID, "Dana Rep", "dana@x.test", Role.REP, 5),
    (KATE_ID, "Kate Rep", "kate@x.test", Role.REP, 5),
]
# Rob's deal: anyone shown it was answered as an admin (or as Rob or his manager).
ADMIN_ONLY = "Platform Expansion"
QUESTION = "how is the acme platform deal going?"
UNMAPPED = "I can't find you in the CRM"
TRY_AGAIN = "try again in a minute"
# Emails that a pattern match (ILIKE) or Unicode case folding mapped onto a CRM user.
LOOKALIKES = {
    "UPCT": "%@x.test",  # % matches any run of characters: the first user, often an admin
    "UUNDER": "d_na@x.test",  # _ matches any one character: dana@x.test
    "UTURK": "adm\u0130n@x.test",  # Turkish dotted capital I, which PostgreSQL lowers to "i"
    "UKELVIN": "\u212aate@x.test",  # the Kelvin sign, which PostgreSQL lowers to "k"
    "UUNDERALL": "_____@x.test",  # five of anything: admin, or kate
    "UNBSP": "admin@x.test\u00a0",  # a trailing no-break space is not trimmed
}
# The admin's exact email on profiles that must never be linked, whatever the email says.
UNTRUSTED = {
    "UEXT": {"team_id": "TOTHER"},  # Slack Connect: a user of another organisation
    "USTRANGER": {"is_stranger": True},
    "UGUEST": {"is_restricted": True},  # multi-channel guest
    "USCGUEST": {"is_ultra_restricted": True},  # single-channel guest
    "UBOTMAIL": {"is_bot": True},
    "UDELETED": {"deleted": True},
    "UAPPUSER": {"is_app_user": True},
    "USLACKBOT": {},
    "UGRID": {"enterprise_user": {"enterprise_id": "EOTHER", "teams": ["TOTHER"]}},
}
SLACK_USERS: dict[str, dict[str, Any]] = {
    **USERS,
    **{uid: {"email": email, "name": uid.lower()} for uid, email in LOOKALIKES.items()},
    **{uid: {"email": "admin@x.test", "name": uid.lower(), **f} for uid, f in UNTRUSTED.items()},
    "UNOMAIL": {"name": "nomail"},  # no profile email at all (users:read.email not granted)
    "UADMINUP": {"email": "  ADMIN@X.TEST ", "name": "admin"},  # the admin, typed loudly
    "UDANA": {"email": "dana@x.test", "name": "dana"},
    "UKATE": {"email": "kate@x.test", "name": "kate"},
    "UKATEGUEST": {"email": "kate@x.test", "name": "kateguest", "is_restricted": True},
}


def build_identity_crm(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        build_fixture(session)
        for uid, name, email, role, manager in TARGETS:
            session.add(User(id=uid, name=name, email=email, role=role, manager_id=manager))


def ask_dm(harness: SlackHarness, user: str, text: str = QUESTION) -> str:
    """Ask in the user's DM with the app; returns everything the app sent anywhere, as text."""
    harness.slack.clear_calls()
    event = {"type": "message", "channel": f"D{user}", "channel_type": "im", "user": user}
    status, _ = harness.event({**event, "text": text, "ts": harness.slack.next_ts()})
    assert status == 200
    return sent_text(harness.slack)


def sent_text(slack: FakeSlackServer) -> str:
    kinds = ("chat.postMessage", "chat.postEphemeral", "response_url", "views.publish")
    return "\n".join(str(c.params) for c in slack.calls() if c.method in kinds)


def linked_to(sessions: sessionmaker[Session], slack_user_id: str) -> int | None:
    with sessions() as session:
        return session.scalar(select(User.id).where(User.slack_user_id == slack_user_id))


def user_change(harness: SlackHarness, user: str) -> None:
    """Slack's user_change event for `user`, carrying their profile as the fake now has it."""
    profile = {"email": harness.slack.users[user].get("email")}
    assert (
        harness.event({"type": "user_change", "user": {"id": user, "profile": profile}})[0] == 200
    )
