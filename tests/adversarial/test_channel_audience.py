"""Who reads a public answer is decided on the channel as it is now, not as it was a minute ago.

A manager's team figures go to a channel only while every member may see them: someone who
joined a second ago, a guest, an outsider from a Slack Connect organisation or an unknown member
turns the answer private (to the asker, with the reason). Bots of our own workspace do not, except
in a shared channel, where every member must be a verified CRM user.
"""

from __future__ import annotations

import json

import pytest
from support.fakes.slack_api import BOT_USER_ID
from support.slack_harness import SlackHarness

from bot.slack.audience import NOT_ALL_CAN_SEE

TEAM_QUESTION = "pipeline for my team this quarter"
# The open pipeline of Rob and Rita together: only Mia's tree (and admins) may see it.
TEAM_FIGURE = "$225,000.50"
CHANNEL = "CMIA"


@pytest.fixture
def mia_channel(identity_bot: SlackHarness) -> SlackHarness:
    """A channel of Mia and the bot only: her team's answer may be posted there."""
    identity_bot.slack.members[CHANNEL] = ["UMIA", BOT_USER_ID]
    return identity_bot


def ask_in_channel(harness: SlackHarness) -> str:
    """Mia asks for her team's pipeline; returns "public", or "private" (with checks)."""
    harness.slack.clear_calls()
    harness.mention("UMIA", CHANNEL, TEAM_QUESTION)
    public, private = harness.posted(), harness.posted("chat.postEphemeral")
    if public:
        assert not private and TEAM_FIGURE in json.dumps(public)
        return "public"
    [only_mia] = private
    assert only_mia["user"] == "UMIA" and NOT_ALL_CAN_SEE in json.dumps(only_mia)
    assert TEAM_FIGURE in json.dumps(only_mia)
    return "private"


def join(harness: SlackHarness, user: str) -> None:
    """`user` is in the channel now. No member_joined_channel event is needed (none is
    subscribed): nothing about membership is cached, it is read for every answer."""
    harness.slack.members[CHANNEL].append(user)


@pytest.mark.parametrize("outsider", ["UNOBODY", "UEXT", "UGUEST", "USTRANGER", "UDELETED"])
def test_someone_who_just_joined_makes_the_team_answer_private(
    mia_channel: SlackHarness, outsider: str
) -> None:
    assert ask_in_channel(mia_channel) == "public"
    join(mia_channel, outsider)
    assert ask_in_channel(mia_channel) == "private"


def test_membership_is_read_for_every_answer(mia_channel: SlackHarness) -> None:
    for _ in range(3):
        assert ask_in_channel(mia_channel) == "public"
        assert len(mia_channel.slack.calls("conversations.members")) == 1
        assert len(mia_channel.slack.calls("conversations.info")) == 1


def test_a_bot_of_our_workspace_is_not_an_audience(mia_channel: SlackHarness) -> None:
    join(mia_channel, "UOTHERBOT")
    assert ask_in_channel(mia_channel) == "public"


def test_a_rep_outside_the_tree_makes_it_private(mia_channel: SlackHarness) -> None:
    join(mia_channel, "UOTTO")
    assert ask_in_channel(mia_channel) == "private"


@pytest.mark.parametrize("flag", ["is_ext_shared", "is_shared"])
def test_a_shared_channel_needs_every_member_verified(mia_channel: SlackHarness, flag: str) -> None:
    mia_channel.slack.channels[CHANNEL] = {flag: True}
    assert ask_in_channel(mia_channel) == "public"  # Mia is the only member besides us
    join(mia_channel, "UOTHERBOT")  # a bot can relay what it reads to the other side
    assert ask_in_channel(mia_channel) == "private"


def test_a_channel_about_to_be_shared_gets_nothing_public(mia_channel: SlackHarness) -> None:
    mia_channel.slack.channels[CHANNEL] = {"is_pending_ext_shared": True}
    assert ask_in_channel(mia_channel) == "private"


@pytest.mark.parametrize("method", ["conversations.members", "conversations.info"])
def test_not_knowing_the_members_keeps_it_private(mia_channel: SlackHarness, method: str) -> None:
    mia_channel.slack.fail_next(method, "fatal_error", status=200)
    assert ask_in_channel(mia_channel) == "private"


def test_a_member_slack_cannot_vouch_for_keeps_it_private(mia_channel: SlackHarness) -> None:
    assert ask_in_channel(mia_channel) == "public"  # Mia is known by now
    join(mia_channel, "UKATE")  # whoever Kate is, Slack cannot say just now
    mia_channel.slack.fail_next("users.info", "fatal_error", status=200)
    assert ask_in_channel(mia_channel) == "private"
