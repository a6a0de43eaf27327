"""Time, order and kind words are read from the question, never searched for."""

from __future__ import annotations

from datetime import date

from tools.search.query import kind_value, read_query

TODAY = date(2026, 11, 27)


def test_recently_is_a_date_filter_and_newest_first() -> None:
    r = read_query("Did any customer mention a competitor recently?", TODAY)
    assert r.terms == ["competitor"]
    assert (r.since, r.newest_first, r.words_used) == (date(2026, 10, 28), True, ["recently"])


def test_last_month_is_the_calendar_month() -> None:
    r = read_query("what did customers say about the MSA last month", TODAY)
    assert r.terms == ["msa"]
    assert (r.since, r.until) == (date(2026, 10, 1), date(2026, 10, 31))


def test_since_the_demo_waits_for_the_demo_date() -> None:
    r = read_query("latest on security since the demo", TODAY)
    assert (r.terms, r.since_event, r.newest_first) == (["security"], "demo", True)


def test_kind_words_filter_and_leave_the_topic() -> None:
    r = read_query("pricing in calls", TODAY)
    assert (r.terms, r.kind) == (["pricing"], "call")
    assert read_query("emails about security", TODAY).kind == "email"
    assert (kind_value("Emails"), kind_value("fax")) == ("email", None)
