"""The pure rules of the livelihood-project cycle: text, money, 差额, progress, merging, results, figures."""
from __future__ import annotations

from datetime import date

import pytest

from voting.domain.projects import (
    CATEGORIES,
    ProjectError,
    can_become_candidate,
    check_candidate,
    check_competitive,
    check_merge,
    check_progress,
    check_proposal,
    clean_text,
    format_wan,
    parse_wan,
    spending,
    stages_from_result,
    summarise,
)


def code_of(call, *args, **kwargs) -> str:
    with pytest.raises(ProjectError) as caught:
        call(*args, **kwargs)
    return caught.value.code


@pytest.mark.parametrize("typed,yuan", [
    ("12.5", 125_000), ("1,200", 12_000_000), ("１２", 120_000), (" 3万元 ", 30_000), ("0.0001", 1),
    ("", None), (None, None), ("0", 0),
])
def test_amounts_typed_in_wan_become_whole_yuan(typed, yuan):
    assert parse_wan(typed) == yuan


@pytest.mark.parametrize("typed,code", [
    ("abc", "not_a_number"), ("-1", "negative"), ("0.00001", "too_precise"), ("1e30", "too_large"),
    ("NaN", "not_a_number"), ("Infinity", "not_a_number"),
])
def test_bad_amounts_are_refused_with_a_code(typed, code):
    assert code_of(parse_wan, typed) == code


def test_a_required_amount_must_be_there():
    assert code_of(parse_wan, " ", "budget", required=True) == "required"


@pytest.mark.parametrize("yuan,shown", [(125_000, "12.5"), (30_000, "3"), (12_345_678, "1,234.5678"), (1, "0.0001"), (None, "")])
def test_amounts_are_shown_in_wan_without_trailing_zeros(yuan, shown):
    assert format_wan(yuan) == shown


def test_text_is_trimmed_kept_as_typed_and_measured_after_cleaning():
    assert clean_text("  <script>alert(1)</script>  ", "title") == "<script>alert(1)</script>"
    assert clean_text("a\u202eb\x00c", "title") == "abc"  # bidi override and NUL dropped
    assert clean_text("line1\r\nline2", "description", multiline=True) == "line1\nline2"
    assert clean_text("line1\nline2", "title") == "line1 line2"
    assert clean_text("   ", "place", required=False) is None
    assert code_of(clean_text, "   ", "title") == "required"
    error = pytest.raises(ProjectError, clean_text, "长" * 101, "title")
    assert error.value.code == "too_long" and error.value.params == {"field": "title", "max": 100, "length": 101}
    assert clean_text("长" * 100, "title") == "长" * 100


def test_a_proposal_is_checked_field_by_field_at_once():
    checked = check_proposal({"title": "", "description": "x" * 3001, "category": "weather", "estimated_cost": "abc"})
    assert not checked.ok
    assert {k: v[0] for k, v in checked.problems.items()} == {
        "title": "required", "description": "too_long", "category": "choose_category",
        "estimated_cost": "not_a_number", "proposer_name": "required", "proposer_contact": "required",
    }
    good = check_proposal({"title": "老旧小区加装电梯", "description": "五层以上无电梯", "category": "housing",
                           "proposer_name": "王小明", "proposer_contact": "13800000000", "estimated_cost": "80"})
    assert good.ok and good.values["estimated_cost"] == 800_000 and good.values["place"] is None
    rep = check_proposal({"title": "t", "description": "d", "category": "other", "proposer_name": "李代表"},
                         contact_required=False)
    assert rep.ok


def test_a_candidate_needs_department_budget_and_a_completion_not_before_its_year():
    data = {"title": "学校扩容", "description": "新增学位", "category": "education", "department": "县教育局",
            "budget": "1200", "planned_completion": date(2026, 12, 31)}
    assert check_candidate(data, 2026).values["budget"] == 12_000_000
    early = check_candidate({**data, "planned_completion": date(2025, 12, 31)}, 2026)
    assert early.problems["planned_completion"][0] == "completion_before_year"
    missing = check_candidate({**data, "budget": "", "department": "", "planned_completion": None}, 2026)
    assert set(missing.problems) == {"budget", "department", "planned_completion"}
    assert len(CATEGORIES) == 9


@pytest.mark.parametrize("candidates,seats,code", [
    (12, 10, None), (2, 1, None), (10, 10, "not_competitive"), (9, 10, "not_competitive"),
    (5, 0, "seats_required"), (5, None, "seats_required"), (5, True, "seats_required"),
])
def test_the_vote_must_be_competitive(candidates, seats, code):
    if code is None:
        check_competitive(candidates, seats)
    else:
        assert code_of(check_competitive, candidates, seats) == code


@pytest.mark.parametrize("status,progress,code", [
    ("in_progress", 40, None), ("completed", 100, None), ("not_started", 0, None), ("delayed", 35, None),
    ("completed", 99, "completed_not_full"), ("not_started", 5, "not_started_has_progress"),
    ("in_progress", 101, "progress_out_of_range"), ("in_progress", -1, "progress_out_of_range"),
    ("in_progress", "50", "progress_out_of_range"), ("finished", 100, "unknown_status"),
])
def test_progress_is_a_whole_percent_consistent_with_the_status(status, progress, code):
    if code is None:
        assert check_progress(status, progress) == progress
    else:
        assert code_of(check_progress, status, progress) == code


def test_spending_is_floored_and_overspending_is_flagged():
    assert spending(3_000_000, 2_999_999).percent == 99  # 99.99 % is not done
    assert spending(3_000_000, 3_000_000).percent == 100
    over = spending(1_000_000, 1_250_000)
    assert over.percent == 125 and over.is_over and over.remaining == 0
    assert spending(0, 10).percent is None


def test_which_proposals_can_become_candidates_and_be_merged():
    assert can_become_candidate("new") and can_become_candidate("not_taken")
    assert not can_become_candidate("merged") and not can_become_candidate("candidate")
    check_merge(1, "new", 2, "candidate", True)
    assert code_of(check_merge, 1, "new", 1, "new", True) == "merge_into_itself"
    assert code_of(check_merge, 1, "new", 2, "new", False) == "merge_other_year"
    assert code_of(check_merge, 1, "merged", 2, "new", True) == "already_merged"
    assert code_of(check_merge, 1, "candidate", 2, "new", True) == "already_candidate"
    assert code_of(check_merge, 1, "new", 2, "merged", True) == "target_merged"


def test_a_certified_selection_adopts_the_selected_and_holds_the_tied():
    # domain-rules §3.4 example 3-A, shortened: P10 and P11 tied at the K-th place, P12 below the threshold.
    result = {"rules": {"form": "per_item"}, "items": [
        {"id": 1, "outcome": "selected", "rank": 1, "counts": {"yes": 172, "no": 3, "abstain": 5}},
        {"id": 10, "outcome": "tie", "rank": 10, "counts": {"yes": 118}},
        {"id": 11, "outcome": "tie", "rank": 10, "counts": {"yes": 118}},
        {"id": 12, "outcome": "not_selected", "rank": None, "counts": {"yes": 95}},
        {"id": 99, "outcome": "selected", "rank": 2, "counts": {"yes": 150}},  # not a project item
    ]}
    lines = stages_from_result(result, {1: "P1", 10: "P10", 11: "P11", 12: "P12"})
    assert {p: (l.stage, l.rank, l.support) for p, l in lines.items()} == {
        "P1": ("adopted", 1, 172), "P10": ("tied", 10, 118), "P11": ("tied", 10, 118), "P12": ("not_selected", None, 95),
    }
    approve = {"rules": {"form": "up_to_k"}, "items": [{"id": "5", "outcome": "selected", "rank": 1, "counts": {"approve": 7}}]}
    assert stages_from_result(approve, {5: "A"})["A"].support == 7


def test_the_summary_counts_every_status_and_adds_money_by_category():
    summary = summarise([
        {"category": "education", "status": "completed", "progress": 100, "budget": 10, "spent": 9},
        {"category": "education", "status": "in_progress", "progress": 51, "budget": 20, "spent": 5},
        {"category": "transport", "status": "delayed", "progress": 30, "budget": 5, "spent": 6},
    ])
    assert summary.count == 3 and summary.budget == 35 and summary.spent == 20
    assert summary.by_category == {"education": {"count": 2, "budget": 30, "spent": 14},
                                   "transport": {"count": 1, "budget": 5, "spent": 6}}
    assert summary.by_status == {"not_started": 0, "in_progress": 1, "completed": 1, "delayed": 1}
    assert summary.average_progress == 60  # 181 // 3
    assert summarise([]).average_progress == 0
