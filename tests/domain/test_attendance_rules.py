"""Attendance counting, leave transitions, quorum at the boundaries and the mandate warning."""
import pytest

from voting.domain import attendance as a
from voting.domain.bodies import PEOPLE_CONGRESS, STANDING_COMMITTEE, quorum


def test_no_check_in_and_no_leave_is_absent():
    summary = a.summarize([a.PRESENT, None, a.ON_LEAVE, a.ABSENT, None, a.PRESENT])
    assert summary == a.AttendanceSummary(expected=6, present=2, on_leave=1, absent=3)


def test_unknown_status_is_refused():
    with pytest.raises(ValueError):
        a.summarize(["late"])


@pytest.mark.parametrize(
    "kind, expected, present, required, met",
    [
        (STANDING_COMMITTEE, 35, 18, 18, True),  # 过半数: 35 // 2 + 1
        (STANDING_COMMITTEE, 35, 17, 18, False),
        (PEOPLE_CONGRESS, 327, 218, 218, True),  # 三分之二以上: ceil(654 / 3)
        (PEOPLE_CONGRESS, 327, 217, 218, False),
        (PEOPLE_CONGRESS, 300, 200, 200, True),  # exactly two-thirds is enough (以上 includes it)
        (PEOPLE_CONGRESS, 300, 199, 200, False),
        (STANDING_COMMITTEE, 0, 0, 1, False),
    ],
)
def test_quorum_boundaries(kind, expected, present, required, met):
    q = quorum(kind, expected, present)
    assert (q.required, q.met) == (required, met)


@pytest.mark.parametrize(
    "current, target, allowed",
    [
        (a.LEAVE_REQUESTED, a.LEAVE_APPROVED, True),
        (a.LEAVE_REQUESTED, a.LEAVE_DECLINED, True),
        (a.LEAVE_REQUESTED, a.LEAVE_CANCELLED, True),
        (a.LEAVE_APPROVED, a.LEAVE_CANCELLED, True),  # 销假 on arrival
        (a.LEAVE_APPROVED, a.LEAVE_DECLINED, False),
        (a.LEAVE_DECLINED, a.LEAVE_APPROVED, False),
        (a.LEAVE_CANCELLED, a.LEAVE_APPROVED, False),
    ],
)
def test_leave_transitions(current, target, allowed):
    assert a.leave_transition_allowed(current, target) is allowed


def test_two_unapproved_absences_need_not_be_consecutive():
    history = [a.ABSENT, a.PRESENT, a.ON_LEAVE, None]
    assert a.unapproved_absences(history) == 2
    assert a.mandate_warning(True, 2) == "mandate_ends"
    assert a.mandate_warning(True, 1) == "first"
    assert a.mandate_warning(True, 0) is None
    assert a.mandate_warning(False, 5) is None  # a 常委会 member's mandate does not end this way
