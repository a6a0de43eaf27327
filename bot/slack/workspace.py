"""The one workspace and app salesbot is installed as, and whom in Slack it may ever trust.

A signed request proves it came through Slack for an app that knows our signing secret, not that
it concerns our workspace: a request naming another team, enterprise or app is acknowledged and
dropped. A Slack user is trusted as a CRM user only if they are a full member of our workspace.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import BoltContext, BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)
SLACKBOT = "USLACKBOT"
JSON = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Installation:
    """Who we are in Slack, from auth.test at start (and bots.info for the app id)."""

    team_id: str | None
    enterprise_id: str | None = None
    # An org-wide Enterprise Grid install serves every workspace of the org: compare enterprises.
    is_enterprise_install: bool = False
    # None when neither SLACK_APP_ID nor bots.info told us: then only the workspace is checked.
    app_id: str | None = None
    bot_user_id: str | None = None

    def foreign(self, team_id: str | None, enterprise_id: str | None, app_id: str | None) -> str:
        """Why a request is not ours ("" when it is)."""
        if self.is_enterprise_install:
            if enterprise_id is None or enterprise_id != self.enterprise_id:
                return f"enterprise {enterprise_id!r}"
        elif team_id is None or team_id != self.team_id:
            return f"team {team_id!r}"
        elif enterprise_id is not None and enterprise_id != self.enterprise_id:
            return f"enterprise {enterprise_id!r}"
        # A payload without api_app_id is judged by its workspace alone; another app is not us.
        if self.app_id is not None and app_id is not None and app_id != self.app_id:
            return f"app {app_id!r}"
        return ""

    def untrusted(self, user: JSON, *, allow_guests: bool) -> str:
        """Why this users.info user may not be linked to a CRM user ("" when they may)."""
        flags = ("is_bot", "is_app_user", "deleted", "is_stranger")
        raised = [flag for flag in flags if user.get(flag)]
        if user.get("id") == SLACKBOT or raised:
            return ", ".join(raised) or "Slackbot"
        if not allow_guests and (user.get("is_restricted") or user.get("is_ultra_restricted")):
            return "guest (SLACK_ALLOW_GUESTS is off)"
        if not self.same_org(user):
            return f"from team {user.get('team_id')!r}"
        if not (user.get("profile") or {}).get("email"):
            return "no profile email"
        return ""

    def same_org(self, user: JSON) -> bool:
        """True for a user of our workspace (or, for an org-wide install, our enterprise)."""
        grid = user.get("enterprise_user") or {}
        if self.is_enterprise_install:
            enterprise = grid.get("enterprise_id") or user.get("enterprise_id")
            return self.enterprise_id is not None and enterprise == self.enterprise_id
        if grid and grid.get("enterprise_id") != self.enterprise_id:
            return False
        teams = {user.get("team_id"), *(grid.get("teams") or [])}
        return self.team_id is not None and self.team_id in teams


def discover_installation(client: WebClient, app_id: str | None = None) -> Installation:
    """Ask Slack who the bot token belongs to; the app id from the setting, else bots.info."""
    auth = client.auth_test()
    return Installation(
        team_id=auth.get("team_id"),
        enterprise_id=auth.get("enterprise_id") or None,
        is_enterprise_install=bool(auth.get("is_enterprise_install")),
        app_id=app_id or _app_id_of_bot(client, auth.get("bot_id")),
        bot_user_id=auth.get("user_id"),
    )


def _app_id_of_bot(client: WebClient, bot_id: str | None) -> str | None:
    if not bot_id:
        return None
    try:
        return (client.bots_info(bot=bot_id).get("bot") or {}).get("app_id") or None
    except SlackApiError as exc:
        log.warning(
            "bots.info failed (%s): set SLACK_APP_ID, or only the workspace of requests is checked",
            exc.response.get("error"),
        )
        return None


def workspace_gate(installation: Installation) -> Callable[..., BoltResponse | None]:
    """Bolt middleware: requests for another workspace, enterprise or app get an empty 200."""

    def only_our_workspace(
        context: BoltContext, body: JSON, next: Callable[[], None]
    ) -> BoltResponse | None:
        why = installation.foreign(
            context.team_id, context.enterprise_id, body.get("api_app_id") or None
        )
        if not why:
            next()
            return None
        kind = body.get("type") or body.get("command") or "request"
        log.warning("ignored a %s for %s: salesbot is installed elsewhere", kind, why)
        return BoltResponse(status=200, body="")

    return only_our_workspace
