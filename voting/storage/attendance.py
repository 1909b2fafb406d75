"""Attendance queries and the one write that must survive concurrency: the upsert.

Five hundred phones checking in at the same second all insert into
`attendance`; the unique (meeting_id, representative_id) pair turns a second
insert for the same person into an update, on PostgreSQL and SQLite alike
(INSERT ... ON CONFLICT), so there is never a duplicate and never an error.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from voting.domain.attendance import OPEN_LEAVE_STATUSES, PRESENT
from voting.domain.roster import counts_in_roster
from voting.storage.models import Attendance, Body, LeaveRequest, Representative, utcnow


def upsert_attendance(
    session: Session,
    meeting_id: int,
    representative_id: int,
    status: str,
    *,
    method: str | None,
    reason: str | None = None,
    updated_by_id: int | None = None,
    now: datetime | None = None,
    keep_if_present: bool = False,
) -> bool:
    """Record a status for the pair, inserting or updating; returns whether a row changed.

    keep_if_present: a repeated check-in leaves an existing `present` row (and
    its first check-in time) alone, so checking in twice is harmless.
    """
    now = now or utcnow()
    values = {
        "meeting_id": meeting_id,
        "representative_id": representative_id,
        "status": status,
        "reason": reason,
        "method": method,
        "checked_in_at": now if status == PRESENT else None,
        "updated_at": now,
        "updated_by_id": updated_by_id,
    }
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(Attendance).values(**values)
    update_values = {k: stmt.excluded[k] for k in values if k not in ("meeting_id", "representative_id")}
    if status == PRESENT:
        # Someone already present keeps their first check-in time.
        update_values["checked_in_at"] = func.coalesce(Attendance.checked_in_at, stmt.excluded.checked_in_at)
    where = Attendance.status != PRESENT if keep_if_present else None
    stmt = stmt.on_conflict_do_update(
        index_elements=["meeting_id", "representative_id"], set_=update_values, where=where
    ).returning(Attendance.id)
    # RETURNING yields a row only when a row was inserted or updated (not when the WHERE kept it).
    return session.execute(stmt).first() is not None


def recorded_statuses(session: Session, meeting_id: int, body: Body) -> list[str | None]:
    """One recorded status (None: nothing recorded) per representative counted in the body's roster."""
    # Counted by the database (a handful of groups, not a row per person): screens and
    # progress ask for this several times a second while a whole congress checks in or votes.
    rows = session.execute(
        select(Representative.status, Attendance.status, func.count())
        .select_from(Representative)
        .outerjoin(
            Attendance,
            (Attendance.representative_id == Representative.id) & (Attendance.meeting_id == meeting_id),
        )
        .where(Representative.body_id == body.id)
        .group_by(Representative.status, Attendance.status)
    ).all()
    statuses: list[str | None] = []
    for rep_status, recorded, count in rows:
        if counts_in_roster(rep_status, body.is_suspended_counted):
            statuses.extend([recorded] * count)
    return statuses


def pending_leave_count(session: Session, meeting_id: int) -> int:
    """Leave requests of the meeting still waiting for the clerk."""
    return session.scalar(
        select(func.count()).where(LeaveRequest.meeting_id == meeting_id, LeaveRequest.status == "requested")
    ) or 0


def open_leave(session: Session, meeting_id: int, representative_id: int) -> LeaveRequest | None:
    """The representative's requested or approved leave for the meeting, if any."""
    return session.scalar(
        select(LeaveRequest).where(
            LeaveRequest.meeting_id == meeting_id,
            LeaveRequest.representative_id == representative_id,
            LeaveRequest.status.in_(OPEN_LEAVE_STATUSES),
        )
    )
