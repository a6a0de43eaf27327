"""Every example question of the planner issue, asked of the real runner on the fixture CRM.

Rob Rep (rob@x.test) owns Acme Corp and Umbrella Health; Mia Manager (mia@x.test) manages Rob
and Rita Rep (Globex). The clock is the fixture's NOW, 2026-11-26 (62% of Q4 2026 gone).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker
from support.crm_fixture import NOW

from bot.agent.answer import Answer
from bot.agent.runner import AgentRunner
from tools.principal import get_principal_by_email

ROB, MIA = "rob@x.test", "mia@x.test"


def ask(
    crm: sessionmaker[Session], question: str, email: str = ROB, history: Sequence[str] = ()
) -> Answer:
    """Ask as `email`; `history` holds earlier questions, each answered first as in `chat`."""
    with crm() as session:
        principal = get_principal_by_email(session, email)
    runner = AgentRunner(crm, clock=lambda: NOW)
    try:
        turns: list[tuple[str, str]] = []
        for earlier in history:
            reply = runner.ask(principal, earlier, turns)
            turns += [("user", earlier), ("assistant", reply.text)]
        return runner.ask(principal, question, turns)
    finally:
        runner.close()


def calls(answer: Answer) -> list[tuple[str, dict[str, Any]]]:
    return [(c.name, c.args) for c in answer.tool_calls]


def listed(answer: Answer) -> str:
    """What the answer shows: its words and every row its lists draw under them (the words
    give what a list adds up to; the rows are drawn by Slack and the terminal)."""
    rows = [r for a in answer.artifacts for r in a.get("rows", [])]
    return answer.text + "\n" + "\n".join(f"{r.get('name')} {r.get('amount')}" for r in rows)


def test_total_pipeline_with_typos_is_all_open_deals_then_this_quarter(crm: Any) -> None:
    for question in ("whats my total pipline", "how much is in my pipeline?"):
        answer = ask(crm, question)
        assert "*Total open pipeline* (yours): 3 deals, $180,000.50." in answer.text
        assert "Of it, closing this quarter:" in answer.text
        assert calls(answer)[1] == ("pipeline_summary", {"scope": "me", "period": "this quarter"})


def test_closing_this_month_with_a_typo(crm: Any) -> None:
    answer = ask(crm, "whats closng this month")
    assert calls(answer) == [("find_deals", {"period": "this month"})]
    assert "1 deal" in answer.text and "Umbrella Health – Pilot" in listed(answer)


@pytest.mark.parametrize("question", ["whats my bigest deal", "what's my biggest open deal?"])
def test_biggest_deal_is_one_deal_by_amount(crm: Any, question: str) -> None:
    answer = ask(crm, question)
    assert calls(answer) == [("rank_deals", {"order": "amount", "limit": 1, "owner": "me"})]
    assert "Acme Corp – Platform Expansion" in listed(answer) and "$120,000" in answer.text
    assert "Umbrella" not in listed(answer)


@pytest.mark.parametrize("question", ["top 3 deals by size", "my 5 biggest open deals"])
def test_top_deals_by_size_are_in_amount_order(crm: Any, question: str) -> None:
    text = ask(crm, question).text
    order = [text.index(n) for n in ("Platform Expansion", "Umbrella Health – Pilot", "Next Year")]
    assert order == sorted(order)


def test_which_rep_has_the_most_pipeline(crm: Any) -> None:
    text = ask(crm, "which rep has the most pipeline?", MIA).text
    assert "1. Rob Rep: $180,000.50 (3 deals)" in text
    assert "2. Rita Rep: $60,000 (1 deal)" in text


@pytest.mark.parametrize("question", ["who on my team is behind on quota?", "who is behind?"])
def test_who_is_behind_quota_comes_from_the_kpis(crm: Any, question: str) -> None:
    answer = ask(crm, question, MIA)
    assert calls(answer) == [("quota_standing", {"direction": "behind"})]
    assert "*Rob Rep*: 40.0% of $200,000" in answer.text
    assert "*Rita Rep*: 0.0% of $150,000" in answer.text
    assert "62% of Q4 2026 has passed" in answer.text


def test_how_is_a_rep_doing_gives_their_kpis_to_a_manager(crm: Any) -> None:
    answer = ask(crm, "how is Rob doing", MIA)
    assert calls(answer) == [("rep_kpis", {"scope": "Rob Rep"})]
    assert "*Rob Rep* at 40.0% of quota" in answer.text


def test_contacts_at_an_account_with_titles(crm: Any) -> None:
    answer = ask(crm, "who do I talk to over at Acme?")
    assert calls(answer) == [("account_contacts", {"account": "Acme Corp"})]
    assert "*Contacts at Acme Corp*:\n- Acme Corp Buyer, CFO" in answer.text


def test_closed_means_won_with_lost_named_separately(crm: Any) -> None:
    text = ask(crm, "what has Rob closed this quarter?", MIA).text
    assert "*Won* this quarter: 1 deal, $80,000 in total." in text
    assert "closed on 2026-10-20" in text
    assert "*Lost* this quarter: none." in text
    text = ask(crm, "what has Rita closed this quarter?", MIA).text
    assert "*Won* this quarter: none." in text and "*Lost* this quarter: 1 deal" in text


def test_lost_in_a_named_quarter_and_won_in_a_bare_year(crm: Any) -> None:
    lost = ask(crm, "what did we lose in Q2 2017?")
    assert calls(lost) == [("find_deals", {"period": "Q2 2017", "stage": "closed_lost"})]
    won = ask(crm, "what did we win in 2016?", MIA)
    assert calls(won) == [("find_deals", {"period": "2016", "stage": "closed_won"})]
    assert "none" in won.text


def test_whats_due_this_week(crm: Any) -> None:
    answer = ask(crm, "whats due this week")
    assert calls(answer) == [("due_tasks", {"period": "this week"})]
    assert "Call Umbrella about the pilot (due 2026-11-26)" in answer.text
    assert "MSA redlines" not in answer.text  # due next week


def test_recently_is_a_period_not_a_search_word(crm: Any) -> None:
    answer = ask(crm, "did any customer mention a competitor recently?")
    name, args = calls(answer)[0]
    # The search reads "recently" in the query as the last 30 days, newest first.
    assert name == "search_interactions" and args.get("since") in {None, "last 30 days"}
    assert "competitor" in args["query"]


def test_an_account_outside_the_askers_book_is_not_dropped(crm: Any) -> None:
    answer = ask(crm, "what did Globex say about pricing?")  # Rob has no Globex
    name, args = calls(answer)[0]
    # Read as the account or as a person there: either way the search is narrowed to the name,
    # and the tool says it is not found (out of scope looks exactly like unknown).
    assert name == "search_interactions"
    assert "globex" in {str(args.get("account", "")).lower(), str(args.get("contact", "")).lower()}


def test_team_pipeline_with_typos(crm: Any) -> None:
    answer = ask(crm, "pipleine for my team this quater", MIA)
    assert calls(answer) == [("pipeline_summary", {"scope": "team", "period": "this quarter"})]


def test_follow_ups_refine_the_deals_just_listed(crm: Any) -> None:
    first = "show my deals closing this quarter"
    over = ask(crm, "which of those are over 50k?", history=[first])
    assert calls(over) == [
        ("find_deals", {"period": "this quarter", "min_amount": 50000.0, "owner": "me"})
    ]
    assert "Platform Expansion" in listed(over) and "Umbrella" not in listed(over)
    biggest = ask(crm, "and the biggest one?", history=[first])
    assert calls(biggest)[0][0] == "rank_deals"
    assert calls(biggest)[0][1]["limit"] == 1
    more = ask(crm, "tell me more about it", history=[first, "and the biggest one?"])
    assert calls(more) == [("get_deal", {"deal": "Acme Corp – Platform Expansion"})]
    there = ask(crm, "who are the contacts there?", history=[first, "and the biggest one?"])
    assert calls(there) == [("account_contacts", {"account": "Acme Corp"})]


def test_follow_ups_move_the_period_and_the_rep(crm: Any) -> None:
    answer = ask(crm, "what about last quarter?", MIA, ["pipeline for my team this quarter"])
    assert calls(answer) == [("pipeline_summary", {"scope": "team", "period": "last quarter"})]
    answer = ask(crm, "same for Rita", MIA, ["how is Rob doing"])
    assert calls(answer) == [("rep_kpis", {"scope": "Rita Rep"})]


def test_new_question_starts_afresh(crm: Any) -> None:
    answer = ask(crm, "new question: tell me about umbrella", history=["deals closing next month"])
    assert calls(answer) == [("account_overview", {"account": "Umbrella Health"})]


def test_an_uncertain_question_offers_numbered_readings_and_a_number_picks_one(crm: Any) -> None:
    unsure = ask(crm, "I won't hit quota", MIA)
    assert calls(unsure) == []
    assert unsure.text.startswith("I'm not sure what you mean. Did you mean:\n1. ")
    assert "the pipeline and quota" in unsure.text
    number = unsure.text.splitlines().index(
        next(line for line in unsure.text.splitlines() if line.endswith("the pipeline and quota"))
    )
    picked = ask(crm, str(number), MIA, ["I won't hit quota"])
    assert [name for name, _ in calls(picked)] == ["find_deals", "pipeline_summary"]
    assert calls(picked)[1][1]["scope"] == "me"


def test_a_period_the_planner_cannot_read_is_said_not_dropped(crm: Any) -> None:
    answer = ask(crm, "what did we win in spring?")
    assert calls(answer) == [("find_deals", {"period": "spring", "stage": "closed_won"})]
    assert "I can't read 'spring' as a period" in answer.text


def test_a_rep_asking_to_rank_reps_gets_the_ranking_of_their_own_book(crm: Any) -> None:
    answer = ask(crm, "which of my reps closed the most")
    assert calls(answer)[0][0] == "rank_reps"
    assert "Rob Rep: $80,000 (1 deal)" in answer.text
    assert "You can only see your own book" in answer.text
    assert "Rita" not in answer.text


def test_a_rep_asking_for_the_team_pipeline_is_told_it_is_theirs(crm: Any) -> None:
    answer = ask(crm, "whats my team pipeline")
    assert "*Total open pipeline* (yours)" in answer.text


def test_a_name_outside_the_book_is_not_found_never_answered_for_the_book(crm: Any) -> None:
    hidden = ask(crm, "whats the biggest deal Globex has with us")  # Rita's account
    missing = ask(crm, "whats the biggest deal Zorblax has with us")
    assert "couldn't find an account matching 'Globex'" in hidden.text
    assert hidden.text.replace("Globex", "Zorblax") == missing.text
    assert hidden.artifacts[0]["type"] == "not_found" and not hidden.choices


def test_an_account_with_several_open_deals_asks_which(crm: Any) -> None:
    # Acme has two open deals and one won: the won one is no candidate for "how is it going".
    answer = ask(crm, "how is the Acme deal going?")
    assert [c.label for c in answer.choices] == [
        "Acme Corp – Platform Expansion",
        "Acme Corp – Next Year",
    ]
    assert answer.choices[0].reply == "how is the Acme Corp – Platform Expansion deal going?"
    chosen = ask(crm, "1", history=["how is the Acme deal going?"])
    assert calls(chosen) == [("get_deal", {"deal": "Acme Corp – Platform Expansion"})]
