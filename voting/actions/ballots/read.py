"""Reading ballots: their state while open, the live count, and the result after close."""
from __future__ import annotations

import json
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from voting.actions.attendance import meeting_attendance
from voting.actions.errors import ActionError, NotFound
from voting.domain.ballots import Rules
from voting.domain.tally import Tally, count
from voting.storage.ballot_box import all_ballots
from voting.storage.ballots import Ballot, Participation
from voting.storage.models import utcnow


def get_ballot(session: Session, ballot_id: int, lock: bool = False, share: bool = False) -> Ballot:
    """The ballot, or NotFound. `lock` takes its row for update (open/close); `share` for a vote.

    A vote holds a shared lock and a close an exclusive one, so a close waits
    for the votes already being written and every vote after it sees "closed".
    """
    query = select(Ballot).where(Ballot.id == ballot_id)
    if lock:
        query = query.with_for_update()
    elif share:
        query = query.with_for_update(read=True)
    ballot = session.scalars(query).one_or_none()
    if ballot is None:
        raise NotFound(_("No ballot with id %(id)s.", id=ballot_id))
    return ballot


def rules_of(ballot: Ballot) -> Rules:
    """The ballot's rules, as stored at creation."""
    return Rules.from_mapping(json.loads(ballot.rules_json))


def item_ids(ballot: Ballot) -> list[int]:
    """The ballot's item ids in agenda order."""
    return [item.id for item in ballot.items]


def cast_count(session: Session, ballot_id: int) -> int:
    """How many representatives have voted (已表决): participation rows, never the box."""
    return session.scalar(select(func.count()).select_from(Participation).where(Participation.ballot_id == ballot_id))


def has_voted(session: Session, ballot_id: int, representative_id: int) -> bool:
    """Whether this representative has a ballot in the box."""
    return session.get(Participation, (ballot_id, representative_id)) is not None


def live_tally(session: Session, ballot: Ballot) -> Tally:
    """Count the stored ballots now, with the same function the close and the worker's recount use."""
    return count(ballot.kind, rules_of(ballot), item_ids(ballot), all_ballots(session, ballot.id))


def remaining_seconds(ballot: Ballot, now: datetime | None = None) -> int | None:
    """Seconds left on the countdown (0 when it ran out), or None without one."""
    if ballot.status != "open":
        return None
    return seconds_left(ballot.deadline_at, now)


def seconds_left(deadline_at: datetime | None, now: datetime | None = None) -> int | None:
    """Seconds until an open ballot's deadline, rounded up (0 when it ran out), or None without one."""
    if deadline_at is None:
        return None
    return max(0, int((deadline_at - (now or utcnow())).total_seconds() + 0.999))


def ballot_status(session: Session, ballot: Ballot, now: datetime | None = None) -> dict:
    """GET /api/v1/ballots/{id}: the ballot, its rules and where the vote stands (never how anyone voted)."""
    rules = rules_of(ballot)
    if ballot.status in ("closed", "certified"):
        expected, present = ballot.expected_at_close, ballot.present_at_close
    else:
        attendance = meeting_attendance(session, ballot.meeting_id)
        expected, present = attendance.summary.expected, attendance.summary.present
    body = {
        "id": ballot.id,
        "meeting_id": ballot.meeting_id,
        "kind": ballot.kind,
        "title": ballot.title,
        "position": ballot.position,
        "status": ballot.status,
        "rules": rules.to_mapping(),
        "items": [{"id": item.id, "title": item.title, "description": item.description} for item in ballot.items],
        "expected": expected,
        "present": present,
        "cast": cast_count(session, ballot.id),
        "opened_at": ballot.opened_at,
        "deadline_at": ballot.deadline_at,
        "closed_at": ballot.closed_at,
        "remaining_s": remaining_seconds(ballot, now),
        "parent_ballot_id": ballot.parent_ballot_id,
    }
    if ballot.status == "open" and rules.live_results:
        body["live"] = live_tally(session, ballot).to_dict()
    return body


def ballot_result(ballot: Ballot) -> dict:
    """GET /api/v1/ballots/{id}/result: the result decided at close. Raises ActionError before close."""
    if ballot.result_json is None:
        raise ActionError("not_closed", _("The result is available once the ballot is closed."), 409)
    result = json.loads(ballot.result_json)
    result.update(
        {
            "id": ballot.id,
            "title": ballot.title,
            "status": ballot.status,
            "on_leave": ballot.on_leave_at_close,
            "absent": (ballot.expected_at_close or 0) - (ballot.present_at_close or 0) - (ballot.on_leave_at_close or 0),
            "closed_at": ballot.closed_at.isoformat() if ballot.closed_at else None,
        }
    )
    return result
