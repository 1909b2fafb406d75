"""Counting ballots item by item, and the canonical digest (voting.domain.tally)."""
from __future__ import annotations

import hashlib

import pytest

from voting.domain.ballots import MOTION, SATISFACTION, SELECTION, Rules, VoteError
from voting.domain.tally import ItemCount, Tally, ballots_digest, canonical_ballots, count

from .builders import approval_ballots, per_item_ballots


def test_counts_per_choice_and_ballots_that_voted_on_each_item():
    """Three voters; the third skips item 2 (未按 there, not 弃权)."""
    ballots = [{1: "yes", 2: "no"}, {"1": "abstain", "2": "no"}, {1: "yes"}]
    tally = count(MOTION, Rules(), [1, 2], ballots)
    assert tally.cast == 3
    assert dict(tally.items[1].counts) == {"yes": 2, "no": 0, "abstain": 1}
    assert tally.items[1].voted == 3
    assert dict(tally.items[2].counts) == {"yes": 0, "no": 2, "abstain": 0}
    assert tally.items[2].voted == 2


def test_every_choice_of_the_kind_is_present_even_at_zero():
    """A 4-option 测评 shows 弃权 0 (龙游 style), a 3-option one has no 弃权 key."""
    with_abstain = count(SATISFACTION, Rules(abstain_option=True), ["x"], [{"x": "satisfied"}])
    assert dict(with_abstain.items["x"].counts) == {"satisfied": 1, "basically_satisfied": 0, "dissatisfied": 0, "abstain": 0}
    without = count(SATISFACTION, Rules(), ["x"], [{"x": "satisfied"}])
    assert "abstain" not in without.items["x"].counts


def test_an_up_to_k_ballot_votes_on_every_project():
    """Not marking a project on a cast 限选 ballot is "not approved", not 未按."""
    rules = Rules(seats=2, form="up_to_k")
    tally = count(SELECTION, rules, ["a", "b", "c"], [{"a": "approve", "b": "approve"}, {"a": "approve"}, {}])
    assert tally.cast == 3
    assert [(dict(i.counts), i.voted) for i in tally.items.values()] == [
        ({"approve": 2}, 3),
        ({"approve": 1}, 3),
        ({"approve": 0}, 3),
    ]


def test_a_corrupt_stored_ballot_stops_the_count():
    """A recount never skips or guesses: a ballot with an unknown choice raises."""
    with pytest.raises(VoteError) as refused:
        count(MOTION, Rules(), [1], [{1: "yes"}, {1: "maybe"}])
    assert refused.value.code == "unknown_choice"


def test_no_ballots_counts_zero_everywhere():
    """A ballot closed before anyone voted."""
    tally = count(MOTION, Rules(), [1, 2], [])
    assert tally.cast == 0
    assert all(i.voted == 0 and sum(i.counts.values()) == 0 for i in tally.items.values())
    assert tally.digest == "sha256:" + hashlib.sha256(b"[]").hexdigest()


def test_canonical_input_is_documented_bytes():
    """Keys as strings, sorted, no spaces, ASCII; ballots sorted: a verifier can rebuild it."""
    ballots = [{2: "no", 10: "yes"}, {1: "yes"}]
    assert canonical_ballots(ballots) == b'[{"1":"yes"},{"10":"yes","2":"no"}]'
    assert ballots_digest(ballots) == "sha256:" + hashlib.sha256(b'[{"1":"yes"},{"10":"yes","2":"no"}]').hexdigest()


def test_digest_ignores_order_but_not_content():
    """The same ballots in another order (or with string keys) hash the same; one changed choice does not."""
    ballots = per_item_ballots({1: {"yes": 5, "no": 2}, 2: {"abstain": 3, "yes": 4}})
    forward = count(MOTION, Rules(), [1, 2], ballots)
    backward = count(MOTION, Rules(), [1, 2], [{str(k): v for k, v in b.items()} for b in reversed(ballots)])
    assert forward == backward
    changed = [dict(b) for b in ballots]
    changed[0][1] = "no"
    assert count(MOTION, Rules(), [1, 2], changed).digest != forward.digest


def test_approval_builder_respects_k():
    """The test helper itself: exact supports, never more than ceil(total / voters) marks per ballot."""
    support = {i: n for i, n in enumerate([172, 165, 160, 150, 145, 140, 135, 131, 126, 118, 118, 95])}
    ballots = approval_ballots(support, 180)
    assert max(len(b) for b in ballots) == 10
    tally = count(SELECTION, Rules(seats=10, form="up_to_k"), list(support), ballots)
    assert {i: c.counts["approve"] for i, c in tally.items.items()} == support


@pytest.mark.parametrize(
    "build",
    [
        lambda: ItemCount({"yes": -1}, 0),
        lambda: ItemCount({"yes": 3, "no": 1}, 3),
        lambda: Tally(MOTION, {1: ItemCount({"yes": 3}, 3)}, cast=2),
        lambda: Tally(MOTION, {}, cast=-1),
    ],
)
def test_hand_built_counts_refuse_impossible_numbers(build):
    """Counters from elsewhere (a live count) cannot claim more votes than ballots."""
    with pytest.raises(ValueError):
        build()
