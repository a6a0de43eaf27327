"""Who will see an answer: post in a channel only if every member may see all of its data.

Membership and the channel's sharing are read fresh from Slack for every answer that shows CRM
data, so someone who joined a second ago counts. Unknown members make the answer private; bots
of our own workspace do not, except in a channel shared with another workspace (Slack Connect),
where every member must be a verified CRM user.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.agent.answer import Answer
from bot.slack.identity import IdentityResolver, IdentityUnavailableError

log = logging.getLogger(__name__)
# Checking thousands of members one by one is slow; such a channel gets a private answer.
MAX_MEMBERS_CHECKED = 300
NOT_ALL_CAN_SEE = (
    "I sent this only to you because some members of this channel may not see all of this data."
)
SHARED_FLAGS = ("is_ext_shared", "is_shared", "is_org_shared")


@dataclass(frozen=True, slots=True)
class Verdict:
    public: bool
    reason: str | None = None


PRIVATE = Verdict(False, NOT_ALL_CAN_SEE)


def data_owner_ids(answer: Answer) -> set[int]:
    """Owners whose records the answer shows, from every artifact."""
    return {int(i) for a in answer.artifacts for i in a.get("data_owner_ids", [])}


class Audience:
    """Decides whether an answer may be posted where everyone in a channel sees it."""

    def __init__(self, identity: IdentityResolver, *, bot_user_id: str | None) -> None:
        self._identity = identity
        self._bot_user_id = bot_user_id

    def check(self, client: WebClient, channel_id: str, answer: Answer) -> Verdict:
        owners = data_owner_ids(answer)
        if not owners:
            return Verdict(True)
        try:
            info = client.conversations_info(channel=channel_id).get("channel") or {}
            members = [m for m in self.members(client, channel_id) if m != self._bot_user_id]
        except SlackApiError as exc:  # not knowing who is there is a reason not to post there
            log.warning("cannot read members of %s: %s", channel_id, exc.response.get("error"))
            return PRIVATE
        if info.get("is_pending_ext_shared"):  # another organisation is about to join
            return PRIVATE
        shared = any(info.get(flag) for flag in SHARED_FLAGS)
        if len(members) > MAX_MEMBERS_CHECKED or not self._all_can_see(members, owners, shared):
            return PRIVATE
        return Verdict(True)

    def _all_can_see(self, members: Iterable[str], owners: set[int], shared: bool) -> bool:
        for member in members:
            try:
                principal = self._identity.resolve(member)
            except IdentityUnavailableError:
                return False
            if principal is None and not shared and self._identity.is_bot(member):
                continue
            if principal is None or not all(principal.can_see_owner(o) for o in owners):
                return False
        return True

    def members(self, client: WebClient, channel_id: str) -> list[str]:
        """The channel's members now: never cached, so a join counts at once."""
        found: list[str] = []
        for page in client.conversations_members(channel=channel_id, limit=200):
            found += page.get("members", [])
            if len(found) > MAX_MEMBERS_CHECKED:
                break
        return found
