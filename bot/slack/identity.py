"""Who a Slack user is in the CRM: a link confirmed by Slack, re-checked, and dropped when stale.

A Slack user is linked to the CRM user whose normalized email (tools/emails.py) equals their
Slack profile email's, exactly, and only if they are a full member of our workspace
(bot/slack/workspace.py). Links are re-confirmed with users.info once older than
VERIFY_SECONDS, and at once when Slack says the user changed; a link whose email no longer
matches is removed.

Only definite answers are cached. When Slack cannot be asked (rate limit, network, 5xx), a link
confirmed within GRACE_SECONDS is still used, uncached; otherwise IdentityUnavailableError says
to try again, rather than telling a CRM user they are not in the CRM.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.workspace import Installation
from tools.db import Session, sessionmaker
from tools.principal import Principal
from tools.slack_links import SlackLink, find_link, link_by_email, mark_unverified, unlink

log = logging.getLogger(__name__)
CACHE_SECONDS = 60.0
VERIFY_SECONDS = 600.0
GRACE_SECONDS = 86_400.0
# users.info errors that say something definite about the user; any other failure is transient.
DEFINITE_ERRORS = {"user_not_found", "user_not_visible"}
UNAVAILABLE_TEXT = (
    "I couldn't check who you are with Slack just now (Slack didn't answer). "
    "Please try again in a minute."
)


class IdentityUnavailableError(RuntimeError):
    """Slack could not be asked who this is, and no recently confirmed link stands in."""


class IdentityResolver:
    """Maps Slack user ids to principals; see the module docstring for when it asks Slack."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        client: WebClient,
        installation: Installation,
        *,
        allow_guests: bool = False,
        ttl: float = CACHE_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._sessions = sessions
        self._client = client
        self._installation = installation
        self._allow_guests = allow_guests
        self._ttl = ttl
        self._monotonic = monotonic
        self._clock = clock
        self._cache: dict[str, tuple[float, Principal | None]] = {}
        # Slack ids users.info called a bot: they can never be linked, and in a channel of
        # our own workspace they are not an audience to hide data from (see bot/slack/audience.py).
        self._bots: set[str] = set()
        self._lock = threading.Lock()

    def resolve(self, slack_user_id: str) -> Principal | None:
        """The principal, or None for someone who is not (or may not be) a CRM user.

        Raises IdentityUnavailableError when Slack could not be asked and nothing stands in.
        """
        now = self._monotonic()
        with self._lock:
            hit = self._cache.get(slack_user_id)
        if hit is not None and now - hit[0] < self._ttl:
            return hit[1]
        principal, definite = self._lookup(slack_user_id)
        if definite:
            with self._lock:
                self._cache[slack_user_id] = (now, principal)
        return principal

    def is_bot(self, slack_user_id: str) -> bool:
        """True when Slack said this id is a bot of our workspace (known after `resolve`)."""
        with self._lock:
            return slack_user_id in self._bots

    def forget(self, slack_user_id: str | None = None) -> None:
        with self._lock:
            if slack_user_id is None:
                self._cache.clear()
            else:
                self._cache.pop(slack_user_id, None)

    def distrust(self, slack_user_id: str) -> bool:
        """Slack says the user changed: their link is unusable until Slack confirms it again.

        True when they were linked (so `recheck` has something to confirm or remove).
        """
        self.forget(slack_user_id)
        with self._sessions.begin() as session:
            return mark_unverified(session, slack_user_id)

    def recheck(self, slack_user_id: str) -> None:
        """Confirm or remove the link now, instead of on the user's next request."""
        try:
            self.resolve(slack_user_id)
        except IdentityUnavailableError:
            log.info("could not re-check %s now; their next request will", slack_user_id)

    def _lookup(self, slack_user_id: str) -> tuple[Principal | None, bool]:
        with self._sessions() as session:
            link = find_link(session, slack_user_id)
        now = self._clock()
        if link is not None and _age(link, now) < timedelta(seconds=VERIFY_SECONDS):
            return link.principal, True
        try:
            email = self._trusted_email(slack_user_id)
        except IdentityUnavailableError:
            if link is not None and _age(link, now) < timedelta(seconds=GRACE_SECONDS):
                log.warning("users.info unavailable; using %s's confirmed link", slack_user_id)
                return link.principal, False
            raise
        with self._sessions.begin() as session:
            if email is None:
                if unlink(session, slack_user_id):
                    log.info("unlinked Slack user %s: no longer a CRM user", slack_user_id)
                return None, True
            return link_by_email(session, slack_user_id, email, now=now), True

    def _trusted_email(self, slack_user_id: str) -> str | None:
        """The profile email of a Slack user we may trust, None for anyone else."""
        try:
            user: dict[str, Any] = self._client.users_info(user=slack_user_id).get("user") or {}
        except SlackApiError as exc:
            error = str(exc.response.get("error"))
            if error in DEFINITE_ERRORS:
                return None
            raise IdentityUnavailableError(f"users.info failed: {error}") from exc
        except Exception as exc:  # network errors and timeouts surface as several types
            raise IdentityUnavailableError(f"users.info failed: {exc!r}") from exc
        why = self._installation.untrusted(user, allow_guests=self._allow_guests)
        if user.get("is_bot") and self._installation.same_org(user):
            with self._lock:
                self._bots.add(slack_user_id)
        if why:
            log.info("not linking Slack user %s: %s", slack_user_id, why)
            return None
        return str(user["profile"]["email"])


def _age(link: SlackLink, now: datetime) -> timedelta:
    if link.verified_at is None:
        return timedelta.max
    verified = link.verified_at
    if verified.tzinfo is None:  # SQLite hands back naive datetimes; they were stored in UTC
        verified = verified.replace(tzinfo=UTC)
    return now - verified
