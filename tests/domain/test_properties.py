"""Properties that must hold for every ballot, checked on generated ones (hypothesis)."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voting.domain.ballots import MOTION, SATISFACTION, SELECTION, Rules, choices_for, support_choice
from voting.domain.outcomes import decide
from voting.domain.tally import count

OUTCOME_ORDER = {"not_selected": 0, "tie": 1, "selected": 2, "failed": 0, "passed": 1}
GRADE_ORDER = {"dissatisfied": 0, "basically_satisfied": 1, "satisfied": 2}
# No per-example deadline: the suite runs beside others on a busy machine, and a slow
# example is not a wrong one.
PROPERTY = settings(deadline=None, max_examples=80)


# Every kind and form, so none of them can silently drop out of the generated cases.
VARIANTS = [
    (MOTION, {}),
    (SELECTION, {"form": "per_item"}),
    (SELECTION, {"form": "up_to_k"}),
    (SATISFACTION, {"grading": "tiered"}),
    (SATISFACTION, {"grading": "binary"}),
    (SATISFACTION, {"grading": "rates"}),
]
variants = pytest.mark.parametrize("kind, fixed", VARIANTS, ids=[f"{k}-{'-'.join(f.values()) or 'all'}" for k, f in VARIANTS])


@st.composite
def ballots_strategy(draw, kind, fixed):
    """Rules of `kind` (with the `fixed` ones), some valid cast ballots, and attendance."""
    settings_ = {
        "pass_base": draw(st.sampled_from(["roster", "present", "cast"])),
        "threshold": draw(st.sampled_from(["more_than_half", "two_thirds"])),
        **fixed,
    }
    item_count = draw(st.integers(min_value=2 if kind == SELECTION else 1, max_value=6))
    if kind == SELECTION:
        settings_["seats"] = draw(st.integers(min_value=1, max_value=item_count - 1))
    elif kind == SATISFACTION:
        settings_["abstain_option"] = draw(st.booleans())
    rules = Rules(**settings_)
    item_ids = list(range(1, item_count + 1))
    choices = choices_for(kind, rules)
    voters = draw(st.integers(min_value=0, max_value=15))
    ballots = []
    for _ in range(voters):
        if rules.form == "up_to_k" and kind == SELECTION:
            marked = draw(st.lists(st.sampled_from(item_ids), unique=True, max_size=rules.seats))
            ballots.append({item: "approve" for item in marked})
        else:
            marked = draw(st.lists(st.sampled_from(item_ids), unique=True, min_size=1))
            ballots.append({item: draw(st.sampled_from(choices)) for item in marked})
    present = voters + draw(st.integers(min_value=0, max_value=6))
    expected = draw(st.integers(min_value=0, max_value=present + 10))
    return kind, rules, item_ids, ballots, expected, present


def decided(kind, rules, item_ids, ballots, expected, present):
    """Count and decide in one go."""
    tally = count(kind, rules, item_ids, ballots)
    return decide(kind, rules, [(i, f"item {i}") for i in item_ids], tally, expected, present)


@variants
@given(data=st.data())
@PROPERTY
def test_counts_plus_not_voted_equal_present(kind, fixed, data):
    """For every item: the ballots that voted on it plus 未按 are 实到; per-item counts add up to those ballots."""
    case = data.draw(ballots_strategy(kind, fixed))
    kind, rules, item_ids, ballots, expected, present = case
    result = decided(*case)
    for item in result.items:
        assert item.voted + item.not_voted == present
        assert item.not_voted >= 0
        if not (kind == SELECTION and rules.form == "up_to_k"):
            assert sum(item.counts.values()) == item.voted


@variants
@given(data=st.data(), rng=st.randoms(use_true_random=False))
@PROPERTY
def test_result_is_independent_of_ballot_order(kind, fixed, data, rng):
    """Shuffling the ballot box changes nothing, digest included."""
    case = data.draw(ballots_strategy(kind, fixed))
    kind, rules, item_ids, ballots, expected, present = case
    shuffled = list(ballots)
    rng.shuffle(shuffled)
    assert decided(kind, rules, item_ids, shuffled, expected, present).to_dict() == decided(*case).to_dict()


@given(case=ballots_strategy(SATISFACTION, {}))
@PROPERTY
def test_satisfaction_rates_sum_to_one_when_there_are_valid_votes(case):
    """满意率 + 基本满意率 + 不满意率 = 1 exactly (弃权 is outside V); combined = S/V + B/V."""
    for item in decided(*case).items:
        rates = item.rates
        if rates["satisfied"] is None:
            assert item.counts["satisfied"] + item.counts["basically_satisfied"] + item.counts["dissatisfied"] == 0
            continue
        assert rates["satisfied"].value + rates["basically_satisfied"].value + rates["dissatisfied"].value == 1
        assert rates["combined"].value == rates["satisfied"].value + rates["basically_satisfied"].value


@pytest.mark.parametrize("form", ["per_item", "up_to_k"])
@given(data=st.data())
@PROPERTY
def test_selection_accounts_for_every_seat(form, data):
    """Seats = adopted + seats left to the run-off + shortfall; a run-off always has more candidates than seats."""
    case = data.draw(ballots_strategy(SELECTION, {"form": form}))
    kind, rules, item_ids, ballots, expected, present = case
    result = decided(*case)
    adopted = sum(1 for item in result.items if item.outcome == "selected")
    assert adopted <= rules.seats
    assert adopted + (result.runoff.seats if result.runoff else 0) + result.shortfall == rules.seats
    if result.runoff:
        assert len(result.runoff.item_ids) > result.runoff.seats >= 1


def _one_more_support(kind, rules, item_ids, ballots, present, target, index):
    """The same box with one more 赞成 (or approve, or 满意) on `target`.

    Either an existing voter switches to it (when allowed and not already there) or a
    new voter arrives and votes for it alone (实到 + 1).
    """
    support = support_choice(kind, rules) or "satisfied"
    ballots = [dict(b) for b in ballots]
    candidates = [
        i
        for i, b in enumerate(ballots)
        if b.get(target) != support and not (rules.form == "up_to_k" and len(b) >= rules.seats)
    ]
    if candidates and index is not None:
        ballots[candidates[index % len(candidates)]][target] = support
        return ballots, present
    return ballots + [{target: support}], present + 1


@variants
@given(data=st.data())
@PROPERTY
def test_one_more_yes_never_turns_a_pass_into_a_fail(kind, fixed, data):
    """Monotonicity: passed stays passed, eligible stays eligible, selected never drops, grades never fall."""
    case = data.draw(ballots_strategy(kind, fixed))
    kind, rules, item_ids, ballots, expected, present = case
    target = data.draw(st.sampled_from(item_ids))
    index = data.draw(st.none() | st.integers(min_value=0, max_value=100))
    before = decided(*case).item(target)
    more, more_present = _one_more_support(kind, rules, item_ids, ballots, present, target, index)
    after = decided(kind, rules, item_ids, more, expected, more_present).item(target)
    if kind == SATISFACTION:
        if before.grade is not None:
            assert GRADE_ORDER[after.grade] >= GRADE_ORDER[before.grade]
        return
    support = support_choice(kind, rules)
    assert after.counts[support] == before.counts[support] + 1
    assert OUTCOME_ORDER[after.outcome] >= OUTCOME_ORDER[before.outcome]
    if before.counts[support] >= before.needed:  # eligible (selection) / passed (motion)
        assert after.counts[support] >= after.needed
