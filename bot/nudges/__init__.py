"""Daily next-action nudges and the manager digest: what is due for whom, sent exactly once."""

from bot.nudges.config import DAILY_NUDGE, MANAGER_DIGEST, Due, NudgeConfig
from bot.nudges.content import NudgeMessage
from bot.nudges.due import due_deliveries
from bot.nudges.run import NudgeSender, RunReport, run_due
from bot.nudges.slack_sender import EVENT_TYPE, Sent, SlackNudgeSender, UnreachableError

__all__ = [
    "DAILY_NUDGE",
    "EVENT_TYPE",
    "MANAGER_DIGEST",
    "Due",
    "NudgeConfig",
    "NudgeMessage",
    "NudgeSender",
    "RunReport",
    "Sent",
    "SlackNudgeSender",
    "UnreachableError",
    "due_deliveries",
    "run_due",
]
