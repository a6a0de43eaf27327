"""Whose figures a request is about ("me", "my team", "Dana"), limited to what the asker may see."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from tools.crm.names import match_user
from tools.principal import Principal

SELF_WORDS = {"me", "my", "mine", "i", "myself", "self", "own"}
TEAM_WORDS = {"team", "my team", "the team", "everyone", "all", "us", "our team", "org"}
REP_TEAM_NOTICE = "You can only see your own book, so these figures are yours."


@dataclass(frozen=True, slots=True)
class OwnerScope:
    """Owner ids to filter on (None: everything the asker may see) and how to describe them."""

    owner_ids: frozenset[int] | None
    label: str
    notice: str | None = None
    missing: bool = False
    suggestions: tuple[str, ...] = ()


def resolve_owner_scope(session: Session, principal: Principal, words: str | None) -> OwnerScope:
    """Turn scope words into owner ids the principal is allowed to see."""
    if words is None:
        return OwnerScope(principal.visible_owner_ids, "everything you can see")
    key = words.strip().lower().removesuffix("'s")
    if key in SELF_WORDS or key in {principal.email.lower(), principal.name.lower()}:
        return OwnerScope(frozenset({principal.user_id}), principal.name)
    if key in TEAM_WORDS:
        if principal.is_admin:
            return OwnerScope(None, "everyone")
        if principal.is_manager:
            return OwnerScope(principal.visible_owner_ids, f"{principal.name}'s team")
        return OwnerScope(frozenset({principal.user_id}), principal.name, REP_TEAM_NOTICE)
    match = match_user(session, principal, words)
    if match.id is None or match.name is None:
        return OwnerScope(frozenset(), words, missing=True, suggestions=match.suggestions)
    return OwnerScope(frozenset({match.id}), match.name)
