"""Meetings: /api/v1/meetings."""
from __future__ import annotations

import marshmallow as ma
from flask_smorest import Blueprint

from voting.actions import meetings as meeting_actions
from voting.web.api.schemas import StrictSchema, text
from voting.web.api.security import SECURITY, STAFF, db, requires

URL_PREFIX = "/meetings"
blp = Blueprint("api_meetings", __name__, description="Meetings")


class MeetingCreate(StrictSchema):
    body_id = ma.fields.Integer(required=True, strict=True)
    title = text(300)
    date = ma.fields.Date(load_default=None, allow_none=True)
    location = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(max=200))


class MeetingOut(ma.Schema):
    id = ma.fields.Integer()
    body_id = ma.fields.Integer()
    title = ma.fields.String()
    date = ma.fields.Date(allow_none=True)
    location = ma.fields.String(allow_none=True)
    status = ma.fields.String()


def meeting_json(meeting) -> dict:
    return {
        "id": meeting.id,
        "body_id": meeting.body_id,
        "title": meeting.title,
        "date": meeting.meeting_date,
        "location": meeting.location,
        "status": meeting.status,
    }


@blp.route("", methods=["POST"])
@blp.doc(security=SECURITY)
@requires(*STAFF)
@blp.arguments(MeetingCreate)
@blp.response(201, MeetingOut)
def create_meeting(payload):
    """Set up a meeting of a body."""
    with db().transaction() as session:
        meeting = meeting_actions.create_meeting(
            session, payload["body_id"], payload["title"], payload["date"], payload["location"]
        )
        return meeting_json(meeting)


@blp.route("/<int:meeting_id>", methods=["GET"])
@blp.doc(security=SECURITY)
@requires(*STAFF)
@blp.response(200, MeetingOut)
def get_meeting(meeting_id):
    """One meeting."""
    with db().session() as session:
        return meeting_json(meeting_actions.get_meeting(session, meeting_id))
