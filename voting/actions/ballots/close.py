"""Close a ballot: seal the box, freeze attendance, decide the result."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from voting.actions.attendance import meeting_attendance
from voting.actions.ballots.read import get_ballot, item_ids, rules_of
from voting.actions.errors import ActionError
from voting.domain.outcomes import decide
from voting.domain.tally import count
from voting.storage.ballot_box import canonical, seal
from voting.storage.ballots import Ballot, Participation
from voting.domain.attendance import PRESENT
from voting.domain.roster import counts_in_roster
from voting.storage.models import Attendance, Representative, utcnow


def _present_ids(session: Session, ballot: Ballot) -> set[int]:
    """Roster members marked present at the ballot's meeting."""
    counted = ballot.meeting.body.is_suspended_counted
    rows = session.execute(
        select(Attendance.representative_id, Representative.status)
        .join(Representative, Representative.id == Attendance.representative_id)
        .where(Attendance.meeting_id == ballot.meeting_id, Attendance.status == PRESENT)
    )
    return {rep_id for rep_id, status in rows if counts_in_roster(status, counted)}


def close_ballot(session: Session, ballot_id: int, now: datetime | None = None) -> Ballot:
    """Close an open ballot and store its result. The caller commits, then announces and certifies.

    The exclusive row lock waits for votes already being written (they hold a
    shared lock), so every acknowledged vote is in the count and none comes after.
    Raises ActionError (409) unless the ballot is open.
    """
    now = now or utcnow()
    ballot = get_ballot(session, ballot_id, lock=True)
    if ballot.status != "open":
        raise ActionError("not_open", _("Only an open ballot can be closed."), 409)
    rules = rules_of(ballot)
    ballots = seal(session, ballot.id)
    tally = count(ballot.kind, rules, item_ids(ballot), ballots)
    attendance = meeting_attendance(session, ballot.meeting_id)
    voters = set(session.scalars(select(Participation.representative_id).where(Participation.ballot_id == ballot.id)))
    # A voter who was marked away after voting still counts as present for this ballot.
    present = len(_present_ids(session, ballot) | voters)
    if len(voters) != tally.cast:
        # The box and the roll of voters must agree; refuse to announce anything else.
        raise ActionError(
            "box_mismatch", _("The ballot box does not match the list of voters; the ballot stays open."), 500
        )
    result = decide(
        ballot.kind,
        rules,
        [(item.id, item.title) for item in ballot.items],
        tally,
        expected=attendance.summary.expected,
        present=present,
        body_kind=ballot.meeting.body.kind,
    )
    ballot.status = "closed"
    ballot.closed_at = now
    ballot.expected_at_close = attendance.summary.expected
    ballot.present_at_close = present
    ballot.on_leave_at_close = min(attendance.summary.on_leave, attendance.summary.expected - present)
    ballot.result_json = canonical(result.to_dict())
    session.flush()
    return ballot
