"""Who will see an answer: post in a channel only if every member may see all of its data."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from slack_sdk import WebClient

from bot.agent.answer import Answer
from bot.identity import IdentityResolver

# Checking thousands of members one by one is slow; such a channel gets a private answer.
MAX_MEMBERS_CHECKED = 300
MEMBERS_CACHE_SECONDS = 60.0
NOT_ALL_CAN_SEE = (
    "I sent this only to you because some members of this channel may not see all of this data."
)


@dataclass(frozen=True, slots=True)
class Verdict:
    public: bool
    reason: str | None = None


def data_owner_ids(answer: Answer) -> set[int]:
    """Owners whose records the answer shows, from every artifact."""
    return {int(i) for a in answer.artifacts for i in a.get("data_owner_ids", [])}


class Audience:
    """Decides whether an answer may be posted where everyone in a channel sees it."""

    def __init__(
        self,
        identity: IdentityResolver,
        *,
        bot_user_id: str | None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._identity = identity
        self._bot_user_id = bot_user_id
        self._monotonic = monotonic
        self._members: dict[str, tuple[float, list[str]]] = {}
        self._lock = threading.Lock()

    def check(self, client: WebClient, channel_id: str, answer: Answer) -> Verdict:
        owners = data_owner_ids(answer)
        if not owners:
            return Verdict(True)
        members = [m for m in self.members(client, channel_id) if m != self._bot_user_id]
        if len(members) > MAX_MEMBERS_CHECKED or not self._all_can_see(members, owners):
            return Verdict(False, NOT_ALL_CAN_SEE)
        return Verdict(True)

    def _all_can_see(self, members: Iterable[str], owners: set[int]) -> bool:
        for member in members:
            principal = self._identity.resolve(member)
            if principal is None or not all(principal.can_see_owner(o) for o in owners):
                return False
        return True

    def members(self, client: WebClient, channel_id: str) -> list[str]:
        now = self._monotonic()
        with self._lock:
            hit = self._members.get(channel_id)
        if hit is not None and now - hit[0] < MEMBERS_CACHE_SECONDS:
            return hit[1]
        found: list[str] = []
        for page in client.conversations_members(channel=channel_id, limit=200):
            found += page.get("members", [])
            if len(found) > MAX_MEMBERS_CHECKED:
                break
        with self._lock:
            self._members[channel_id] = (now, found)
        return found
