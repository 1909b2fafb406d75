"""Every worked example of domain-rules.md, decided by voting.domain.outcomes."""
from __future__ import annotations

from fractions import Fraction

import pytest

from voting.domain.ballots import MOTION, SATISFACTION, SELECTION, Rules
from voting.domain.bodies import PEOPLE_CONGRESS, STANDING_COMMITTEE
from voting.domain.outcomes import competition_ranks, decide, needed
from voting.domain.rates import Rate, format_percent
from voting.domain.tally import count

from .builders import approval_ballots, per_item_ballots


def run(kind, rules, rows, expected, present, body_kind=None, ballots=None):
    """Count ballots adding up to `rows` ({item: {choice: n}}) and decide; items titled by their ids."""
    item_ids = list(rows)
    ballots = per_item_ballots(rows) if ballots is None else ballots
    tally = count(kind, rules, item_ids, ballots)
    return decide(kind, rules, [(i, str(i)) for i in item_ids], tally, expected, present, body_kind)


@pytest.mark.parametrize(
    "pass_base, threshold, expected, present, cast, result",
    [
        ("roster", "more_than_half", 35, 28, 26, 18),  # §5.4 example 5-A
        ("roster", "more_than_half", 34, 28, 26, 18),  # exactly half (17) is not enough
        ("roster", "more_than_half", 200, 180, 180, 101),  # §3.4 example 3-A
        ("roster", "more_than_half", 327, 314, 314, 164),  # §5.4 example 5-C
        ("roster", "more_than_half", 45, 45, 45, 23),  # §3.4 example 3-C
        ("roster", "more_than_half", 2, 2, 2, 2),
        ("roster", "more_than_half", 1, 1, 1, 1),
        ("roster", "more_than_half", 0, 0, 0, 1),  # nothing passes on zero votes
        ("roster", "two_thirds", 327, 314, 314, 218),  # §2.3
        ("roster", "two_thirds", 300, 290, 290, 200),  # exactly two-thirds counts (以上 includes)
        ("roster", "two_thirds", 35, 30, 30, 24),
        ("roster", "two_thirds", 3, 3, 3, 2),
        ("roster", "two_thirds", 0, 0, 0, 1),
        ("present", "more_than_half", 35, 28, 26, 15),  # 出席会议的组成人员过半数 (上海 第19条)
        ("present", "two_thirds", 35, 28, 26, 19),
        ("cast", "more_than_half", 35, 28, 26, 14),
        ("cast", "two_thirds", 35, 28, 26, 18),
    ],
)
def test_needed_count(pass_base, threshold, expected, present, cast, result):
    """The needed count from its base and threshold, as an integer (domain-rules §2.3)."""
    assert needed(Rules(pass_base=pass_base, threshold=threshold), expected, present, cast) == result


# --- §3.4 民生实事票决 -----------------------------------------------------------------

# Example 3-A, N = 200, 实到 180, 12 candidates for K = 10. The rows marked … in the
# brief are filled in consistently with their stated 赞成 and rank. P3's "invalid
# line" cannot happen on a phone; that voter simply did not vote on P3 (未按).
EXAMPLE_3A = {
    "P1": {"yes": 172, "no": 3, "abstain": 5},
    "P2": {"yes": 165, "no": 8, "abstain": 7},
    "P3": {"yes": 160, "no": 10, "abstain": 9},
    "P4": {"yes": 150, "no": 20, "abstain": 10},
    "P5": {"yes": 145, "no": 20, "abstain": 15},
    "P6": {"yes": 140, "no": 25, "abstain": 15},
    "P7": {"yes": 135, "no": 25, "abstain": 20},
    "P8": {"yes": 131, "no": 30, "abstain": 19},
    "P9": {"yes": 126, "no": 30, "abstain": 24},
    "P10": {"yes": 118, "no": 30, "abstain": 32},
    "P11": {"yes": 118, "no": 35, "abstain": 27},
    "P12": {"yes": 95, "no": 50, "abstain": 35},
}
EXPECTED_3A = [("P%d" % i, "selected", i) for i in range(1, 10)] + [
    ("P10", "tie", 10),
    ("P11", "tie", 10),
    ("P12", "not_selected", None),
]


def test_example_3a_per_item_selection_with_a_tie_at_tenth_place():
    """P1–P9 adopted; P10 and P11 tied for the 10th seat go to a run-off; P12 (95 < 101) fails."""
    result = run(SELECTION, Rules(seats=10), EXAMPLE_3A, expected=200, present=180, body_kind=PEOPLE_CONGRESS)
    assert (result.quorum.required, result.quorum.met) == (134, True)
    assert result.needed == 101
    assert [(i.id, i.outcome, i.rank) for i in result.items] == EXPECTED_3A
    assert (result.runoff.seats, result.runoff.item_ids) == (1, ("P10", "P11"))
    assert result.shortfall == 0
    assert (result.item("P3").voted, result.item("P3").not_voted) == (179, 1)
    assert result.item("P12").counts["yes"] == 95


def test_example_3b_up_to_k_selection_counts_approvals_then_applies_the_same_rules():
    """Each project's count is the number of ballots marking it; threshold 101 and top 10 as in 3-A."""
    support = {item: row["yes"] for item, row in EXAMPLE_3A.items()}
    ballots = approval_ballots(support, 180)
    assert max(len(b) for b in ballots) <= 10  # no phone sent more than K (refused at cast time)
    rules = Rules(seats=10, form="up_to_k")
    result = run(SELECTION, rules, EXAMPLE_3A, expected=200, present=180, ballots=ballots)
    assert [(i.id, i.outcome, i.rank) for i in result.items] == EXPECTED_3A
    assert (result.runoff.seats, result.runoff.item_ids) == (1, ("P10", "P11"))
    assert all(i.voted == 180 and i.not_voted == 0 for i in result.items)
    assert dict(result.item("P1").counts) == {"approve": 172}


def test_example_3c_small_town_two_candidates_one_project():
    """四屏镇: 45 of 45 voted, the winner 42 → selected; show both 42/45 = 93.3% and 42 vs 23 needed."""
    rows = {"A": {"yes": 42, "no": 2, "abstain": 1}, "B": {"yes": 3, "no": 40, "abstain": 2}}
    result = run(SELECTION, Rules(seats=1), rows, expected=45, present=45)
    winner = result.item("A")
    assert (winner.outcome, winner.rank, winner.needed) == ("selected", 1, 23)
    assert winner.rates["yes"] == Rate(42, 45) and winner.rates["yes"].percent() == "93.3"
    assert (result.item("B").outcome, result.item("B").rank) == ("not_selected", None)
    assert result.runoff is None and result.shortfall == 0


def test_fewer_eligible_than_seats_is_a_shortfall():
    """Two of five projects reach 101 for three seats: both adopted, one seat left (另行票决 is the 主席团's call)."""
    rows = {
        "a": {"yes": 150},
        "b": {"yes": 101},
        "c": {"yes": 100},
        "d": {"yes": 20},
        "e": {"yes": 0, "no": 150},
    }
    result = run(SELECTION, Rules(seats=3), rows, expected=200, present=150)
    assert [(i.id, i.outcome, i.rank) for i in result.items] == [
        ("a", "selected", 1),
        ("b", "selected", 2),
        ("c", "not_selected", None),
        ("d", "not_selected", None),
        ("e", "not_selected", None),
    ]
    assert result.shortfall == 1 and result.runoff is None


def test_three_tied_across_the_cut_share_the_seats_left():
    """K = 3: one clear winner, three tied at rank 2 → run-off for 2 seats among the three."""
    rows = {"a": {"yes": 50}, "b": {"yes": 40}, "c": {"yes": 40}, "d": {"yes": 40}, "e": {"yes": 30}}
    result = run(SELECTION, Rules(seats=3), rows, expected=60, present=50)
    assert [(i.outcome, i.rank) for i in result.items] == [
        ("selected", 1),
        ("tie", 2),
        ("tie", 2),
        ("tie", 2),
        ("not_selected", None),  # 30 < 31 needed: ineligible, unranked
    ]
    assert (result.runoff.seats, result.runoff.item_ids) == (2, ("b", "c", "d"))


def test_a_tie_inside_the_seats_is_no_tie():
    """Two projects tied at rank 2 with three seats are both adopted."""
    rows = {"a": {"yes": 50}, "b": {"yes": 40}, "c": {"yes": 40}, "d": {"yes": 35}}
    result = run(SELECTION, Rules(seats=3), rows, expected=60, present=50)
    assert [(i.outcome, i.rank) for i in result.items] == [
        ("selected", 1),
        ("selected", 2),
        ("selected", 2),
        ("not_selected", 4),
    ]
    assert result.runoff is None


def test_competition_ranking():
    """Ties share the best rank and the next rank skips: 1, 2, 2, 4."""
    assert competition_ranks({"a": 9, "b": 7, "c": 7, "d": 5}) == {"a": 1, "b": 2, "c": 2, "d": 4}


# --- §3.5 and §4.9 满意度测评 -------------------------------------------------------------

ZHENHAI = {
    "公共卫生服务能力提升": {"satisfied": 20, "basically_satisfied": 8, "dissatisfied": 1},
    "老年护理照料中心建设": {"satisfied": 17, "basically_satisfied": 11, "dissatisfied": 1},
    "食品安全供应保障": {"satisfied": 29},
}


@pytest.mark.parametrize(
    "roster, pass_base, grades",
    [
        # As reported: all rated 满意 with 29 present; true only for a roster of at most 33.
        (33, "roster", ["satisfied", "satisfied", "satisfied"]),
        # Example 4-B: with N = 35, 17 ≤ 17.5 → the middle row is only 基本满意.
        (35, "roster", ["satisfied", "basically_satisfied", "satisfied"]),
        # The "present" base would have hidden that: 17 ≥ 29 // 2 + 1 = 15.
        (35, "present", ["satisfied", "satisfied", "satisfied"]),
    ],
)
def test_zhenhai_roster_not_present(roster, pass_base, grades):
    """镇海 2022 data (§3.5, §4.9 example 4-B): the needed count comes from the roster N, not from 实到 29."""
    rules = Rules(pass_base=pass_base)
    result = run(SATISFACTION, rules, ZHENHAI, expected=roster, present=29, body_kind=STANDING_COMMITTEE)
    assert [i.grade for i in result.items] == grades
    assert result.quorum.met
    assert all(i.not_voted == 0 for i in result.items)


def test_example_4a_special_report_at_a_county_standing_committee():
    """N = 35, 实到 29, S 14 / B 11 / U 3 and one voter who did not vote on it (the paper 'invalid' one)."""
    rows = {"report": {"satisfied": 14, "basically_satisfied": 11, "dissatisfied": 3}}
    tiered = run(SATISFACTION, Rules(), rows, expected=35, present=29, body_kind=STANDING_COMMITTEE).item("report")
    assert (tiered.needed, tiered.grade, tiered.not_voted) == (18, "basically_satisfied", 1)
    assert {name: rate.percent() for name, rate in tiered.rates.items()} == {
        "satisfied": "50.0",
        "basically_satisfied": "39.3",
        "combined": "89.3",
        "dissatisfied": "10.7",
    }
    binary = run(SATISFACTION, Rules(grading="binary"), rows, expected=35, present=29).item("report")
    assert binary.grade == "dissatisfied"  # 石泉: 14 ≤ 17.5 → report rejected
    rates_only = run(SATISFACTION, Rules(grading="rates"), rows, expected=35, present=29).item("report")
    assert rates_only.grade is None and rates_only.rates["combined"] == Rate(25, 28)


def test_example_4c_longyou_abstain_is_shown_apart_and_left_out_of_v():
    """龙游: 满意 152, 基本满意 30, 不满意 0 (弃权 offered) → 综合满意率 100%, 满意率 83.5%."""
    rules = Rules(grading="rates", abstain_option=True)
    for abstain in (0, 5):
        rows = {"治水治污工程": {"satisfied": 152, "basically_satisfied": 30, "dissatisfied": 0, "abstain": abstain}}
        item = run(SATISFACTION, rules, rows, expected=200, present=190).item("治水治污工程")
        assert item.counts["abstain"] == abstain
        assert item.rates["combined"] == Rate(182, 182) and item.rates["combined"].percent() == "100.0"
        assert item.rates["satisfied"].percent() == "83.5"
        assert item.rates["dissatisfied"].percent() == "0.0"
        assert item.not_voted == 190 - 182 - abstain


def test_satisfaction_rates_are_none_without_valid_votes():
    """Only 弃权 on an item: V = 0, no rate (not a division by zero, not 0%)."""
    rules = Rules(abstain_option=True)
    item = run(SATISFACTION, rules, {"x": {"abstain": 3}}, expected=5, present=5).item("x")
    assert item.rates == {"satisfied": None, "basically_satisfied": None, "combined": None, "dissatisfied": None}
    assert item.grade == "dissatisfied"


# --- §5.4 and §5.5 表决 / 任免 ----------------------------------------------------------


def test_example_5a_and_the_screen_of_section_5_5():
    """N = 35, 实到 28: 赞成 17 反对 5 弃权 4 未按 2 → 未通过 (threshold 18), as the chair's screen shows it."""
    rows = {"decision": {"yes": 17, "no": 5, "abstain": 4}}
    result = run(MOTION, Rules(), rows, expected=35, present=28, body_kind=STANDING_COMMITTEE)
    data = result.to_dict()
    assert {k: data[k] for k in ("kind", "expected", "present", "cast", "needed", "quorum", "shortfall", "runoff")} == {
        "kind": "motion",
        "expected": 35,
        "present": 28,
        "cast": 26,
        "needed": 18,
        "quorum": {"required": 18, "met": True},
        "shortfall": None,
        "runoff": None,
    }
    assert data["items"] == [
        {
            "id": "decision",
            "title": "decision",
            "counts": {"yes": 17, "no": 5, "abstain": 4},
            "voted": 26,
            "not_voted": 2,
            "needed": 18,
            "outcome": "failed",
            "rank": None,
            "grade": None,
            "rates": {"yes": {"numerator": 17, "denominator": 26, "percent": "65.4"}},
        }
    ]
    assert data["rules"]["pass_base"] == "roster" and data["digest"].startswith("sha256:")


@pytest.mark.parametrize(
    "expected, yes, outcome",
    [
        (35, 18, "passed"),  # §5.4: "With 赞成 18 it would pass"
        (35, 17, "failed"),
        (34, 17, "failed"),  # exactly half does not pass 过半数 (§2.3)
        (34, 18, "passed"),
        (200, 100, "failed"),
        (200, 101, "passed"),
    ],
)
def test_more_than_half_boundaries(expected, yes, outcome):
    """Strictly more than half of the roster, whatever the turnout."""
    result = run(MOTION, Rules(), {"m": {"yes": yes, "no": 1}}, expected=expected, present=yes + 3)
    assert result.item("m").outcome == outcome


@pytest.mark.parametrize("yes, outcome", [(217, "failed"), (218, "passed")])
def test_two_thirds_at_327_needs_218(yes, outcome):
    """三分之二以上 of 327 is 218, inclusive (民法典 第1259条)."""
    result = run(MOTION, Rules(threshold="two_thirds"), {"m": {"yes": yes}}, expected=327, present=314)
    assert (result.needed, result.item("m").outcome) == (218, outcome)


def test_example_5b_appointments_person_by_person():
    """Removal first, then appointment; 16 < 18 fails. (The brief's 25/3/2 and 16/8/6 need 30 present, not 28.)"""
    rows = {
        "免去王五": {"yes": 26, "no": 2, "abstain": 2},
        "任命张三": {"yes": 25, "no": 3, "abstain": 2},
        "任命李四": {"yes": 16, "no": 8, "abstain": 6},
    }
    result = run(MOTION, Rules(), rows, expected=35, present=30)
    assert [(i.id, i.outcome) for i in result.items] == [("免去王五", "passed"), ("任命张三", "passed"), ("任命李四", "failed")]


def test_example_5c_lishui_resolution_needs_164_whatever_the_turnout():
    """丽水: 应到 327, 实到 314 → quorum 218 met, a resolution needs 164."""
    result = run(MOTION, Rules(), {"r": {"yes": 164, "no": 100}}, expected=327, present=314, body_kind=PEOPLE_CONGRESS)
    assert (result.quorum.required, result.quorum.met, result.needed, result.item("r").outcome) == (218, True, 164, "passed")
    fewer = run(MOTION, Rules(), {"r": {"yes": 163, "no": 100}}, expected=327, present=314)
    assert fewer.item("r").outcome == "failed"


@pytest.mark.parametrize("yes, outcome", [(15, "passed"), (14, "failed")])
def test_pass_base_present(yes, outcome):
    """Procedural motions: more than half of those present (28 → 15), not of the roster."""
    result = run(MOTION, Rules(pass_base="present"), {"m": {"yes": yes, "no": 26 - yes}}, expected=35, present=28)
    assert (result.needed, result.item("m").outcome) == (15, outcome)


@pytest.mark.parametrize("yes, outcome", [(14, "passed"), (13, "failed")])
def test_pass_base_cast_counts_only_those_who_voted_on_the_item(yes, outcome):
    """26 voted on the item (abstentions included, 未按 not) → 14 needed; the ballot-wide needed is None."""
    rows = {"m": {"yes": yes, "no": 22 - yes, "abstain": 4}, "other": {"yes": 20}}
    result = run(MOTION, Rules(pass_base="cast"), rows, expected=35, present=28)
    assert (result.needed, result.item("m").needed, result.item("m").outcome) == (None, 14, outcome)
    assert result.item("other").needed == 11


def test_decide_refuses_inconsistent_input():
    """More ballots than present, or counts of another ballot, are a caller's bug: ValueError."""
    tally = count(MOTION, Rules(), [1], [{1: "yes"}, {1: "no"}])
    with pytest.raises(ValueError):
        decide(MOTION, Rules(), [(1, "a")], tally, expected=5, present=1)
    with pytest.raises(ValueError):
        decide(MOTION, Rules(), [(2, "b")], tally, expected=5, present=5)
    with pytest.raises(ValueError):
        decide(SATISFACTION, Rules(), [(1, "a")], tally, expected=5, present=5)


# --- display of rates ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, decimals, text",
    [
        (Fraction(25, 28), 1, "89.3"),
        (Fraction(3, 28), 1, "10.7"),
        (Fraction(42, 45), 1, "93.3"),
        (Fraction(2, 3), 1, "66.7"),
        (Fraction(1, 16), 1, "6.3"),  # 6.25 rounds half up, not to even
        (Fraction(1, 400), 1, "0.3"),  # 0.25 likewise
        (Fraction(1, 1), 1, "100.0"),
        (Fraction(0, 5), 1, "0.0"),
        (Fraction(1, 7), 2, "14.29"),
        (Fraction(1, 2), 0, "50"),
    ],
)
def test_format_percent_rounds_half_up(value, decimals, text):
    """Display only: exact input, integer rounding."""
    assert format_percent(value, decimals) == text


def test_rate_needs_a_denominator():
    """No valid votes → no rate; an impossible rate is a bug."""
    assert Rate.of(0, 0) is None
    with pytest.raises(ValueError):
        Rate.of(3, 2)
    with pytest.raises(ValueError):
        format_percent(Fraction(-1, 2))
