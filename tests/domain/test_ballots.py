"""Ballot definitions, their rules, and the checks on one cast vote (voting.domain.ballots)."""
from __future__ import annotations

import pytest

from voting.domain.ballots import (
    MOTION,
    SATISFACTION,
    SELECTION,
    RuleError,
    Rules,
    VoteError,
    choices_for,
    support_choice,
    validate_choices,
    validate_definition,
)

SELECT_10 = Rules(seats=10)
UP_TO_10 = Rules(seats=10, form="up_to_k")
PROJECTS = [f"P{i}" for i in range(1, 13)]  # 12 candidates for 10 seats (example 3-A)


def test_rules_defaults_are_those_of_issue_4():
    """An empty rules object means: roster base, 过半数, secret, changeable, no live results, check-in."""
    assert Rules.from_mapping({}) == Rules.from_mapping(None) == Rules()
    assert Rules().to_mapping() == {
        "pass_base": "roster",
        "threshold": "more_than_half",
        "secret": True,
        "allow_change": True,
        "live_results": False,
        "require_checkin": True,
        "duration_s": None,
        "seats": None,
        "form": "per_item",
        "grading": "tiered",
        "abstain_option": False,
    }


def test_rules_round_trip_through_their_json_form():
    """What storage keeps (to_mapping) reloads to the same rules."""
    rules = Rules.from_mapping({"threshold": "two_thirds", "seats": 3, "form": "up_to_k", "duration_s": 90})
    assert Rules.from_mapping(rules.to_mapping()) == rules
    assert rules.threshold == "two_thirds" and rules.seats == 3 and rules.duration_s == 90


@pytest.mark.parametrize(
    "data, code, params",
    [
        ([], "rules_not_object", {}),
        ({"treshold": "two_thirds"}, "unknown_rule", {"rule": "treshold"}),
        ({"threshold": "majority"}, "invalid_rule", {"rule": "threshold", "allowed": ["more_than_half", "two_thirds"]}),
        ({"pass_base": "valid"}, "invalid_rule", {"rule": "pass_base", "allowed": ["roster", "present", "cast"]}),
        ({"form": "ranked"}, "invalid_rule", {"rule": "form", "allowed": ["per_item", "up_to_k"]}),
        ({"grading": "score"}, "invalid_rule", {"rule": "grading", "allowed": ["tiered", "binary", "rates"]}),
        ({"secret": "yes"}, "invalid_rule", {"rule": "secret"}),
        ({"secret": 1}, "invalid_rule", {"rule": "secret"}),
        ({"seats": "10"}, "invalid_rule", {"rule": "seats"}),
        ({"seats": True}, "invalid_rule", {"rule": "seats"}),
        ({"seats": 0}, "rule_out_of_range", {"rule": "seats", "min": 1, "max": 199}),
        ({"duration_s": 0}, "rule_out_of_range", {"rule": "duration_s", "min": 1, "max": 86400}),
        ({"duration_s": 1.5}, "invalid_rule", {"rule": "duration_s"}),
    ],
)
def test_bad_rules_are_refused_with_a_code(data, code, params):
    """Every bad rule names itself, so the web layer can say which field is wrong."""
    with pytest.raises(RuleError) as refused:
        Rules.from_mapping(data)
    assert (refused.value.code, refused.value.params) == (code, params)


def test_a_valid_definition_returns_its_titles_stripped():
    """Pasted titles lose their surrounding blanks."""
    assert validate_definition(MOTION, Rules(), ["  关于……的决定(草案) ", "任命张三"]) == ("关于……的决定(草案)", "任命张三")
    assert validate_definition(SELECTION, SELECT_10, PROJECTS) == tuple(PROJECTS)


@pytest.mark.parametrize(
    "kind, rules, titles, code, params",
    [
        ("election", Rules(), ["x"], "unknown_kind", {"kind": "election"}),
        (MOTION, Rules(), [], "no_items", {}),
        (MOTION, Rules(), ["ok", "   "], "blank_item_title", {"index": 1}),
        (MOTION, Rules(), ["x" * 501], "item_title_too_long", {"index": 0, "max": 500}),
        (MOTION, Rules(), ["x"] * 201, "too_many_items", {"max": 200}),
        (SELECTION, Rules(), PROJECTS, "seats_required", {}),
        # 差额: 10 seats need at least 11 candidates (domain-rules §3.3).
        (SELECTION, SELECT_10, PROJECTS[:10], "not_enough_candidates", {"seats": 10, "candidates": 10}),
        (SELECTION, Rules(seats=1), ["only one"], "not_enough_candidates", {"seats": 1, "candidates": 1}),
        (MOTION, Rules(seats=3), ["x"], "rule_not_applicable", {"rule": "seats", "kind": MOTION}),
        (SATISFACTION, Rules(form="up_to_k"), ["x"], "rule_not_applicable", {"rule": "form", "kind": SATISFACTION}),
        (MOTION, Rules(grading="binary"), ["x"], "rule_not_applicable", {"rule": "grading", "kind": MOTION}),
        (SELECTION, Rules(seats=1, abstain_option=True), ["a", "b"], "rule_not_applicable", {"rule": "abstain_option", "kind": SELECTION}),
    ],
)
def test_bad_definitions_are_refused(kind, rules, titles, code, params):
    """A ballot that could not be counted by its rules is never created."""
    with pytest.raises(RuleError) as refused:
        validate_definition(kind, rules, titles)
    assert (refused.value.code, refused.value.params) == (code, params)


@pytest.mark.parametrize(
    "kind, rules, choices, support",
    [
        (MOTION, Rules(), ("yes", "no", "abstain"), "yes"),
        (SELECTION, SELECT_10, ("yes", "no", "abstain"), "yes"),
        (SELECTION, UP_TO_10, ("approve",), "approve"),
        (SATISFACTION, Rules(), ("satisfied", "basically_satisfied", "dissatisfied"), None),
        (SATISFACTION, Rules(abstain_option=True), ("satisfied", "basically_satisfied", "dissatisfied", "abstain"), None),
    ],
)
def test_choices_per_kind(kind, rules, choices, support):
    """The keys a phone shows, and the one that counts towards passing."""
    assert choices_for(kind, rules) == choices
    assert support_choice(kind, rules) == support


def test_a_vote_is_normalised_to_the_ballots_item_ids_in_item_order():
    """JSON keys are strings; the ballot's ids are integers: "12" finds item 12."""
    assert validate_choices(MOTION, Rules(), [11, 12, 13], {"13": "no", "11": "yes"}) == {11: "yes", 13: "no"}


def test_a_partial_vote_leaves_the_other_items_not_voted():
    """Items left out are 未按 for that voter, not 弃权."""
    assert validate_choices(SATISFACTION, Rules(), ["a", "b"], {"b": "satisfied"}) == {"b": "satisfied"}


@pytest.mark.parametrize(
    "kind, rules, choices, code, params",
    [
        (MOTION, Rules(), ["yes"], "choices_not_object", {}),
        (MOTION, Rules(), {}, "empty_vote", {}),
        (MOTION, Rules(), {"99": "yes"}, "unknown_item", {"item": "99"}),
        (MOTION, Rules(), {1: "yes", "1": "no"}, "duplicate_item", {"item": "1"}),
        (MOTION, Rules(), {1: "approve"}, "unknown_choice", {"item": "1", "choice": "approve"}),
        (MOTION, Rules(), {1: "YES"}, "unknown_choice", {"item": "1", "choice": "YES"}),
        (MOTION, Rules(), {1: None}, "unknown_choice", {"item": "1", "choice": "None"}),
        (MOTION, Rules(), {1: "not_voted"}, "unknown_choice", {"item": "1", "choice": "not_voted"}),
        (SATISFACTION, Rules(), {1: "abstain"}, "unknown_choice", {"item": "1", "choice": "abstain"}),
        (SELECTION, UP_TO_10, {1: "yes"}, "unknown_choice", {"item": "1", "choice": "yes"}),
        ("election", Rules(), {1: "yes"}, "unknown_kind", {"kind": "election"}),
    ],
)
def test_bad_votes_are_refused_with_a_code(kind, rules, choices, code, params):
    """Unknown item, unknown choice, nothing chosen: refused before anything is stored."""
    with pytest.raises(VoteError) as refused:
        validate_choices(kind, rules, [1, 2, 3], choices)
    assert (refused.value.code, refused.value.params) == (code, params)


def test_example_3b_eleven_marks_for_ten_seats_are_refused_at_cast_time():
    """On paper 11 ○ for K = 10 voids the ballot (§3.4 example 3-B); a phone cannot submit it at all."""
    projects = list(range(1, 13))
    with pytest.raises(VoteError) as refused:
        validate_choices(SELECTION, UP_TO_10, projects, {p: "approve" for p in projects[:11]})
    assert (refused.value.code, refused.value.params) == ("too_many_approvals", {"seats": 10, "chosen": 11})
    eight = {p: "approve" for p in projects[:8]}
    assert validate_choices(SELECTION, UP_TO_10, projects, eight) == eight
    ten = {p: "approve" for p in projects[:10]}
    assert validate_choices(SELECTION, UP_TO_10, projects, ten) == ten


def test_an_up_to_k_ballot_approving_nothing_is_a_valid_blank_ballot():
    """Fewer than K marks is valid, down to none (选举法 第44条 analogy)."""
    assert validate_choices(SELECTION, UP_TO_10, list(range(12)), {}) == {}
