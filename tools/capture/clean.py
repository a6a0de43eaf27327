"""Only what was said: quoted replies, signatures and disclaimers cut; HTML made text.

Each rule cuts from the first line it recognises to the end (a quote, a signature and a
disclaimer all come after what the person wrote), so nothing of the new text is lost to a
false positive further up.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import ClassVar

# "On Tue, 3 Dec 2026 at 10:00, Ana <ana@acme.com> wrote:" (Gmail, Apple Mail, Thunderbird).
_ON_WROTE = re.compile(
    r"^\s*(on\b.{0,200}\bwrote:|le\b.{0,200}\ba écrit\s*:|am\b.{0,200}schrieb.*:)",
    re.IGNORECASE,
)
_OUTLOOK = re.compile(
    r"^\s*(-{2,}\s*original message\s*-{2,}|-{2,}\s*forwarded message\s*-{2,}"
    r"|_{10,}|from:\s.+)$",
    re.IGNORECASE,
)
_SIGNATURE = re.compile(
    r"^\s*(--\s*|sent from my \w+.*|get outlook for \w+.*"
    r"|(best|kind|warm)?\s*regards,?|best,|thanks,|thank you,|cheers,|sincerely,)\s*$",
    re.IGNORECASE,
)
_DISCLAIMER = re.compile(
    r"(this (e-?mail|message|communication)\b.{0,80}\b(confidential|intended (solely )?for)"
    r"|\bconfidentiality notice\b|\bdisclaimer\b|if you (are not|have received this))",
    re.IGNORECASE,
)
_BLANKS = re.compile(r"\n{3,}")
SIGNATURE_MAX_LINES = 8  # a sign-off further than this from the end is part of the text


def clean_body(text: str) -> str:
    """The new text of a message: without quotes, signature or disclaimer; spaces tidied."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = _cut_quote(lines)
    lines = _cut_disclaimer(lines)
    lines = _cut_signature(lines)
    body = "\n".join(line.rstrip() for line in lines).strip()
    return _BLANKS.sub("\n\n", body)


def _cut_quote(lines: list[str]) -> list[str]:
    for i, line in enumerate(lines):
        # Mail clients wrap a long attribution line: "On ..., Ana <a@b.c>\nwrote:".
        joined = f"{line} {lines[i + 1]}" if i + 1 < len(lines) else line
        if line.lstrip().startswith(">") or _ON_WROTE.match(joined) or _OUTLOOK.match(line):
            # Outlook's "From:" header only counts when it opens a quoted header block.
            if line.strip().lower().startswith("from:") and not _header_block(lines, i):
                continue
            return lines[:i]
    return lines


def _header_block(lines: list[str], i: int) -> bool:
    after = " ".join(lines[i + 1 : i + 4]).lower()
    return "sent:" in after or "date:" in after or "to:" in after or "subject:" in after


def _cut_disclaimer(lines: list[str]) -> list[str]:
    for i, line in enumerate(lines):
        if i and _DISCLAIMER.search(line):
            return lines[:i]
    return lines


def _cut_signature(lines: list[str]) -> list[str]:
    last = max((i for i, line in enumerate(lines) if line.strip()), default=-1)
    for i, line in enumerate(lines):
        if i and _SIGNATURE.match(line) and last - i < SIGNATURE_MAX_LINES:
            return lines[:i]
    return lines


class _Text(HTMLParser):
    """Text of an HTML body: blocks become lines, scripts and styles vanish, quotes dropped."""

    BLOCKS: ClassVar[set[str]] = {
        "p",
        "div",
        "br",
        "li",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "table",
        "ul",
        "ol",
    }
    SKIP: ClassVar[set[str]] = {"script", "style", "head", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.quoted = False  # a reply's quote comes last: everything after it is left out

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = dict(attrs).get("class") or ""
        if tag in self.SKIP:
            self.skipping += 1
        elif tag == "blockquote" or (tag == "div" and "gmail_quote" in classes):
            self.quoted = True
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping and not self.quoted:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Readable text of an HTML body (quoted blocks left out)."""
    parser = _Text()
    parser.feed(markup)
    parser.close()
    text = html.unescape("".join(parser.parts)).replace("\xa0", " ")
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()
