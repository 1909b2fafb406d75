"""Open a ballot for voting, and extend its countdown."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from voting.actions.attendance import meeting_attendance
from voting.actions.ballots.read import get_ballot, rules_of
from voting.actions.errors import ActionError
from voting.storage.ballot_box import create_shards, shard_count_for
from voting.storage.ballots import Ballot
from voting.storage.models import Meeting, utcnow

MAX_EXTENSION_S = 3600


def open_ballot(session: Session, ballot_id: int, now: datetime | None = None) -> Ballot:
    """Open a draft ballot. One ballot is open per meeting at a time, and only with a quorum.

    Raises ActionError (409) when the ballot is not a draft, another ballot of
    the meeting is open, or the meeting lacks its quorum (法定人数).
    """
    now = now or utcnow()
    ballot = get_ballot(session, ballot_id, lock=True)
    # Lock the meeting row too: two clerks opening two ballots at once must not both succeed.
    session.scalars(select(Meeting).where(Meeting.id == ballot.meeting_id).with_for_update()).one()
    if ballot.status != "draft":
        raise ActionError("not_draft", _("Only a ballot that has not been opened yet can be opened."), 409)
    other = session.scalar(
        select(Ballot.title).where(Ballot.meeting_id == ballot.meeting_id, Ballot.status == "open", Ballot.id != ballot.id)
    )
    if other is not None:
        raise ActionError("another_ballot_open", _("Close the open ballot first: %(title)s", title=other), 409)
    if ballot.meeting.status == "closed":
        raise ActionError("meeting_closed", _("This meeting is closed."), 409)
    attendance = meeting_attendance(session, ballot.meeting_id)
    if not attendance.quorum.met:
        raise ActionError(
            "no_quorum",
            _(
                "The quorum is not met: %(present)s present, %(required)s required.",
                present=attendance.summary.present,
                required=attendance.quorum.required,
            ),
            409,
        )
    rules = rules_of(ballot)
    ballot.status = "open"
    ballot.opened_at = now
    ballot.deadline_at = now + timedelta(seconds=rules.duration_s) if rules.duration_s else None
    ballot.shard_count = shard_count_for(attendance.summary.expected)
    create_shards(session, ballot.id, ballot.shard_count)
    if ballot.meeting.status == "scheduled":
        ballot.meeting.status = "in_progress"
    session.flush()
    return ballot


def extend_ballot(session: Session, ballot_id: int, seconds: int, now: datetime | None = None) -> Ballot:
    """Give an open ballot `seconds` more (from now if its countdown already ran out, or if it had none)."""
    now = now or utcnow()
    if not isinstance(seconds, int) or not 1 <= seconds <= MAX_EXTENSION_S:
        raise ActionError(
            "invalid_extension", _("Extend by 1 to %(max)s seconds.", max=MAX_EXTENSION_S), 422
        )
    ballot = get_ballot(session, ballot_id, lock=True)
    if ballot.status != "open":
        raise ActionError("not_open", _("This ballot is not open."), 409)
    start = max(ballot.deadline_at or now, now)
    ballot.deadline_at = start + timedelta(seconds=seconds)
    session.flush()
    return ballot
