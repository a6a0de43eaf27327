"""Who an MCP caller is: the CRM user of their personal token, checked on every request."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.metrics.registry import MCP_AUTH_FAILURES
from tools.api_tokens import TokenRefusedError, principal_for_token
from tools.db import Session, sessionmaker
from tools.principal import Principal

MISSING = (
    "No token. Create one with `salesbot tokens create --as EMAIL` and send it as "
    "'Authorization: Bearer <token>' (HTTP) or SALESBOT_TOKEN (stdio)."
)


class TokenAuth:
    """Resolves tokens against `api_tokens`; revocation and expiry count from the next call."""

    def __init__(self, sessions: sessionmaker[Session], clock: Callable[[], datetime]) -> None:
        self.sessions = sessions
        self.clock = clock

    def principal(self, token: str | None, *, transport: str) -> Principal:
        """The token's principal; TokenRefusedError (with the reason in words) otherwise."""
        try:
            if not token or not token.strip():
                raise TokenRefusedError(MISSING)
            with self.sessions.begin() as session:
                return principal_for_token(session, token, now=self.clock())
        except TokenRefusedError:
            MCP_AUTH_FAILURES.labels(transport=transport).inc()
            raise


def bearer(header: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header."""
    if not header:
        return None
    scheme, _, value = header.strip().partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None
