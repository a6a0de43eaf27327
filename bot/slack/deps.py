"""Everything the Slack listeners need, built once and handed to `build_app`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.agent.runner import AgentRunner
from bot.slack.answering import Answerer
from bot.slack.audience import Audience
from bot.slack.identity import IdentityResolver
from bot.slack.work import WorkPool
from bot.slack.workspace import Installation
from tools.db import Session, sessionmaker


@dataclass
class SlackDeps:
    sessions: sessionmaker[Session]
    runner: AgentRunner
    identity: IdentityResolver
    audience: Audience
    answerer: Answerer
    work: WorkPool
    clock: Callable[[], datetime]
    bot_user_id: str | None
    # The NUDGE_TIME setting: a rep who never chose a send time gets their nudges then.
    nudge_time: str = "08:30"
    # Our workspace and app; requests for any other are dropped (see bot/slack/workspace.py).
    installation: Installation | None = None
