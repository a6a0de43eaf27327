"""The one way an email address becomes an identity key: exact, ASCII-only, no wildcards.

Identity is compared with `==` on `normalize_email(...)`, never with LIKE/ILIKE (where `%` and
`_` are wildcards) and never with Unicode case folding (`str.lower()`, `casefold()`, SQL
`lower()`/`ILIKE` on PostgreSQL), which map look-alikes onto ASCII: the Kelvin sign "K" lowers to
"k" and the Turkish "İ" to "i̇", so "admİn@…" would become someone else's "admin@…".
"""

from __future__ import annotations

ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
# Only ASCII whitespace is trimmed: Unicode spaces are part of the address and keep it unmatched.
ASCII_SPACE = " \t\r\n\f\v"


def normalize_email(email: str) -> str:
    """The identity key of an email: trimmed of ASCII spaces, A-Z lowered, nothing else changed.

    Every other character (`%`, `_`, "İ", the Kelvin sign, full-width letters) is kept as it is,
    so two addresses share a key only when they differ in the case of ASCII letters alone.
    """
    return email.strip(ASCII_SPACE).translate(ASCII_LOWER)
