"""The offline planner's billing questions: which billing tool a question needs, if any.

Kept apart from the CRM intents so the rest of the planner can change without touching it;
`plan` asks here first and falls through when nothing matches.
"""

from __future__ import annotations

import re

from bot.agent.planner.names import find_name, name_aliases
from bot.agent.planner.textutil import normalize
from bot.agent.planner.types import PlannedCall, Vocabulary

_WORTH = re.compile(
    r"\bworth to (us|the company)\b|\blifetime value\b|\bltv\b|\bpays? (us )?(on time|late)\b"
)
_TOP_LTV = re.compile(r"\b(top|best|most valuable|rank)\b.*\b(lifetime value|ltv|value)\b")
_UNPAID = re.compile(r"\b(unpaid|overdue|outstanding|late) (invoice|payment|bill)s?\b|\bowes? us\b")
_RENEWALS = re.compile(
    r"\brenewals\b|\brenewing\b|\bup for renewal\b|\brenewal (dates?|coming|due)\b"
)
_CHURN = re.compile(r"\bchurn(ing)?\b|\bcancel(l)?ing\b|\bat risk of (leaving|cancel)")
_REVENUE = re.compile(r"\b(mrr|arr|net revenue retention|nrr|recurring revenue)\b")
_PERIOD = re.compile(r"\b(this|next|last) (quarter|month|year|week)\b|\bnext \d+ days\b|\bq[1-4]\b")


def plan_billing(text: str, vocab: Vocabulary) -> PlannedCall | None:
    """The billing tool call a question asks for, or None for any other question."""
    words = text.lower()
    scope = {"scope": "team"} if vocab.is_manager else {}
    if _UNPAID.search(words):
        return PlannedCall("unpaid_invoices", scope)
    if _RENEWALS.search(words):
        found = _PERIOD.search(words)
        return PlannedCall(
            "upcoming_renewals", {**scope, "period": found.group(0) if found else "this quarter"}
        )
    if _CHURN.search(words):
        return PlannedCall("churn_risk", scope)
    if _TOP_LTV.search(words):
        return PlannedCall("top_accounts_by_value", scope)
    if _WORTH.search(words):
        account = _account(text, vocab)
        if account is not None:
            return PlannedCall("account_value", {"account": account})
        return PlannedCall("top_accounts_by_value", scope)
    if _REVENUE.search(words):
        return PlannedCall("revenue_summary", scope)
    return None


def _account(text: str, vocab: Vocabulary) -> str | None:
    hit = find_name(normalize(text).split(), name_aliases(vocab.accounts))
    return hit.name if hit else None
