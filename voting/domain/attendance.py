"""Attendance of a meeting: 应到 / 实到 / 请假 / 缺席, leave, and the mandate warning.

A representative on the roster is present (实到) after checking in or being
marked present at the desk, on leave (请假) with approved leave, and absent
(缺席) otherwise: no leave and no check-in is an absence (domain-rules §6).
Standard library only.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable

PRESENT = "present"  # 实到
ABSENT = "absent"  # 缺席
ON_LEAVE = "on_leave"  # 请假 (approved)
ATTENDANCE_STATUSES = (PRESENT, ABSENT, ON_LEAVE)

# How a representative came to be marked present (or, for the desk, any status).
METHOD_QR = "qr"  # scanned the hall screen's rotating code with their phone
METHOD_DESK = "desk"  # a clerk set it by hand
METHOD_CARD_SCAN = "card_scan"  # a clerk scanned the representative's card at the desk
CHECKIN_METHODS = (METHOD_QR, METHOD_DESK, METHOD_CARD_SCAN)

# Leave requests (请假 / 销假).
LEAVE_REQUESTED = "requested"
LEAVE_APPROVED = "approved"
LEAVE_DECLINED = "declined"
LEAVE_CANCELLED = "cancelled"  # 销假: withdrawn, or ended by arriving
LEAVE_STATUSES = (LEAVE_REQUESTED, LEAVE_APPROVED, LEAVE_DECLINED, LEAVE_CANCELLED)
OPEN_LEAVE_STATUSES = (LEAVE_REQUESTED, LEAVE_APPROVED)

# 代表法 第62条(三): "未经批准两次不出席本级人民代表大会会议的" ends a deputy's mandate.
ABSENCES_ENDING_MANDATE = 2


def effective_status(recorded: str | None) -> str:
    """The status that counts for a roster member whose recorded status is `recorded`.

    Nothing recorded means no check-in and no approved leave: 缺席.
    Raises ValueError for an unknown status.
    """
    if recorded is None:
        return ABSENT
    if recorded not in ATTENDANCE_STATUSES:
        raise ValueError(f"unknown attendance status: {recorded!r}")
    return recorded


@dataclass(frozen=True)
class AttendanceSummary:
    """应到 / 实到 / 请假 / 缺席; the three parts always add up to `expected`."""

    expected: int
    present: int
    on_leave: int
    absent: int


def summarize(recorded_statuses: Iterable[str | None]) -> AttendanceSummary:
    """Count one recorded status (or None) per roster member into a summary."""
    counts = Counter(effective_status(s) for s in recorded_statuses)
    expected = sum(counts.values())
    return AttendanceSummary(
        expected=expected, present=counts[PRESENT], on_leave=counts[ON_LEAVE], absent=counts[ABSENT]
    )


def leave_transition_allowed(current: str, target: str) -> bool:
    """Whether a leave request may move from `current` to `target`.

    requested → approved | declined | cancelled; approved → cancelled (销假).
    Declined and cancelled are final: a new request starts afresh.
    """
    allowed = {
        LEAVE_REQUESTED: {LEAVE_APPROVED, LEAVE_DECLINED, LEAVE_CANCELLED},
        LEAVE_APPROVED: {LEAVE_CANCELLED},
    }
    return target in allowed.get(current, set())


def unapproved_absences(history: Iterable[str | None]) -> int:
    """How many held meetings in `history` (one recorded status or None each) were 缺席.

    Approved leave (请假) is not an absence. The two absences of 代表法 第62条(三)
    need not be consecutive, so this counts them all.
    """
    return sum(1 for recorded in history if effective_status(recorded) == ABSENT)


def mandate_warning(body_kind_is_congress: bool, absences: int) -> str | None:
    """The warning level for a deputy with `absences` unapproved absences from a body's meetings.

    Only a 人民代表大会 deputy's mandate ends this way: None for a 常委会 member or
    no absence, "first" after one (the clerk must act: ask for the leave to be
    regularised, talk to the deputy), "mandate_ends" from ABSENCES_ENDING_MANDATE on.
    """
    if not body_kind_is_congress or absences <= 0:
        return None
    return "mandate_ends" if absences >= ABSENCES_ENDING_MANDATE else "first"
