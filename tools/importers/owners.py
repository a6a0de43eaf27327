"""Record owners matched to salesbot users: by email, else by exact name."""

from __future__ import annotations

from tools.importers.values import email_in


class OwnerBook:
    """Finds the user an owner cell names.

    Cells hold an email ("dana@x.com"), a name with an email ("Dana Lee (dana@x.com)"), a bare
    name (HubSpot's default export), or a Salesforce user id resolved through a User export.
    """

    def __init__(
        self, users: list[tuple[int, str, str]], salesforce_users: dict[str, str] | None = None
    ) -> None:
        self._by_email = {email.lower(): uid for uid, email, _ in users}
        names: dict[str, list[int]] = {}
        for uid, _, name in users:
            names.setdefault(name.strip().lower(), []).append(uid)
        # A name shared by two users matches neither: a guess could hand deals to the wrong rep.
        self._by_name = {n: ids[0] for n, ids in names.items() if len(ids) == 1}
        self._salesforce = salesforce_users or {}

    def find(self, cell: str) -> int | None:
        email = email_in(cell) or self._salesforce.get(cell.strip())
        if email is not None:
            return self._by_email.get(email.lower())
        return self._by_name.get(cell.strip().lower())

    def describe(self, cell: str) -> str:
        """The owner as a person can act on it: a Salesforce user id shown with its email."""
        email = self._salesforce.get(cell.strip())
        return f"{email} (Salesforce user {cell.strip()})" if email else cell.strip()
