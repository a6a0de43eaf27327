"""Captured items on App Home, through signed requests to the real Bolt endpoint: seen by their
owner, dismissed once however often clicked, refused to anyone else, filed through the modal
under an account the filer can see, and searchable at once. On both backends."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from support.capture_samples import add_contacts, sample_messages, write_mbox
from support.fakes.signing import action_body, view_submission_body
from support.fakes.slack_api import APP_ID, TEAM_ID, FakeSlackServer
from support.index_helpers import make_index
from support.slack_harness import SlackHarness, make_harness
from support.write_helpers import NOW, audit_rows, build_write_fixture, call_tool, principal

from bot.agent.runner import AgentRunner
from bot.slack.ids import (
    CAPTURE_ACCOUNT_ACTION_ID,
    CAPTURE_ACCOUNT_BLOCK_ID,
    CAPTURE_DEAL_ACTION_ID,
    CAPTURE_DEAL_BLOCK_ID,
    CAPTURE_DISMISS_ACTION_ID,
    CAPTURE_FILE_ACTION_ID,
    CAPTURE_FILE_CALLBACK_ID,
)
from tools.capture import capture_items
from tools.capture.mail import read_mail_paths
from tools.capture.review import list_reviews
from tools.models import Activity, CaptureReview

ACME, GLOBEX, ACME_EXPANSION = 1, 2, 1


@pytest.fixture
def crm(sessions: sessionmaker[Session], tmp_path: Path) -> sessionmaker[Session]:
    """The write fixture with customer contacts, and Rob's sample mail captured."""
    with sessions.begin() as session:
        build_write_fixture(session)
        add_contacts(session)
    box = write_mbox(tmp_path / "rob.mbox", sample_messages())
    capture_items(sessions, principal(sessions, "rob@x.test"), read_mail_paths([box]), now=NOW)
    return sessions


@pytest.fixture
def harness(
    crm: sessionmaker[Session], slack: FakeSlackServer, tmp_path: Path
) -> Iterator[SlackHarness]:
    index = make_index(crm, tmp_path / "chroma")
    yield from make_harness(crm, slack, AgentRunner(crm, index=index, clock=lambda: NOW))


def review_id(harness: SlackHarness, subject: str) -> int:
    with harness.sessions() as session:
        rows = list_reviews(session, principal(harness.sessions, "rob@x.test"))
    return next(r.id for r in rows if r.subject == subject)


def status(harness: SlackHarness, item: int) -> str:
    with harness.sessions() as session:
        return str(session.scalar(select(CaptureReview.status).where(CaptureReview.id == item)))


def open_home(harness: SlackHarness, user: str) -> str:
    harness.event({"type": "app_home_opened", "user": user, "channel": f"D{user}", "tab": "home"})
    return json.dumps(harness.posted("views.publish")[-1]["view"])


def click(harness: SlackHarness, user: str, action_id: str, item: int, action_ts: str) -> None:
    payload = {
        "user": {"id": user},
        "container": {"type": "view", "view_id": "VHOME"},
        "view": {"id": "VHOME", "type": "home"},
        "actions": [
            {
                "action_id": action_id,
                "block_id": f"capture-review:{item}",
                "value": str(item),
                "type": "button",
                "action_ts": action_ts,
            }
        ],
    }
    assert harness.send(action_body(payload))[0] == 200
    harness.deps.work.join()


def opened_views(harness: SlackHarness) -> list[dict[str, Any]]:
    views = [c["view"] for c in harness.posted("views.open")]
    return [json.loads(v) if isinstance(v, str) else v for v in views]


def submit(
    harness: SlackHarness, user: str, item: int, account: int, deal: int | None = None
) -> dict[str, Any]:
    values: dict[str, Any] = {
        CAPTURE_ACCOUNT_BLOCK_ID: {
            CAPTURE_ACCOUNT_ACTION_ID: {"selected_option": {"value": str(account)}}
        },
        CAPTURE_DEAL_BLOCK_ID: {
            CAPTURE_DEAL_ACTION_ID: {"selected_option": {"value": str(deal)} if deal else None}
        },
    }
    view = {
        "id": f"VFILE{item}",
        "callback_id": CAPTURE_FILE_CALLBACK_ID,
        "private_metadata": str(item),
        "state": {"values": values},
    }
    status_code, body = harness.send(view_submission_body({"user": {"id": user}, "view": view}))
    harness.deps.work.join()
    assert status_code == 200
    return json.loads(body) if body.strip() else {}


def suggest(harness: SlackHarness, user: str, action_id: str, typed: str) -> list[str]:
    payload = {
        "type": "block_suggestion",
        "user": {"id": user},
        "team": {"id": TEAM_ID},
        "api_app_id": APP_ID,
        "action_id": action_id,
        "block_id": CAPTURE_ACCOUNT_BLOCK_ID,
        "value": typed,
        "view": {"id": "VFILE", "type": "modal", "state": {"values": {}}},
    }
    status_code, body = harness.send(urlencode({"payload": json.dumps(payload)}))
    assert status_code == 200
    return [o["text"]["text"] for o in json.loads(body)["options"]]


def test_home_lists_the_owners_items_only(harness: SlackHarness) -> None:
    home = open_home(harness, "UROB")
    assert "Captured items waiting for you (2)" in home
    assert "stranger@gmail.com" in home and "ian@initech.example" in home
    assert CAPTURE_FILE_ACTION_ID in home and CAPTURE_DISMISS_ACTION_ID in home
    assert "Captured items waiting" not in open_home(harness, "URITA")


def test_dismiss_twice_dismisses_once_and_redraws_home(harness: SlackHarness) -> None:
    item = review_id(harness, "Hi")
    click(harness, "UROB", CAPTURE_DISMISS_ACTION_ID, item, "1.1")
    click(harness, "UROB", CAPTURE_DISMISS_ACTION_ID, item, "2.2")  # a double click
    assert status(harness, item) == "dismissed"
    [audit] = audit_rows(harness.sessions, entity="capture_review")
    assert audit.action == "capture_review.dismiss" and audit.actor_id == 3
    assert audit.surface == "slack" and audit.request_key == "slack-action:1.1:UROB"
    assert opened_views(harness) == []  # the repeat is not an error to show
    home = json.dumps(harness.posted("views.publish")[-1]["view"])
    assert "Captured items waiting for you (1)" in home and "stranger@gmail.com" not in home


@pytest.mark.parametrize("user", ["URITA", "UMIA"])
def test_anyone_elses_click_is_refused_with_a_notice(harness: SlackHarness, user: str) -> None:
    item = review_id(harness, "Hi")
    click(harness, user, CAPTURE_DISMISS_ACTION_ID, item, "1.1")
    click(harness, user, CAPTURE_FILE_ACTION_ID, item, "2.2")
    assert status(harness, item) == "open" and audit_rows(harness.sessions) == []
    notices = opened_views(harness)
    assert len(notices) == 2 and all("isn't one of yours" in json.dumps(v) for v in notices)
    assert harness.posted("views.publish") == []


def test_account_choices_are_the_filers_own(harness: SlackHarness) -> None:
    assert suggest(harness, "UROB", CAPTURE_ACCOUNT_ACTION_ID, "") == [
        "Acme Corp",
        "Umbrella Health",
    ]
    assert suggest(harness, "UROB", CAPTURE_ACCOUNT_ACTION_ID, "glob") == []
    assert suggest(harness, "URITA", CAPTURE_ACCOUNT_ACTION_ID, "glob") == ["Globex"]
    deals = suggest(harness, "UROB", CAPTURE_DEAL_ACTION_ID, "acme")
    assert deals and all(d.startswith("Acme") for d in deals)


def test_filing_through_the_modal_makes_it_an_account_interaction(harness: SlackHarness) -> None:
    item = review_id(harness, "Data")  # Initech's mail to Rob; Initech is not in his book
    click(harness, "UROB", CAPTURE_FILE_ACTION_ID, item, "1.1")
    [modal] = opened_views(harness)
    assert (modal["callback_id"], modal["private_metadata"]) == (
        CAPTURE_FILE_CALLBACK_ID,
        str(item),
    )
    assert submit(harness, "UROB", item, ACME, ACME_EXPANSION) == {}
    assert submit(harness, "UROB", item, ACME, ACME_EXPANSION) == {}  # Slack's retry: closes
    with harness.sessions() as session:
        [filed] = session.scalars(select(Activity).where(Activity.subject == "Data")).all()
    assert (filed.account_id, filed.deal_id, filed.user_id) == (ACME, ACME_EXPANSION, 3)
    assert status(harness, item) == "resolved"
    [audit] = audit_rows(harness.sessions, entity="capture_review")
    assert audit.action == "capture_review.resolve" and audit.after["activity_id"] == filed.id
    index = harness.deps.runner.index
    found = call_tool(harness.sessions, "rob@x.test", "search_interactions", index, query="secret")
    assert filed.id in {h["activity_id"] for h in found["hits"]}
    assert "ian@initech.example" not in json.dumps(harness.posted("views.publish")[-1]["view"])


def test_a_forged_account_or_deal_is_refused_on_its_input(harness: SlackHarness) -> None:
    item = review_id(harness, "Hi")
    globex = submit(harness, "UROB", item, GLOBEX)
    assert globex["response_action"] == "errors"
    assert "not one you can see" in globex["errors"][CAPTURE_ACCOUNT_BLOCK_ID]
    umbrella_deal = submit(harness, "UROB", item, ACME, deal=2)  # Umbrella's pilot
    assert "not a deal of Acme Corp" in umbrella_deal["errors"][CAPTURE_DEAL_BLOCK_ID]
    rita = submit(harness, "URITA", item, GLOBEX)
    assert "No open review item" in rita["errors"][CAPTURE_ACCOUNT_BLOCK_ID]
    assert status(harness, item) == "open" and audit_rows(harness.sessions) == []
