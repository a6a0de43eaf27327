"""Rank fusion, the relevance cut-off and near-duplicate folding, without a database."""

from __future__ import annotations

from tools.search.fusion import Candidate, CutOff, cut, fold, fuse


def test_fusion_puts_what_both_halves_found_first() -> None:
    fused = fuse([(1, 9.0), (2, 5.0)], [(3, 0.2), (2, 0.3)])
    assert [c.activity_id for c in fused] == [2, 1, 3]
    both = fused[0]
    assert (both.lexical, both.distance) == (5.0, 0.3)
    assert both.score == 1 / 62 + 1 / 62


def test_equal_scores_keep_a_stable_order() -> None:
    assert [c.activity_id for c in fuse([(5, 1.0)], [(4, 0.1)])] == [4, 5]


def test_the_cut_off_drops_what_neither_half_vouches_for() -> None:
    rule = CutOff(lexical_ratio=0.5, max_distance=0.5, margin=0.1)
    candidates = [
        Candidate(1, 0.03, lexical=10.0),  # the best full-text match
        Candidate(2, 0.02, lexical=4.0),  # under half the best score: a stray word
        Candidate(3, 0.02, distance=0.30),  # the nearest vector
        Candidate(4, 0.01, distance=0.38),  # within the margin of the nearest
        Candidate(5, 0.01, distance=0.45),  # close enough in absolute terms, not relatively
    ]
    assert [c.activity_id for c in cut(candidates, rule)] == [1, 3, 4]


def test_no_candidate_near_enough_means_nothing_is_shown() -> None:
    far = [Candidate(1, 0.02, distance=0.8), Candidate(2, 0.01, distance=0.85)]
    assert cut(far, CutOff(max_distance=0.5)) == []


def test_near_duplicates_of_one_account_fold_into_the_first() -> None:
    text = "Security review kicked off. Sent the SOC 2 report; the DPA is pending."
    items = [
        (1, "Acme", text),
        (2, "Acme", "Re: " + text),
        (3, "Globex", text),  # another account: not the same conversation
        (4, "Acme", "Pricing: the per-seat price is 20% above budget."),
    ]
    assert fold(items) == [(1, [2]), (3, []), (4, [])]


def test_a_row_with_every_typed_word_is_kept_whatever_its_score() -> None:
    candidates = [Candidate(1, 0.03, lexical=10.0), Candidate(2, 0.02, lexical=4.0)]
    assert [c.activity_id for c in cut(candidates, CutOff(lexical_ratio=0.5))] == [1]
    assert [c.activity_id for c in cut(candidates, CutOff(lexical_ratio=0.5), {2})] == [1, 2]
