"""Slack escaping, and the model's Markdown turned into Slack mrkdwn that cannot ping or disguise.

Everything is escaped first, so the only `<` left in the output are the `<https://...>` links
written here: no input can produce `<!channel>`, `<@U123>`, `<#C123>` or `<url|fake text>`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_TOKEN = "\ue000"  # private-use characters: placeholders that input text can never contain
_BOLD = "\ue001"
_MAX_LINK = 2000
_TOKEN_RE = re.compile(f"{_TOKEN}(\\d+){_TOKEN}")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ue000\ue001]")

_FENCE = re.compile(r"^[ \t]*```[^\n]*\n(.*?)(?:^[ \t]*```[ \t]*$|\Z)", re.M | re.S)
_CODE_SPAN = re.compile(r"``(.+?)``|`[^`\n]+`")
_LINK = re.compile(r"!?\[([^\]\n]+)\]\(([^()\s]+)\)")
_AUTOLINK = re.compile(r"&lt;(https?://[^\s|]+?)&gt;")
_BARE_URL = re.compile(r"(?<![\w/])https?://[^\s|]+")
_HTTP_URL = re.compile(r"https?://[^\s|]+\Z")
_URL_TRAILER = re.compile(r"(?:[.,;:!?'\"]|&gt;|&lt;|\))+\Z")

_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_BULLET = re.compile(r"^([ \t]*)[-*+][ \t]+")
_QUOTE = re.compile(r"^[ \t]*&gt;[ \t]?")

_BOLD_STARS = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_BOLD_UNDERS = re.compile(r"(?<!\w)__(?=\S)(.+?)(?<=\S)__(?!\w)")
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_ITALIC_STAR = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=\S)\*(?![\w*])")
_ITALIC_UNDER = re.compile(r"(?<!\w)_(?=\S)([^_\n]+?)(?<=\S)_(?!\w)")


def escape(text: str) -> str:
    """Escape Slack's three control characters so the text shows exactly as written."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def markdown_to_mrkdwn(md: str) -> str:
    """Convert Markdown from the model to escaped Slack mrkdwn; links always show their URL."""
    return _convert(md, plain=False)


def markdown_to_plain(md: str) -> str:
    """Escaped plain text with the Markdown markers removed: for notifications and previews."""
    return _convert(md, plain=True)


def _convert(md: str, *, plain: bool) -> str:
    text = _CONTROL.sub("", md.replace("\r\n", "\n"))
    out: list[str] = []
    pos = 0
    for fence in _FENCE.finditer(text):
        out.append(_prose(text[pos : fence.start()], plain))
        body = fence.group(1).rstrip("\n")
        if body.strip():
            out.append(escape(body) if plain else f"```\n{escape(body)}\n```")
        pos = fence.end()
    out.append(_prose(text[pos:], plain))
    return "\n".join(part.strip("\n") for part in out if part.strip())


def _prose(text: str, plain: bool) -> str:
    return "\n".join(_line(line, plain) for line in escape(text).split("\n"))


def _line(line: str, plain: bool) -> str:
    kept: list[str] = []
    line = _protect(line, _CODE_SPAN, kept, _code_span)
    line = _protect(line, _LINK, kept, lambda m: _link(m, plain))
    line = _protect(line, _AUTOLINK, kept, lambda m: _url(m.group(1), plain))
    line = _protect(line, _BARE_URL, kept, lambda m: _bare_url(m.group(0), plain))
    line = _block_markup(line, plain)
    line = _emphasis(line, plain)
    line = line.replace(_BOLD, "" if plain else "*")
    return _TOKEN_RE.sub(lambda m: kept[int(m.group(1))], line)


def _protect(
    line: str, pattern: re.Pattern[str], kept: list[str], render: Callable[[re.Match[str]], str]
) -> str:
    """Swap each match for a placeholder so later rules cannot reformat what it renders."""

    def swap(match: re.Match[str]) -> str:
        kept.append(render(match))
        return f"{_TOKEN}{len(kept) - 1}{_TOKEN}"

    return pattern.sub(swap, line)


def _code_span(match: re.Match[str]) -> str:
    inner = match.group(1)
    if inner is not None and "`" not in inner:
        return f"`{inner.strip()}`"
    return match.group(0)


def _link(match: re.Match[str], plain: bool) -> str:
    label, url = match.group(1), match.group(2)
    if not _HTTP_URL.match(url):
        return match.group(0)
    shown = _url(url, plain)
    return shown if label.strip() == url else f"{label} ({shown})"


def _bare_url(found: str, plain: bool) -> str:
    """A URL found in prose, without the punctuation that ends the sentence around it."""
    trailer = _URL_TRAILER.search(found)
    end = trailer.start() if trailer else len(found)
    if trailer and "(" in found[:end] and found[end] == ")":
        end += 1  # keeps a Wikipedia-style "(...)" whole
    return _url(found[:end], plain) + found[end:]


def _url(url: str, plain: bool) -> str:
    # A `|` would let the rest pose as the link's label; it is never a safe character here.
    url = url.replace("|", "%7C")
    # A link longer than a section would be cut in half; shown as text it still reads whole.
    return url if plain or len(url) > _MAX_LINK else f"<{url}>"


def _block_markup(line: str, plain: bool) -> str:
    heading = _HEADING.match(line)
    if heading:
        inner = heading.group(1).replace("**", "").replace("__", "")
        return inner if plain else f"{_BOLD}{inner}{_BOLD}"
    if _RULE.match(line):
        return "──────────"
    line = _BULLET.sub(lambda m: f"{m.group(1)}• ", line)
    return _QUOTE.sub("" if plain else "> ", line)


def _emphasis(line: str, plain: bool) -> str:
    bold = r"\1" if plain else f"{_BOLD}\\1{_BOLD}"
    line = _BOLD_STARS.sub(bold, line)
    line = _BOLD_UNDERS.sub(bold, line)
    line = _STRIKE.sub(r"\1" if plain else r"~\1~", line)
    line = _ITALIC_STAR.sub(r"\1" if plain else r"_\1_", line)
    return _ITALIC_UNDER.sub(r"\1", line) if plain else line
