"""Overviews for the console: all bodies with their head counts, meetings newest first."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from voting.actions.bodies import roster_count
from voting.storage.models import Body, Meeting, Representative


@dataclass(frozen=True)
class BodySummary:
    """A body with 应到 (`expected`), everyone on file (`on_file`) and its number of meetings."""

    body: Body
    expected: int
    on_file: int
    meetings: int


def list_bodies(session: Session) -> list[BodySummary]:
    """Every body, people's congresses before their standing committees, newest term first."""
    bodies = session.scalars(
        select(Body).options(selectinload(Body.groups)).order_by(Body.term.desc().nulls_last(), Body.kind, Body.name)
    ).all()
    on_file = dict(
        session.execute(select(Representative.body_id, func.count()).group_by(Representative.body_id)).all()
    )
    meetings = dict(session.execute(select(Meeting.body_id, func.count()).group_by(Meeting.body_id)).all())
    return [
        BodySummary(body=b, expected=roster_count(session, b), on_file=on_file.get(b.id, 0), meetings=meetings.get(b.id, 0))
        for b in bodies
    ]


def list_meetings(session: Session, body_id: int | None = None) -> list[Meeting]:
    """Meetings (of one body, or of all), latest date first; undated ones last, newest created first."""
    query = select(Meeting).options(joinedload(Meeting.body))
    if body_id is not None:
        query = query.where(Meeting.body_id == body_id)
    return list(
        session.scalars(
            query.order_by(Meeting.meeting_date.desc().nulls_last(), Meeting.created_at.desc(), Meeting.id.desc())
        ).all()
    )
