"""Follow-up email drafts grounded only in one deal's CRM history, read as the clicker.

With an LLM configured the model writes the draft, and a check rejects any number, date or
deadline the CRM does not contain; otherwise (or then) a fixed template fills in CRM facts.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from bot.agent.llm import llm_failures
from bot.slack.deps import SlackDeps
from bot.slack.direct_tools import run_tool
from bot.slack.handlers.draft_check import MONTHS, unsupported_facts
from prompts import load_prompt
from tools.artifacts import ArtifactType
from tools.principal import Principal

log = logging.getLogger(__name__)
DEAL_FIELDS = ("name", "account", "stage", "amount", "currency", "close_date", "next_step")
INTERACTION_FIELDS = ("date", "kind", "subject", "snippet")
_FENCE = re.compile(r"^```[a-z]*\n?|\n?```$")
_KIND_NOUNS = {"email": "email", "call": "call", "meeting": "meeting", "linkedin": "message"}


class DealNotFoundError(LookupError):
    """The deal does not exist or the principal may not see it (told apart by no one)."""


@dataclass(frozen=True)
class DraftFacts:
    """Everything a draft may draw on: the deal, one contact, its latest interactions."""

    deal: dict[str, Any]
    sender: str
    contact: dict[str, Any] | None = None
    interactions: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> str:
        return json.dumps(
            {
                "deal": self.deal,
                "contact": self.contact,
                "interactions": self.interactions,
                "sender": self.sender,
            },
            ensure_ascii=False,
        )


def draft_follow_up(deps: SlackDeps, principal: Principal, deal_id: int) -> str:
    """A follow-up email for `deal_id` written only from what `principal` may see of it.

    Raises:
        DealNotFoundError: The deal is missing or out of the principal's scope.
    """
    facts = load_facts(deps, principal, deal_id)
    if deps.runner.llm is not None:
        drafted = llm_draft(deps.runner.llm, facts)
        if drafted is not None:
            return drafted
    return template_draft(facts)


def load_facts(deps: SlackDeps, principal: Principal, deal_id: int) -> DraftFacts:
    """The deal through the `get_deal` tool, as the principal: the same scoping as a question."""
    artifact = run_tool(deps, principal, "get_deal", {"deal": str(deal_id)})
    if artifact.get("type") != ArtifactType.DEAL:
        raise DealNotFoundError(deal_id)
    contacts = artifact.get("contacts") or []
    return DraftFacts(
        deal={k: artifact["deal"].get(k) for k in DEAL_FIELDS},
        sender=principal.name,
        contact={k: contacts[0].get(k) for k in ("name", "title")} if contacts else None,
        interactions=[
            {k: row.get(k) for k in INTERACTION_FIELDS} for row in artifact.get("interactions", [])
        ],
    )


def llm_draft(llm: BaseChatModel, facts: DraftFacts) -> str | None:
    """The model's draft, or None when the model fails or states what the CRM does not."""
    messages = [SystemMessage(load_prompt("draft_follow_up")), HumanMessage(facts.as_json())]
    try:
        reply = llm.invoke(messages)
    except llm_failures() as exc:
        log.warning("draft: the LLM failed (%s); using the template", exc)
        return None
    text = _FENCE.sub("", _content(reply.content).strip()).strip()
    unsupported = unsupported_facts(text, facts.as_json())
    if not text or unsupported:
        log.warning("draft: rejected the LLM draft, not in the CRM: %s", unsupported or "empty")
        return None
    return text


def template_draft(facts: DraftFacts) -> str:
    """A plain follow-up that uses only the contact's name, interaction subjects and dates."""
    first = str((facts.contact or {}).get("name") or "").split(" ")[0] or "there"
    deal = str(facts.deal.get("name") or "our conversation")
    if not facts.interactions:
        lines = [f"Subject: Checking in: {deal}", "", f"Hi {first},", ""]
        lines.append(f"I wanted to check in on {deal} and see where things stand on your side.")
    else:
        last, *earlier = facts.interactions
        subject = str(last.get("subject") or deal)
        lines = [f"Subject: Following up: {subject}", "", f"Hi {first},", ""]
        lines.append(f"I'm following up on our {_last_touch(last)}.")
        topics = [str(row["subject"]) for row in earlier[:2] if row.get("subject")]
        if topics:
            lines.append(f"I'd also be glad to pick up anything still open from {_and(topics)}.")
    lines += [
        "",
        "Is there anything else you need from us, or anyone else we should bring in?",
        "",
        "Best regards,",
        facts.sender,
    ]
    return "\n".join(lines)


def _last_touch(row: dict[str, Any]) -> str:
    noun = _KIND_NOUNS.get(str(row.get("kind")), "conversation")
    text = f"{noun} about “{row.get('subject')}”"
    try:
        day = date.fromisoformat(str(row.get("date")))
    except ValueError:
        return text
    return f"{text} on {MONTHS[day.month - 1].capitalize()} {day.day}"


def _and(items: list[str]) -> str:
    quoted = [f"“{item}”" for item in items]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _content(content: Any) -> str:
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") for part in content if isinstance(part, dict))
