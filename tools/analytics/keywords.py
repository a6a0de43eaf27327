"""Words that flag a competitor or a pricing objection in an activity, and what resolves one.

Lowercase substrings matched with LIKE against an activity's subject and body.
"""

from __future__ import annotations

COMPETITOR_NAMES = ("salesforce", "hubspot", "pipedrive", "zoho")
COMPETITOR_WORDS = ("competitor", "competitive", "bake-off", "side-by-side", *COMPETITOR_NAMES)
PRICING_WORDS = ("pricing", "price", "discount", "too expensive", "above budget", "uplift")
# A later activity with one of these says the price question was settled.
RESOLVED_WORDS = ("approved", "approval", "agreed to", "accepted", "signed", "in budget")


def first_hit(text: str, words: tuple[str, ...]) -> str | None:
    """The first of `words` found in `text` (case-insensitive), for the evidence."""
    low = text.lower()
    return next((w for w in words if w in low), None)
