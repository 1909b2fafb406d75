"""Meetings of a body."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from voting.actions.bodies import get_body
from voting.actions.errors import ActionError, NotFound
from voting.storage.models import Meeting


def create_meeting(
    session: Session, body_id: int, title: str, meeting_date: date | None = None, location: str | None = None
) -> Meeting:
    """A new meeting of the body, scheduled. Raises NotFound for an unknown body."""
    body = get_body(session, body_id)
    title = (title or "").strip()
    if not title:
        raise ActionError("invalid_title", _("The meeting needs a title."))
    meeting = Meeting(body=body, title=title, meeting_date=meeting_date, location=(location or "").strip() or None)
    session.add(meeting)
    session.flush()
    return meeting


def get_meeting(session: Session, meeting_id: int) -> Meeting:
    """The meeting, or NotFound."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound(_("No meeting with id %(id)s.", id=meeting_id))
    return meeting
