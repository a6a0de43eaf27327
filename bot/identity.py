"""Who a Slack user is in the CRM: linked by id, else matched by their Slack profile email."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tools.models import User
from tools.principal import (
    Principal,
    UnknownUserError,
    get_principal_by_slack_id,
    principal_for_user,
)

log = logging.getLogger(__name__)
CACHE_SECONDS = 600.0


class IdentityResolver:
    """Maps Slack user ids to principals, caching both hits and misses for a while."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        client: WebClient,
        *,
        ttl: float = CACHE_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sessions = sessions
        self._client = client
        self._ttl = ttl
        self._monotonic = monotonic
        self._cache: dict[str, tuple[float, Principal | None]] = {}
        self._lock = threading.Lock()

    def resolve(self, slack_user_id: str) -> Principal | None:
        """The principal for a Slack user, or None when they map to no CRM user."""
        now = self._monotonic()
        with self._lock:
            hit = self._cache.get(slack_user_id)
        if hit is not None and now - hit[0] < self._ttl:
            return hit[1]
        principal = self._lookup(slack_user_id)
        with self._lock:
            self._cache[slack_user_id] = (now, principal)
        return principal

    def forget(self, slack_user_id: str | None = None) -> None:
        with self._lock:
            if slack_user_id is None:
                self._cache.clear()
            else:
                self._cache.pop(slack_user_id, None)

    def _lookup(self, slack_user_id: str) -> Principal | None:
        with self._sessions() as session:
            try:
                return get_principal_by_slack_id(session, slack_user_id)
            except UnknownUserError:
                pass
        email = self._email_of(slack_user_id)
        if email is None:
            return None
        with self._sessions.begin() as session:
            user = session.scalar(select(User).where(User.email.ilike(email)))
            if user is None:
                return None
            # Linking makes the next lookup a single indexed query, and `salesbot users` shows it.
            user.slack_user_id = slack_user_id
            return principal_for_user(session, user)

    def _email_of(self, slack_user_id: str) -> str | None:
        try:
            user = self._client.users_info(user=slack_user_id).get("user") or {}
        except SlackApiError as exc:
            log.info("users.info failed for %s: %s", slack_user_id, exc.response.get("error"))
            return None
        if user.get("is_bot") or user.get("deleted"):
            return None
        email = (user.get("profile") or {}).get("email")
        return str(email).strip() if email else None
