"""The demo's named accounts each keep an open deal, so the README's examples work on any seed.

"Move Globex to negotiation" needs Globex to have a deal still in play. This runs after the whole
plan is drawn and uses no randomness: it moves one of the owner's own open deals (with its
interactions and tasks) from an unnamed account onto a named account that has none, so every other
row of the demo, and every per-rep figure, stays exactly as drawn.
"""

from __future__ import annotations

from tools.demo.names import FAMOUS_ACCOUNTS
from tools.demo.plan import Plan, PlannedDeal
from tools.models import Stage

# Earlier stages first: a deal the examples can still advance to negotiation.
_PREFERRED = (Stage.PROPOSAL, Stage.QUALIFICATION, Stage.PROSPECTING, Stage.NEGOTIATION)


def give_named_accounts_open_deals(plan: Plan) -> None:
    """Ensure every famous account has at least one open deal owned by its account owner."""
    famous = {name for name, _ in FAMOUS_ACCOUNTS}
    named = {a for a, acc in enumerate(plan.accounts) if acc["name"] in famous}
    for a in sorted(named):
        if any(d.account == a and d.closed_at is None for d in plan.deals):
            continue
        owner = plan.accounts[a]["owner_id"]
        candidates = [
            d for d in plan.deals
            if d.owner == owner and d.closed_at is None and d.account not in named
            and d.stage in _PREFERRED
        ]  # fmt: skip
        if candidates:
            deal = min(candidates, key=lambda d: (_PREFERRED.index(d.stage), d.created_at))
            _move(plan, deal, a)


def _move(plan: Plan, deal: PlannedDeal, to: int) -> None:
    d = plan.deals.index(deal)
    product = deal.name.split(" – ", 1)[-1]
    contacts = [c for c, row in enumerate(plan.contacts) if row["account_id"] == to]
    names = {str(plan.accounts[deal.account]["name"]): str(plan.accounts[to]["name"])}
    for row in plan.activities:
        if row["deal_id"] != d:
            continue
        old, new = row["contact_id"], contacts[0] if contacts else None
        if old is not None and new is not None:
            # The texts greet the contact by name: they follow the new account's contact.
            names[str(plan.contacts[old]["name"])] = str(plan.contacts[new]["name"])
            names[_first(plan, old)] = _first(plan, new)
        row["account_id"], row["contact_id"] = to, new
    for row in (*(r for r in plan.activities if r["deal_id"] == d),
                *(r for r in plan.tasks if r.get("deal_id") == d)):  # fmt: skip
        for key in ("subject", "body", "title"):
            if isinstance(row.get(key), str):
                row[key] = _replace(row[key], names)
    deal.name = f"{plan.accounts[to]['name']} – {product}"
    deal.account = to
    account = plan.accounts[to]
    account["created_at"] = min(account["created_at"], deal.created_at)


def _first(plan: Plan, contact: int) -> str:
    return str(plan.contacts[contact]["name"]).split()[0]


def _replace(text: str, names: dict[str, str]) -> str:
    # Longest first, so a full name is replaced before the first name inside it.
    for old in sorted(names, key=len, reverse=True):
        text = text.replace(old, names[old])
    return text
