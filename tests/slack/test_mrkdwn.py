"""Escaping and Markdown-to-mrkdwn: model and CRM text can never ping, link-spoof or hide a URL."""

from __future__ import annotations

import re

import pytest

from bot.slack.mrkdwn import escape, markdown_to_mrkdwn, markdown_to_plain

HOSTILE = "<!channel> <@U1> <#C1> <!subteam^S1> <https://evil.example|bank.com> Q&A"


def test_escape_turns_control_characters_into_entities() -> None:
    assert escape("<!channel>") == "&lt;!channel&gt;"
    assert escape("<@U1>") == "&lt;@U1&gt;"
    assert escape("<https://evil.example|bank.com>") == "&lt;https://evil.example|bank.com&gt;"
    assert escape("R&D") == "R&amp;D"
    assert escape("plain *text* _stays_") == "plain *text* _stays_"


@pytest.mark.parametrize("convert", [markdown_to_mrkdwn, markdown_to_plain])
def test_converted_text_never_contains_a_slack_control_sequence(convert: object) -> None:
    assert callable(convert)
    out = convert(HOSTILE + "\n" + f"```\n{HOSTILE}\n```\n`{HOSTILE}`\n# {HOSTILE}\n- {HOSTILE}")
    assert not re.search(r"<[!@#]", out)
    assert "|bank.com>" not in out
    assert "&amp;A" in out


@pytest.mark.parametrize(
    ("md", "expected"),
    [
        ("**bold** and __also__", "*bold* and *also*"),
        ("*italic* and _italic_", "_italic_ and _italic_"),
        ("~~gone~~", "~gone~"),
        ("# Pipeline **summary**", "*Pipeline summary*"),
        ("### Next steps", "*Next steps*"),
        ("- one\n* two\n  + three", "• one\n• two\n  • three"),
        ("1. first\n2. second", "1. first\n2. second"),
        ("> quoted <b>", "> quoted &lt;b&gt;"),
        ("2*3*4 and snake_case_name", "2*3*4 and snake_case_name"),
        ("a * b * c", "a * b * c"),
    ],
)
def test_markdown_becomes_mrkdwn(md: str, expected: str) -> None:
    assert markdown_to_mrkdwn(md) == expected


def test_inline_code_is_left_alone_but_escaped() -> None:
    assert markdown_to_mrkdwn("run `**not bold** <x>` then **bold**") == (
        "run `**not bold** &lt;x&gt;` then *bold*"
    )


def test_fenced_code_is_kept_verbatim_and_escaped() -> None:
    md = "Query:\n```sql\nSELECT * FROM deals WHERE a < 2 -- **x**\n```\nDone *now*"
    assert markdown_to_mrkdwn(md) == (
        "Query:\n```\nSELECT * FROM deals WHERE a &lt; 2 -- **x**\n```\nDone _now_"
    )


def test_a_link_always_shows_its_real_url() -> None:
    out = markdown_to_mrkdwn("See [bank.com](https://evil.example/login?a=1&b=2) now")
    assert out == "See bank.com (<https://evil.example/login?a=1&amp;b=2>) now"


def test_a_link_whose_text_is_its_url_is_shown_once() -> None:
    assert markdown_to_mrkdwn("[https://x.io](https://x.io)") == "<https://x.io>"


@pytest.mark.parametrize(
    "md",
    [
        "[click](javascript:alert(1))",
        "[bank.com](mailto:ceo@evil.example)",
        "[bank.com](https://evil.example|bank.com)",
        "[home](/relative/path)",
    ],
)
def test_non_http_or_disguised_links_stay_plain_text(md: str) -> None:
    out = markdown_to_mrkdwn(md)
    assert "<" not in out and out == escape(md)


def test_underscores_in_urls_are_not_read_as_italics() -> None:
    out = markdown_to_mrkdwn("see https://x.io/a_b_c. and [doc](https://x.io/d_e_)")
    assert out == "see <https://x.io/a_b_c>. and doc (<https://x.io/d_e_>)"


def test_markdown_autolink_becomes_a_visible_link() -> None:
    assert markdown_to_mrkdwn("<https://x.io/a>") == "<https://x.io/a>"


def test_plain_text_drops_the_markers() -> None:
    md = "# Title\n**Acme** is *close*: [docs](https://x.io)"
    assert markdown_to_plain(md) == "Title\nAcme is close: docs (https://x.io)"
