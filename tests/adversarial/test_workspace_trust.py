"""Validly signed requests that concern another workspace, enterprise or app are dropped unheard.

Each is acknowledged (200, empty body) and nothing else happens: no call of any kind reaches the
Slack server (no users.info, no post), nothing is queued, the event id is not even recorded. The
same payload for our own workspace and app is the control that it would have been answered.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker
from support.adversarial.identity import ADMIN_ONLY, QUESTION
from support.crm_fixture import NOW
from support.fakes.signing import action_body, command_body, event_body, view_submission_body
from support.fakes.slack_api import APP_ID, BOT_USER_ID, TEAM_ID, FakeSlackServer
from support.slack_harness import SlackHarness, make_harness, mention_event

from bot.agent.runner import AgentRunner
from bot.slack.ids import LOG_THREAD_CALLBACK_ID, NUDGE_SETTINGS_CALLBACK_ID, SHARE_ANSWER_ACTION_ID
from bot.slack.workspace import Installation, discover_installation

OURS = {"team_id": TEAM_ID, "api_app_id": APP_ID}
FOREIGN = {
    "foreign team": {"team_id": "TOTHER", "api_app_id": APP_ID},
    "foreign app": {"team_id": TEAM_ID, "api_app_id": "AOTHER"},
}


def dropped(harness: SlackHarness, body: str) -> None:
    harness.slack.clear_calls()
    status, text = harness.send(body)
    harness.deps.work.join()
    assert (status, text) == (200, "")
    assert harness.slack.calls() == [], "a request for another workspace or app reached Slack"


def dm_event(harness: SlackHarness, user: str = "UMIA") -> dict[str, Any]:
    ts = harness.slack.next_ts()
    return {"type": "message", "channel": f"D{user}", "channel_type": "im", "user": user} | {
        "text": QUESTION,
        "ts": ts,
    }


def enterprise_event(event: dict[str, Any], event_id: str, enterprise_id: str) -> str:
    body = json.loads(event_body(event, event_id))
    body["enterprise_id"] = enterprise_id
    body["authorizations"][0]["enterprise_id"] = enterprise_id
    return json.dumps(body)


@pytest.mark.parametrize("where", sorted(FOREIGN))
def test_foreign_events_are_ignored(identity_bot: SlackHarness, where: str) -> None:
    ids = FOREIGN[where]
    dropped(identity_bot, event_body(dm_event(identity_bot), "EvF1", **ids))
    mention = mention_event(identity_bot.slack, "UMIA", "CTEAM", QUESTION)
    dropped(identity_bot, event_body(mention, "EvF2", **ids))
    home = {"type": "app_home_opened", "user": "UMIA", "channel": "DUMIA", "tab": "home"}
    dropped(identity_bot, event_body(home, "EvF3", **ids))


def test_a_foreign_enterprise_is_ignored(identity_bot: SlackHarness) -> None:
    dropped(identity_bot, enterprise_event(dm_event(identity_bot), "EvE1", "EOTHER"))


def test_a_foreign_event_is_not_even_recorded_as_seen(identity_bot: SlackHarness) -> None:
    # Runs before de-duplication: a forged copy cannot "use up" the id of a real event.
    dropped(identity_bot, event_body(dm_event(identity_bot), "EvSame", team_id="TOTHER"))
    identity_bot.slack.clear_calls()
    assert identity_bot.send(event_body(dm_event(identity_bot), "EvSame", **OURS))[0] == 200
    identity_bot.deps.work.join()
    [reply] = identity_bot.posted()
    assert reply["channel"] == "DUMIA" and ADMIN_ONLY in json.dumps(reply)


@pytest.mark.parametrize("where", sorted(FOREIGN))
def test_foreign_slash_commands_are_ignored(identity_bot: SlackHarness, where: str) -> None:
    ids = FOREIGN[where]
    url = identity_bot.slack.response_url
    body = command_body(text=QUESTION, user_id="UMIA", channel_id="CTEAM", response_url=url)
    status, text = identity_bot.send(body)  # the control: ours is acknowledged with words
    identity_bot.deps.work.join()
    assert status == 200 and "Looking that up" in text and identity_bot.posted("response_url")
    dropped(
        identity_bot,
        command_body(text=QUESTION, user_id="UMIA", channel_id="CTEAM", response_url=url, **ids),
    )


def interactive(harness: SlackHarness, kind: str, team: str, app: str) -> str:
    base = {"team": {"id": team}, "api_app_id": app, "user": {"id": "UMIA", "team_id": team}}
    base["response_url"] = harness.slack.response_url
    if kind == "block_actions":
        value = json.dumps({"q": QUESTION})
        button = {"action_id": SHARE_ANSWER_ACTION_ID, "block_id": "b", "value": value}
        extra = {"channel": {"id": "CTEAM"}, "actions": [{**button, "type": "button"}]}
        return action_body(base | extra)
    if kind == "view_submission":
        return view_submission_body(base | {"view": {"callback_id": NUDGE_SETTINGS_CALLBACK_ID}})
    if kind == "message_action":
        ts = harness.slack.add_message("CTEAM", text="Acme Corp call notes", user="UMIA")
        message = {"message": {"ts": ts, "text": "Acme Corp call notes", "user": "UMIA"}}
        extra = {"callback_id": LOG_THREAD_CALLBACK_ID, "channel": {"id": "CTEAM"}} | message
        return action_body(base | {"type": "message_action"} | extra)
    options = {"type": "block_suggestion", "action_id": "pick", "block_id": "b", "value": "ac"}
    return action_body(base | options)


KINDS = ["block_actions", "view_submission", "message_action", "block_suggestion"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("where", sorted(FOREIGN))
def test_foreign_buttons_modals_shortcuts_and_options_are_ignored(
    identity_bot: SlackHarness, kind: str, where: str
) -> None:
    ids = FOREIGN[where]
    dropped(identity_bot, interactive(identity_bot, kind, ids["team_id"], ids["api_app_id"]))


@pytest.mark.parametrize("kind", KINDS[:3])
def test_our_own_buttons_modals_and_shortcuts_still_work(
    identity_bot: SlackHarness, kind: str
) -> None:
    identity_bot.slack.clear_calls()
    status, text = identity_bot.send(interactive(identity_bot, kind, TEAM_ID, APP_ID))
    identity_bot.deps.work.join()
    assert status == 200
    if kind == "block_actions":  # the share re-answers and posts in the channel
        assert ADMIN_ONLY in json.dumps(identity_bot.posted())
    elif kind == "view_submission":  # the empty settings form is refused with its errors
        assert "errors" in text
    else:  # the shortcut reads the thread to summarise it
        assert identity_bot.slack.calls("conversations.replies")


def test_app_id_is_learned_from_bots_info(identity_bot: SlackHarness) -> None:
    installation = identity_bot.deps.installation
    assert installation == Installation(TEAM_ID, None, False, APP_ID, BOT_USER_ID)


def test_the_slack_app_id_setting_wins(
    identity_crm: sessionmaker[Session], identity_slack: FakeSlackServer
) -> None:
    runner = AgentRunner(identity_crm, clock=lambda: NOW)
    for harness in make_harness(identity_crm, identity_slack, runner, SLACK_APP_ID="A9"):
        assert not identity_slack.calls("bots.info")
        dropped(harness, event_body(dm_event(harness), "EvA1", api_app_id=APP_ID))
        assert harness.send(event_body(dm_event(harness), "EvA9", api_app_id="A9"))[0] == 200
        harness.deps.work.join()
        assert ADMIN_ONLY in json.dumps(harness.posted())


def test_without_an_app_id_only_the_workspace_is_checked(identity_slack: FakeSlackServer) -> None:
    identity_slack.fail_next("bots.info", "missing_scope", status=200)
    client = WebClient(token="xoxb-test", base_url=identity_slack.url)
    installation = discover_installation(client)
    assert installation.app_id is None
    assert installation.foreign(TEAM_ID, None, "AOTHER") == ""
    assert installation.foreign("TOTHER", None, APP_ID) != ""


# The rules themselves, for shapes the local Slack server does not produce (Enterprise Grid).

WORKSPACE = Installation("T1", None, False, "A1")
GRID_WORKSPACE = Installation("T1", "E1", False, "A1")
ORG_WIDE = Installation("T1", "E1", True, "A1")


@pytest.mark.parametrize(
    ("installation", "team", "enterprise", "app", "ours"),
    [
        (WORKSPACE, "T1", None, "A1", True),
        (WORKSPACE, "T1", None, None, True),  # no api_app_id: judged by the workspace
        (WORKSPACE, "T2", None, "A1", False),
        (WORKSPACE, None, None, "A1", False),
        (WORKSPACE, "T1", "E9", "A1", False),
        (WORKSPACE, "T1", None, "A2", False),
        (GRID_WORKSPACE, "T1", "E1", "A1", True),
        (GRID_WORKSPACE, "T2", "E1", "A1", False),  # another workspace of the same org
        (ORG_WIDE, "T7", "E1", "A1", True),  # an org-wide install serves every workspace
        (ORG_WIDE, "T1", "E9", "A1", False),
        (ORG_WIDE, "T1", None, "A1", False),
    ],
)
def test_which_requests_are_ours(
    installation: Installation,
    team: str | None,
    enterprise: str | None,
    app: str | None,
    ours: bool,
) -> None:
    assert (installation.foreign(team, enterprise, app) == "") is ours


MEMBER = {"id": "U1", "team_id": "T1", "profile": {"email": "a@x.test"}}


@pytest.mark.parametrize(
    ("installation", "user", "trusted"),
    [
        (WORKSPACE, MEMBER, True),
        (WORKSPACE, MEMBER | {"team_id": "T2"}, False),
        (WORKSPACE, MEMBER | {"is_stranger": True}, False),
        (WORKSPACE, MEMBER | {"profile": {}}, False),
        (WORKSPACE, MEMBER | {"id": "USLACKBOT"}, False),
        (GRID_WORKSPACE, MEMBER | {"enterprise_user": {"enterprise_id": "E1"}}, True),
        (
            GRID_WORKSPACE,
            MEMBER | {"team_id": "T2", "enterprise_user": {"enterprise_id": "E1"}},
            False,
        ),
        (
            GRID_WORKSPACE,
            MEMBER | {"team_id": "T2", "enterprise_user": {"enterprise_id": "E1", "teams": ["T1"]}},
            True,
        ),
        (GRID_WORKSPACE, MEMBER | {"enterprise_user": {"enterprise_id": "E9"}}, False),
        (ORG_WIDE, MEMBER | {"team_id": "T7", "enterprise_user": {"enterprise_id": "E1"}}, True),
        (ORG_WIDE, MEMBER | {"enterprise_user": {"enterprise_id": "E9"}}, False),
        (ORG_WIDE, MEMBER, False),
    ],
)
def test_which_slack_users_may_be_linked(
    installation: Installation, user: dict[str, Any], trusted: bool
) -> None:
    assert (installation.untrusted(user, allow_guests=False) == "") is trusted
