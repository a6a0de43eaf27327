"""The SDK's client over streamable HTTP at /mcp of `serve`'s app: each token sees its own book."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request

import pytest
from sqlalchemy import text
from support.crm_fixture import NOW
from support.fakes.signing import action_body
from support.mcp_helpers import (
    OTTO,
    ROB,
    Served,
    deal_names,
    expired_token,
    http_session,
    make_token,
    text_of,
)

from bot.slack.ids import WRITE_CONFIRM_ACTION_ID
from tools.api_tokens import revoke_token
from tools.principal import get_principal_by_email


async def _deals(url: str, token: str) -> tuple[set[str], set[str]]:
    async with http_session(url, token) as session:
        tools = {tool.name for tool in (await session.list_tools()).tools}
        return tools, deal_names(await session.call_tool("find_deals", {}))


def test_two_users_list_and_call_the_tools_and_see_only_their_own_books(served: Served) -> None:
    rob = make_token(served.sessions, ROB, now=NOW).secret
    otto = make_token(served.sessions, OTTO, now=NOW).secret
    rob_tools, rob_deals = asyncio.run(_deals(served.mcp_url, rob))
    otto_tools, otto_deals = asyncio.run(_deals(served.mcp_url, otto))

    assert {"find_deals", "get_deal", "pipeline_summary", "log_interaction"} <= rob_tools
    assert rob_tools == otto_tools
    assert "Acme Corp – Platform Expansion" in rob_deals
    assert not any(name.startswith("Initech") for name in rob_deals)
    assert otto_deals == {"Initech – Data Migration"}


def test_a_deal_out_of_scope_is_answered_like_one_that_does_not_exist(served: Served) -> None:
    otto = make_token(served.sessions, OTTO, now=NOW).secret

    async def ask() -> str:
        async with http_session(served.mcp_url, otto) as session:
            found = await session.call_tool("get_deal", {"deal": "Acme Corp – Platform Expansion"})
            return text_of(found)

    reply = asyncio.run(ask())
    assert '"type":"not_found"' in reply and "120000" not in reply


def _post(url: str, token: str | None) -> tuple[int, str]:
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "tools/list"}).encode()
    headers = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_revoked_expired_forged_and_missing_tokens_are_refused_with_the_reason(
    served: Served,
) -> None:
    revoked = make_token(served.sessions, ROB, now=NOW)
    with served.sessions.begin() as session:
        principal = get_principal_by_email(session, ROB)
        assert revoke_token(session, principal, revoked.prefix, now=NOW)
    expired = expired_token(served.sessions, ROB, now=NOW)
    forged = "sbt_" + "A" * 40

    cases = {
        revoked.secret: "was revoked",
        expired.secret: "expired on",
        forged: "not valid",
        "": "No token",
    }
    for token, reason in cases.items():
        status, body = _post(served.mcp_url, token)
        assert status == 401, (token, body)
        assert reason in json.loads(body)["error"]["message"]


def test_the_sdk_client_fails_on_a_refused_token(served: Served) -> None:
    async def connect() -> None:
        async with http_session(served.mcp_url, "sbt_forged-token") as session:
            await session.list_tools()

    with pytest.raises(BaseException) as raised:  # the SDK raises it inside a group
        asyncio.run(connect())
    assert "This token is not valid" in repr(raised.value)


def test_a_token_revoked_mid_session_is_refused_on_its_next_call(served: Served) -> None:
    rob = make_token(served.sessions, ROB, now=NOW)

    async def run() -> tuple[set[str], BaseException | None]:
        async with http_session(served.mcp_url, rob.secret) as session:
            first = deal_names(await session.call_tool("find_deals", {}))
            with served.sessions.begin() as s:
                revoke_token(s, get_principal_by_email(s, ROB), rob.prefix, now=NOW)
            try:
                await session.call_tool("find_deals", {})
            except BaseException as exc:  # the transport's 401
                return first, exc
            return first, None

    first, refused = asyncio.run(run())
    assert "Acme Corp – Platform Expansion" in first
    assert "was revoked" in repr(refused)


def test_a_write_over_mcp_waits_for_its_proposer_to_confirm_the_card_in_slack(
    served: Served,
) -> None:
    with served.sessions.begin() as session:
        session.execute(text("update users set slack_user_id = 'UROB' where id = 3"))
    rob = make_token(served.sessions, ROB, now=NOW).secret
    args = {"deal": "Acme Corp – Platform Expansion", "stage": "closed_won"}

    async def propose() -> str:
        async with http_session(served.mcp_url, rob) as session:
            return text_of(await session.call_tool("update_deal", args))

    reply = asyncio.run(propose())
    assert "NOT saved" in reply and "Slack DMs" in reply
    assert stage(served) == "negotiation"  # the agent cannot save it
    harness = served.harness
    [card] = [
        c.params for c in harness.slack.calls("chat.postMessage") if c.params["channel"] == "UROB"
    ]
    write_id = card_write_id(card)
    message = {"ts": "9.9", "blocks": card["blocks"], "text": card["text"]}
    for user in ("UMIA", "UROB"):  # Rob's manager cannot confirm it for him; Rob can
        payload = {
            "user": {"id": user},
            "channel": {"id": "DROB"},
            "container": {"type": "message", "message_ts": "9.9", "channel_id": "DROB"},
            "message": message,
            "response_url": harness.slack.response_url,
            "actions": [
                {
                    "action_id": WRITE_CONFIRM_ACTION_ID,
                    "value": write_id,
                    "type": "button",
                    "action_ts": f"1.{len(user)}",
                }
            ],
        }
        assert harness.send(action_body(payload))[0] == 200
        harness.deps.work.join()
        if user == "UMIA":
            assert stage(served) == "negotiation"
    assert stage(served) == "closed_won"


def stage(served: Served) -> str:
    with served.sessions() as session:
        return str(session.execute(text("select stage from deals where id = 1")).scalar())


def card_write_id(params: dict[str, object]) -> str:
    blocks = params["blocks"]
    found = json.loads(blocks) if isinstance(blocks, str) else blocks
    for block in found:  # type: ignore[union-attr]
        for element in block.get("elements", []):
            if element.get("action_id") == WRITE_CONFIRM_ACTION_ID:
                return str(element["value"])
    raise AssertionError("no Confirm button on the card")
