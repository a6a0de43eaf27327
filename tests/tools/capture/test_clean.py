"""What is kept of a message: the new text, without quotes, signatures or disclaimers."""

from __future__ import annotations

from support.capture_samples import message

from tools.capture.clean import clean_body, html_to_text
from tools.capture.mail import item_from_bytes


def test_quoted_reply_is_cut_at_the_attribution_line() -> None:
    text = "Sounds good, Thursday works.\n\nOn Tue, 3 Dec 2026 at 10:00, Ana <a@b.c> wrote:\n> x"
    assert clean_body(text) == "Sounds good, Thursday works."


def test_outlook_original_message_block_is_cut() -> None:
    text = "Approved.\n\nFrom: Ana\nSent: Monday\nTo: Rob\nSubject: quote\n\nold text"
    assert clean_body(text) == "Approved."
    assert clean_body("From: the CFO we heard no.") == "From: the CFO we heard no."


def test_signature_and_disclaimer_are_cut() -> None:
    text = (
        "Please send the MSA.\n\nBest regards,\nAna Acme\nVP Finance\n\n"
        "This email and any attachments are confidential and intended solely for the addressee."
    )
    assert clean_body(text) == "Please send the MSA."
    assert clean_body("Call me.\n-- \nAna\n+1 555") == "Call me."


def test_html_body_becomes_text_without_the_quote() -> None:
    markup = (
        "<html><style>p{}</style><body><p>Budget&nbsp;approved</p><div>Next: legal</div>"
        "<div class='gmail_quote'>On Mon Rob wrote: old</div></body></html>"
    )
    assert html_to_text(markup) == "Budget approved\n\nNext: legal"


def test_attachments_are_named_not_indexed_and_html_only_mail_is_read() -> None:
    msg = message("a@b", "ana@acme.example", "rob@x.test", "Deck", "see deck", attachment="q.pdf")
    item = item_from_bytes(msg.as_bytes(), source="eml t.eml")
    assert "q.pdf" in item.body and "secret bytes" not in item.body
    assert item.attachments == ("q.pdf",)
    html_only = message("h@b", "ana@acme.example", "rob@x.test", "H", "x")
    html_only.set_content("<p>Only <b>HTML</b></p>", subtype="html")
    assert "Only HTML" in item_from_bytes(html_only.as_bytes(), source="s").body
    assert item.key == "a@b" and item.addresses == ("ana@acme.example", "rob@x.test")
