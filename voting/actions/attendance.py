"""Attendance of a meeting: the counts and quorum, the clerk's desk, and publishing changes.

Every use case that changes attendance commits first and then calls
publish_attendance, which sends the whole new picture (with a growing version)
to the meeting's screen room.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from redis.exceptions import RedisError
from sqlalchemy import select
from sqlalchemy.orm import Session

from voting.actions.errors import ActionError, NotFound
from voting.actions.meetings import get_meeting
from voting.domain.attendance import (
    ATTENDANCE_STATUSES,
    LEAVE_APPROVED,
    LEAVE_CANCELLED,
    LEAVE_REQUESTED,
    METHOD_DESK,
    ON_LEAVE,
    PRESENT,
    AttendanceSummary,
    summarize,
)
from voting.domain.bodies import Quorum, quorum
from voting.domain.roster import counts_in_roster
from voting.realtime import ATTENDANCE_CHANGED, current_version, next_version, publish, redis_client, screen_room
from voting.realtime.payloads import attendance_payload
from voting.storage.attendance import open_leave, pending_leave_count, recorded_statuses, upsert_attendance
from voting.storage.database import Database
from voting.storage.models import Attendance, Meeting, MeetingCheckin, Representative, utcnow

MAX_REASON = 500


def version_stream(meeting_id: int) -> str:
    """The version counter of a meeting's attendance events."""
    return f"attendance:{int(meeting_id)}"


@dataclass(frozen=True)
class MeetingAttendance:
    """A meeting's attendance at one moment."""

    meeting: Meeting
    summary: AttendanceSummary
    quorum: Quorum
    is_checkin_open: bool
    pending_leave: int


def checkin_state(session: Session, meeting_id: int) -> MeetingCheckin | None:
    """The meeting's check-in row, if check-in was ever opened or a screen link made."""
    return session.get(MeetingCheckin, meeting_id)


def meeting_attendance(session: Session, meeting_id: int) -> MeetingAttendance:
    """应到 / 实到 / 请假 / 缺席 and the quorum of a meeting. Raises NotFound."""
    meeting = get_meeting(session, meeting_id)
    summary = summarize(recorded_statuses(session, meeting.id, meeting.body))
    state = checkin_state(session, meeting.id)
    return MeetingAttendance(
        meeting=meeting,
        summary=summary,
        quorum=quorum(meeting.body.kind, summary.expected, summary.present),
        is_checkin_open=bool(state and state.is_open),
        pending_leave=pending_leave_count(session, meeting.id),
    )


def attendance_json(found: MeetingAttendance) -> dict:
    """The API's attendance body."""
    return {
        "meeting_id": found.meeting.id,
        "expected": found.summary.expected,
        "present": found.summary.present,
        "on_leave": found.summary.on_leave,
        "absent": found.summary.absent,
        "quorum": {"required": found.quorum.required, "met": found.quorum.met},
        "is_checkin_open": found.is_checkin_open,
        "pending_leave": found.pending_leave,
    }


def snapshot(db: Database, meeting_id: int) -> dict:
    """`attendance.snapshot`: the full picture with the latest version, for a client that (re)connects."""
    # Read the version before the counts: a change committed in between then
    # arrives as an event with a higher version and wins, as it should.
    version = current_version(version_stream(meeting_id))
    with db.session() as session:
        found = meeting_attendance(session, meeting_id)
        return attendance_payload(
            meeting_id, version, found.summary, found.quorum, found.is_checkin_open, found.pending_leave
        )


def publish_attendance(db: Database, meeting_id: int, representative_id: int | None = None) -> dict | None:
    """Send `attendance.changed` to the meeting's screen room. Call after the change has committed.

    Coalesced (voting.realtime.coalesce): a change after a quiet spell goes out
    at once, a burst (a hall checking in) at most four times a second, each
    time the whole latest picture, naming the last person who changed.
    The version is taken before the counts are read, so the event with the
    highest version always carries counts at least as new as any other.
    If Redis cannot be reached the change stands (it is committed) and only the
    event is lost: screens resync from the next event or on reconnect. Returns
    the payload when it was sent at once, else None.
    """
    from voting.realtime.coalesce import soon

    app = current_app._get_current_object()
    try:
        if representative_id is not None:
            redis_client(app).set(_last_changed_key(meeting_id), representative_id, ex=24 * 3600)
        else:
            redis_client(app).delete(_last_changed_key(meeting_id))
        return soon(app, f"attendance:{int(meeting_id)}", lambda: _publish_attendance(app, db, meeting_id))
    except RedisError:
        current_app.logger.warning("attendance.changed for meeting %s not published", meeting_id, exc_info=True)
        return None


def _last_changed_key(meeting_id: int) -> str:
    return f"voting:attendance:last-changed:{int(meeting_id)}"


def _publish_attendance(app, db: Database, meeting_id: int) -> dict:
    version = next_version(version_stream(meeting_id), app)
    last = redis_client(app).get(_last_changed_key(meeting_id))
    with db.session() as session:
        found = meeting_attendance(session, meeting_id)
        payload = attendance_payload(
            meeting_id,
            version,
            found.summary,
            found.quorum,
            found.is_checkin_open,
            found.pending_leave,
            changed_representative_id=int(last) if last is not None else None,
        )
    # Screens and consoles only: a phone needs no count, and 3,000 check-ins must not make 9 million messages.
    publish(ATTENDANCE_CHANGED, screen_room(meeting_id), payload, app)
    return payload


def roster_member(session: Session, meeting: Meeting, representative_id: int) -> Representative:
    """A representative counted in the meeting's body roster, or ActionError(not_on_roster, 403)."""
    rep = session.get(Representative, representative_id)
    if rep is None:
        raise NotFound(_("No representative with id %(id)s.", id=representative_id))
    if rep.body_id != meeting.body_id or not counts_in_roster(rep.status, meeting.body.is_suspended_counted):
        raise ActionError(
            "not_on_roster",
            _("%(name)s is not on the roster of %(body)s.", name=rep.name, body=meeting.body.name),
            403,
        )
    return rep


def _require_open_meeting(meeting: Meeting) -> None:
    if meeting.status == "closed":
        raise ActionError("meeting_closed", _("This meeting is closed; its attendance can no longer change."), 409)


def set_attendance(
    db: Database,
    meeting_id: int,
    representative_id: int,
    status: str,
    reason: str | None,
    user_id: int | None,
    method: str = METHOD_DESK,
) -> str:
    """The clerk marks someone present, absent or on leave (with a reason). Returns the status.

    Leave requests follow: marking someone on leave approves their pending
    request; marking them present or absent ends any open leave (销假).
    Raises ActionError for an unknown status, a closed meeting or someone not on the roster.
    """
    if status not in ATTENDANCE_STATUSES:
        raise ActionError("invalid_status", _("The status must be present, absent or on_leave."), 422)
    reason = (reason or "").strip()[:MAX_REASON] or None
    with db.transaction() as session:
        meeting = get_meeting(session, meeting_id)
        _require_open_meeting(meeting)
        roster_member(session, meeting, representative_id)
        now = utcnow()
        leave = open_leave(session, meeting_id, representative_id)
        if leave is not None:
            if status == ON_LEAVE and leave.status == LEAVE_REQUESTED:
                leave.status, leave.decided_at, leave.decided_by_id = LEAVE_APPROVED, now, user_id
                reason = reason or leave.reason
            elif status != ON_LEAVE:
                leave.status, leave.cancelled_at = LEAVE_CANCELLED, now
        upsert_attendance(
            session, meeting_id, representative_id, status,
            method=method, reason=reason, updated_by_id=user_id, now=now,
            keep_if_present=(status == PRESENT),
        )
    publish_attendance(db, meeting_id, representative_id)
    return status


@dataclass(frozen=True)
class RosterLine:
    """One line of a meeting's attendance list in the console."""

    representative: Representative
    group_name: str | None
    status: str | None  # None: nothing recorded (counts as absent)
    method: str | None
    reason: str | None
    checked_in_at: object
    leave_id: int | None
    leave_status: str | None
    leave_reason: str | None


def attendance_lines(session: Session, meeting: Meeting) -> list[RosterLine]:
    """Everyone on the meeting's roster with their recorded status and open leave, in roster order."""
    from voting.storage.models import LeaveRequest

    reps = session.scalars(
        select(Representative).where(Representative.body_id == meeting.body_id).order_by(Representative.number)
    ).all()
    reps = [r for r in reps if counts_in_roster(r.status, meeting.body.is_suspended_counted)]
    records = {
        a.representative_id: a
        for a in session.scalars(select(Attendance).where(Attendance.meeting_id == meeting.id))
    }
    leaves = {
        lr.representative_id: lr
        for lr in session.scalars(
            select(LeaveRequest).where(
                LeaveRequest.meeting_id == meeting.id, LeaveRequest.status.in_((LEAVE_REQUESTED, LEAVE_APPROVED))
            )
        )
    }
    lines = []
    for rep in reps:
        record, leave = records.get(rep.id), leaves.get(rep.id)
        lines.append(
            RosterLine(
                representative=rep,
                group_name=rep.group.name if rep.group else None,
                status=record.status if record else None,
                method=record.method if record else None,
                reason=record.reason if record else None,
                checked_in_at=record.checked_in_at if record else None,
                leave_id=leave.id if leave else None,
                leave_status=leave.status if leave else None,
                leave_reason=leave.reason if leave else None,
            )
        )
    return lines


def representative_status(session: Session, meeting_id: int, representative_id: int) -> Attendance | None:
    """The representative's recorded attendance at the meeting, if any."""
    return session.scalar(
        select(Attendance).where(
            Attendance.meeting_id == meeting_id, Attendance.representative_id == representative_id
        )
    )


def current_meeting_for(session: Session, representative: Representative, today: date | None = None) -> Meeting | None:
    """The meeting a representative's phone should show.

    A meeting of their body with check-in open comes first, then one in
    progress, then the next scheduled one (today or later); None if none.
    """
    today = today or date.today()
    meetings = session.scalars(
        select(Meeting).where(Meeting.body_id == representative.body_id, Meeting.status != "closed")
    ).all()
    if not meetings:
        return None
    open_ids = set(
        session.scalars(
            select(MeetingCheckin.meeting_id).where(
                MeetingCheckin.meeting_id.in_([m.id for m in meetings]), MeetingCheckin.is_open.is_(True)
            )
        )
    )

    def rank(m: Meeting):
        upcoming = m.meeting_date is None or m.meeting_date >= today
        return (
            0 if m.id in open_ids else 1 if m.status == "in_progress" else 2 if upcoming else 3,
            m.meeting_date or date.max,
            m.id,
        )

    best = min(meetings, key=rank)
    return best if rank(best)[0] < 3 else None


def app_db() -> Database:
    """The current app's Database."""
    return current_app.extensions["voting.db"]
