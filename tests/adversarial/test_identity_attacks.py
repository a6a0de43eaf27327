"""Passing for someone else through Slack: look-alike emails, outsiders, stale links, Slack outages.

Each attack is a real signed event to the Bolt app, whose real slack_sdk client asks the local
Slack server; the CRM is fresh per test on SQLite and PostgreSQL. The honest controls (the same
email typed in capitals, a full member) must still be answered, or the refusals prove nothing.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker
from support.adversarial.identity import (
    ADMIN_ID,
    ADMIN_ONLY,
    DANA_ID,
    KATE_ID,
    LOOKALIKES,
    TRY_AGAIN,
    UNMAPPED,
    UNTRUSTED,
    ask_dm,
    linked_to,
    user_change,
)
from support.crm_fixture import NOW
from support.fakes.slack_api import FakeSlackServer
from support.slack_harness import SlackHarness, make_harness
from typer.testing import CliRunner

from bot.agent.runner import AgentRunner
from bot.cli.app import app as cli
from tools.models import User


def assert_stranger(harness: SlackHarness, user: str) -> None:
    """Told they are not in the CRM, shown nothing, linked to nobody."""
    said = ask_dm(harness, user)
    assert UNMAPPED in said
    assert ADMIN_ONLY not in said and "Acme" not in said and "$" not in said
    assert linked_to(harness.sessions, user) is None


# 1. Exact, normalized identity.


@pytest.mark.parametrize("user", sorted(LOOKALIKES), ids=lambda u: repr(LOOKALIKES[u]))
def test_pattern_and_lookalike_emails_match_nobody(identity_bot: SlackHarness, user: str) -> None:
    assert_stranger(identity_bot, user)


def test_the_same_email_in_capitals_and_spaces_is_the_same_person(
    identity_bot: SlackHarness,
) -> None:
    said = ask_dm(identity_bot, "UADMINUP")
    assert ADMIN_ONLY in said and UNMAPPED not in said
    assert linked_to(identity_bot.sessions, "UADMINUP") == ADMIN_ID


def test_a_lookalike_never_takes_over_a_link(identity_bot: SlackHarness) -> None:
    ask_dm(identity_bot, "UADMINUP")
    assert_stranger(identity_bot, "UPCT")
    assert linked_to(identity_bot.sessions, "UADMINUP") == ADMIN_ID


@pytest.mark.parametrize("email", ["%@x.test", "_____@x.test", "adm\u0130n@x.test", "%"])
def test_cli_as_with_a_pattern_or_lookalike_email_is_refused(
    identity_crm: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: object,
    email: str,
) -> None:
    engine = identity_crm.kw["bind"]
    monkeypatch.chdir(str(tmp_path))  # away from any .env
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("CHROMA_PATH", f"{tmp_path}/chroma")
    result = CliRunner().invoke(cli, ["ask", "--as", email, "what should I do today?"])
    assert result.exit_code == 1
    assert "No salesbot user has the email" in result.output
    assert ADMIN_ONLY not in result.output


# 2. Only full members of our workspace are ever linked.


@pytest.mark.parametrize("user", sorted([*UNTRUSTED, "UNOMAIL"]))
def test_outsiders_bots_guests_and_the_deleted_are_never_linked(
    identity_bot: SlackHarness, user: str
) -> None:
    assert_stranger(identity_bot, user)


def test_a_guest_is_linked_when_guests_are_allowed(
    identity_crm: sessionmaker[Session], identity_slack: FakeSlackServer
) -> None:
    runner = AgentRunner(identity_crm, clock=lambda: NOW)
    for harness in make_harness(identity_crm, identity_slack, runner, SLACK_ALLOW_GUESTS="true"):
        said = ask_dm(harness, "UKATEGUEST")
        assert UNMAPPED not in said
        assert linked_to(identity_crm, "UKATEGUEST") == KATE_ID
        # Allowing guests lets in guests, not other organisations.
        assert_stranger(harness, "UEXT")


# 3. Links are re-checked: on user_change, when old, and Slack outages are not "unknown".


def test_email_changed_then_user_change_unlinks(identity_bot: SlackHarness) -> None:
    assert UNMAPPED not in ask_dm(identity_bot, "UDANA")
    assert linked_to(identity_bot.sessions, "UDANA") == DANA_ID
    identity_bot.slack.users["UDANA"]["email"] = "dana@personal.example"
    user_change(identity_bot, "UDANA")
    assert linked_to(identity_bot.sessions, "UDANA") is None
    assert_stranger(identity_bot, "UDANA")


def test_user_change_to_another_crm_email_moves_the_link(identity_bot: SlackHarness) -> None:
    ask_dm(identity_bot, "UDANA")
    identity_bot.slack.users["UDANA"]["email"] = "kate@x.test"
    user_change(identity_bot, "UDANA")
    assert linked_to(identity_bot.sessions, "UDANA") == KATE_ID
    with identity_bot.sessions() as session:
        dana = session.get(User, DANA_ID)
        assert dana is not None and dana.slack_user_id is None


def test_deactivated_user_is_unlinked_on_user_change(identity_bot: SlackHarness) -> None:
    ask_dm(identity_bot, "UDANA")
    identity_bot.slack.users["UDANA"]["deleted"] = True
    user_change(identity_bot, "UDANA")
    assert linked_to(identity_bot.sessions, "UDANA") is None


def test_user_change_with_the_same_email_keeps_and_reconfirms_the_link(
    identity_bot: SlackHarness,
) -> None:
    ask_dm(identity_bot, "UKATE")
    old = age_link(identity_bot.sessions, "UKATE", minutes=5)
    user_change(identity_bot, "UKATE")
    assert linked_to(identity_bot.sessions, "UKATE") == KATE_ID
    assert verified_at(identity_bot.sessions, "UKATE") > old


def test_old_link_is_rechecked_and_removed_without_any_event(identity_bot: SlackHarness) -> None:
    ask_dm(identity_bot, "UDANA")
    identity_bot.slack.users["UDANA"]["email"] = "dana@personal.example"
    # Within ten minutes of being confirmed, a link is trusted without asking Slack...
    identity_bot.deps.identity.forget()  # as after CACHE_SECONDS, or on another instance
    assert UNMAPPED not in ask_dm(identity_bot, "UDANA")
    # ...after that, Slack is asked again, and the changed email ends the link.
    age_link(identity_bot.sessions, "UDANA", minutes=11)
    identity_bot.deps.identity.forget()
    assert_stranger(identity_bot, "UDANA")


def test_link_made_before_the_fix_is_checked_before_it_is_trusted(
    identity_bot: SlackHarness,
) -> None:
    # What ILIKE left behind: "%@x.test" linked as the admin, never confirmed (migration 0007).
    with identity_bot.sessions.begin() as session:
        session.execute(update(User).where(User.id == ADMIN_ID).values(slack_user_id="UPCT"))
    assert_stranger(identity_bot, "UPCT")


@pytest.mark.parametrize(
    ("error", "status"),
    [("fatal_error", 200), ("internal_error", 500), ("request_timeout", 200), ("", 503)],
)
def test_a_slack_outage_is_not_cached_as_unknown(
    identity_bot: SlackHarness, error: str, status: int
) -> None:
    identity_bot.slack.fail_next("users.info", error, status=status)
    said = ask_dm(identity_bot, "UKATE")
    assert TRY_AGAIN in said and UNMAPPED not in said
    assert linked_to(identity_bot.sessions, "UKATE") is None
    # The very next message asks Slack again and is answered.
    said = ask_dm(identity_bot, "UKATE")
    assert UNMAPPED not in said and TRY_AGAIN not in said
    assert linked_to(identity_bot.sessions, "UKATE") == KATE_ID


def test_outage_keeps_a_recently_confirmed_link_without_caching_it(
    identity_bot: SlackHarness,
) -> None:
    ask_dm(identity_bot, "UADMINUP")
    old = age_link(identity_bot.sessions, "UADMINUP", minutes=30)
    identity_bot.deps.identity.forget()
    identity_bot.slack.fail_next("users.info", "fatal_error", status=200)
    assert ADMIN_ONLY in ask_dm(identity_bot, "UADMINUP")
    assert verified_at(identity_bot.sessions, "UADMINUP") == old  # not confirmed by a failure
    ask_dm(identity_bot, "UADMINUP")
    assert len(identity_bot.slack.calls("users.info")) == 1  # not cached: Slack asked again
    assert verified_at(identity_bot.sessions, "UADMINUP") > old


def test_outage_after_user_change_does_not_fall_back_on_the_old_link(
    identity_bot: SlackHarness,
) -> None:
    ask_dm(identity_bot, "UADMINUP")
    identity_bot.slack.fail_next("users.info", "fatal_error", status=200)
    user_change(identity_bot, "UADMINUP")  # the re-check fails: the link stays distrusted
    identity_bot.slack.fail_next("users.info", "fatal_error", status=200)
    said = ask_dm(identity_bot, "UADMINUP")
    assert TRY_AGAIN in said and ADMIN_ONLY not in said


def age_link(sessions: sessionmaker[Session], slack_user_id: str, *, minutes: int) -> object:
    """Pretend the link was confirmed `minutes` earlier; returns the new confirmation time."""
    with sessions.begin() as session:
        user = session.scalar(select(User).where(User.slack_user_id == slack_user_id))
        assert user is not None and user.slack_verified_at is not None
        user.slack_verified_at -= timedelta(minutes=minutes)
    return verified_at(sessions, slack_user_id)


def verified_at(sessions: sessionmaker[Session], slack_user_id: str) -> object:
    with sessions() as session:
        return session.scalar(
            select(User.slack_verified_at).where(User.slack_user_id == slack_user_id)
        )
