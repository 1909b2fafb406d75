"""Leave (请假 / 销假): a representative asks from the phone, the clerk decides, arrival cancels.

Approved leave is what makes an absence 请假 instead of 缺席: approving sets
the attendance to on_leave; cancelling it (销假) returns the person to absent
until they check in.
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from voting.actions.attendance import MAX_REASON, publish_attendance, roster_member
from voting.actions.errors import ActionError, NotFound
from voting.actions.meetings import get_meeting
from voting.domain.attendance import (
    ABSENT,
    LEAVE_APPROVED,
    LEAVE_CANCELLED,
    LEAVE_DECLINED,
    LEAVE_REQUESTED,
    ON_LEAVE,
    leave_transition_allowed,
)
from voting.storage.attendance import open_leave, upsert_attendance
from voting.storage.database import Database
from voting.storage.models import Attendance, LeaveRequest, utcnow


def _reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if not text:
        raise ActionError("reason_required", _("Please give a reason for the leave."), 422)
    if len(text) > MAX_REASON:
        raise ActionError("reason_too_long", _("The reason may have at most %(n)d characters.", n=MAX_REASON), 422)
    return text


def request_leave(db: Database, meeting_id: int, representative_id: int, reason: str) -> int:
    """A representative asks for leave from a meeting. Returns the request's id.

    Raises ActionError: reason_required, leave_already_requested (409),
    not_on_roster, meeting_closed.
    """
    text = _reason(reason)
    try:
        with db.transaction() as session:
            meeting = get_meeting(session, meeting_id)
            if meeting.status == "closed":
                raise ActionError("meeting_closed", _("This meeting is closed."), 409)
            roster_member(session, meeting, representative_id)
            if open_leave(session, meeting_id, representative_id) is not None:
                raise _already_requested()
            leave = LeaveRequest(
                meeting_id=meeting_id, representative_id=representative_id, status=LEAVE_REQUESTED, reason=text
            )
            session.add(leave)
            session.flush()
            leave_id = leave.id
    except IntegrityError:
        # Two taps at once: the partial unique index let only one through.
        raise _already_requested() from None
    publish_attendance(db, meeting_id, representative_id)
    return leave_id


def _already_requested() -> ActionError:
    return ActionError(
        "leave_already_requested", _("You have already asked for leave from this meeting."), 409
    )


def get_leave(session: Session, leave_id: int) -> LeaveRequest:
    """The leave request, or NotFound."""
    leave = session.get(LeaveRequest, leave_id)
    if leave is None:
        raise NotFound(_("No leave request with id %(id)s.", id=leave_id))
    return leave


def _move(leave: LeaveRequest, target: str) -> None:
    if not leave_transition_allowed(leave.status, target):
        raise ActionError(
            "leave_not_pending" if target in (LEAVE_APPROVED, LEAVE_DECLINED) else "leave_not_open",
            _("This leave request has already been dealt with."),
            409,
        )
    leave.status = target


def decide_leave(db: Database, leave_id: int, approve: bool, user_id: int | None, note: str | None = None) -> str:
    """The clerk approves (请假 granted: on leave) or declines a pending request. Returns the new status."""
    with db.transaction() as session:
        leave = get_leave(session, leave_id)
        _move(leave, LEAVE_APPROVED if approve else LEAVE_DECLINED)
        leave.decided_at, leave.decided_by_id = utcnow(), user_id
        leave.decision_note = (note or "").strip()[:MAX_REASON] or None
        if approve:
            upsert_attendance(
                session, leave.meeting_id, leave.representative_id, ON_LEAVE,
                method=None, reason=leave.reason, updated_by_id=user_id,
            )
        meeting_id, rep_id, status = leave.meeting_id, leave.representative_id, leave.status
    publish_attendance(db, meeting_id, rep_id)
    return status


def cancel_leave(db: Database, leave_id: int, representative_id: int | None = None, user_id: int | None = None) -> None:
    """销假: the representative (or the clerk for them) withdraws a request or ends approved leave.

    With `representative_id`, only that representative's own request may be
    cancelled (NotFound otherwise). An on-leave status returns to absent until
    they check in.
    """
    with db.transaction() as session:
        leave = get_leave(session, leave_id)
        if representative_id is not None and leave.representative_id != representative_id:
            raise NotFound(_("No leave request with id %(id)s.", id=leave_id))
        was_approved = leave.status == LEAVE_APPROVED
        _move(leave, LEAVE_CANCELLED)
        leave.cancelled_at = utcnow()
        if was_approved:
            record = session.scalar(
                select(Attendance).where(
                    Attendance.meeting_id == leave.meeting_id,
                    Attendance.representative_id == leave.representative_id,
                )
            )
            if record is not None and record.status == ON_LEAVE:
                upsert_attendance(
                    session, leave.meeting_id, leave.representative_id, ABSENT,
                    method=None, updated_by_id=user_id,
                )
        meeting_id, rep_id = leave.meeting_id, leave.representative_id
    publish_attendance(db, meeting_id, rep_id)


def pending_requests(session: Session, meeting_id: int) -> list[LeaveRequest]:
    """The meeting's leave requests waiting for a decision, oldest first."""
    return list(
        session.scalars(
            select(LeaveRequest)
            .where(LeaveRequest.meeting_id == meeting_id, LeaveRequest.status == LEAVE_REQUESTED)
            .order_by(LeaveRequest.requested_at, LeaveRequest.id)
        )
    )


def latest_leave(session: Session, meeting_id: int, representative_id: int) -> LeaveRequest | None:
    """The representative's most recent leave request for the meeting (any status), for the phone."""
    return session.scalar(
        select(LeaveRequest)
        .where(LeaveRequest.meeting_id == meeting_id, LeaveRequest.representative_id == representative_id)
        .order_by(LeaveRequest.id.desc())
        .limit(1)
    )
