"""A proposal made over MCP, shown to its proposer in Slack as the usual card (Confirm, Edit,
Cancel), when `salesbot serve` runs and the user is linked to Slack. The card's buttons are
handled like any other (bot/slack/handlers/writes.py): only the proposer can confirm."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.mcp.catalog import CardPoster
from bot.slack.blocks.proposals import build_proposal_blocks, card_text
from tools.crm.users import get_user
from tools.db import Session, sessionmaker
from tools.principal import Principal

log = logging.getLogger(__name__)


def slack_card_poster(client: WebClient, sessions: sessionmaker[Session]) -> CardPoster:
    """Posts the proposal card to the proposer's DM; False when they have no Slack link or
    Slack refuses (the CLI's `salesbot confirm` still works)."""

    def post(principal: Principal, artifact: Mapping[str, Any]) -> bool:
        with sessions() as session:
            user = get_user(session, principal.user_id)
            slack_id = user.slack_user_id if user else None
        if not slack_id:
            return False
        try:
            blocks, text = build_proposal_blocks(artifact), card_text(artifact)
            client.chat_postMessage(channel=slack_id, blocks=blocks, text=text)
        except SlackApiError as exc:
            log.warning("could not show an MCP proposal in Slack: %s", exc.response.get("error"))
            return False
        return True

    return post
