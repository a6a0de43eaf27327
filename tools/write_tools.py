"""The write tools: each one only proposes a change; the user's confirmation applies it.

The model can call these freely. They resolve names within the asker's own scope, check the
values, store a `pending_writes` row and return a "write_proposal" artifact; the CRM itself
changes only in `tools/writes/confirm.py`, when the proposer confirms.
"""

from __future__ import annotations

from collections.abc import Callable

from langchain_core.tools import BaseTool, tool
from sqlalchemy.orm import Session

from tools.arguments import notice
from tools.context import ToolContext
from tools.results import Result, as_result, not_found
from tools.writes.artifact import proposal_artifact
from tools.writes.propose import (
    Draft,
    draft_deal_update,
    draft_interaction,
    draft_task,
    store_draft,
)
from tools.writes.resolve import (
    NotFoundError,
    account_deal,
    resolve_account,
    resolve_contact,
    resolve_deal,
)
from tools.writes.values import InvalidValueError

PENDING_NOTE = "Not saved yet: the user must confirm this change before anything is written."
WRITE_TOOLS = frozenset({"log_interaction", "update_deal", "create_task"})


def make_write_tools(ctx: ToolContext) -> list[BaseTool]:
    """The three proposing tools, bound to the asker."""
    return [_log_interaction_tool(ctx), _update_deal_tool(ctx), _create_task_tool(ctx)]


def propose(ctx: ToolContext, build: Callable[[Session], Draft]) -> Result:
    """Store the draft `build` makes as a proposal; a refusal becomes a sentence, not an error."""
    with ctx.sessions.begin() as session:
        try:
            draft = build(session)
        except NotFoundError as exc:
            return not_found(exc.what, exc.query, exc.suggestions)
        except InvalidValueError as exc:
            return notice(str(exc))
        row = store_draft(session, ctx.principal, draft, now=ctx.clock())
        return as_result({**proposal_artifact(row), "note": PENDING_NOTE})


def _log_interaction_tool(ctx: ToolContext) -> BaseTool:
    @tool(response_format="content_and_artifact", parse_docstring=True)
    def log_interaction(
        account: str,
        kind: str,
        text: str,
        deal: str | None = None,
        contact: str | None = None,
        when: str | None = None,
    ) -> Result:
        """Propose logging a call, meeting, email or note; the user confirms before it is saved.

        Args:
            account: the account's name; typos are fine.
            kind: call, meeting, email, note or linkedin.
            text: what happened, in the user's words (the facts they gave, nothing added).
            deal: the deal it was about, if the user named one.
            contact: the person it was with, if named.
            when: when it happened ("yesterday", "Monday", "2026-11-20"); today if not given.
        """

        def build(session: Session) -> Draft:
            acc = resolve_account(session, ctx.principal, account)
            found = resolve_deal(session, ctx.principal, deal) if deal else None
            found = found or account_deal(session, ctx.principal, acc.id)
            person = resolve_contact(session, acc.id, contact) if contact else None
            return draft_interaction(
                acc,
                today=ctx.today(),
                kind=kind,
                text=text,
                deal=found,
                contact=person,
                when=when,
            )

        return propose(ctx, build)

    return log_interaction


def _update_deal_tool(ctx: ToolContext) -> BaseTool:
    @tool(response_format="content_and_artifact", parse_docstring=True)
    def update_deal(
        deal: str,
        stage: str | None = None,
        amount: float | str | None = None,
        close_date: str | None = None,
        next_step: str | None = None,
    ) -> Result:
        """Propose changing a deal's stage, amount, close date or next step; the user confirms
        before anything is saved.

        Args:
            deal: the deal's name, its account's name, or its id.
            stage: prospecting, qualification, proposal, negotiation, closed_won or closed_lost.
            amount: the new amount, e.g. 50000 or "50k".
            close_date: the new close date: "next month" (pushes it one month), "end of
                quarter", "Friday" or 2026-12-31.
            next_step: the new next step, in the user's words.
        """

        def build(session: Session) -> Draft:
            return draft_deal_update(
                resolve_deal(session, ctx.principal, deal),
                today=ctx.today(),
                stage=stage,
                amount=amount,
                close_date=close_date,
                next_step=next_step,
            )

        return propose(ctx, build)

    return update_deal


def _create_task_tool(ctx: ToolContext) -> BaseTool:
    @tool(response_format="content_and_artifact", parse_docstring=True)
    def create_task(title: str, due: str, deal: str | None = None) -> Result:
        """Propose a task (a reminder) for the user; they confirm before it is saved.

        Args:
            title: what to do, e.g. "Send the contract".
            due: when, in the user's words: "Friday", "next Friday", "in two weeks",
                "end of month", "tomorrow" or 2026-12-31.
            deal: the deal it is for, if the user named one.
        """

        def build(session: Session) -> Draft:
            found = resolve_deal(session, ctx.principal, deal) if deal else None
            return draft_task(ctx.principal, today=ctx.today(), title=title, due=due, deal=found)

        return propose(ctx, build)

    return create_task
