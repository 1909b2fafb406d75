"""What the hall screen shows: GET /api/v1/meetings/{id}/screen and PUT it (the chair's "show on screen")."""
from __future__ import annotations

import marshmallow as ma
from flask import current_app
from flask_babel import gettext as _
from flask_smorest import Blueprint
from marshmallow import validate

from voting.actions import hall
from voting.actions.errors import ActionError
from voting.actions.meetings import get_meeting
from voting.web.api.attendance import SCREEN_SECURITY, require_staff_or_screen
from voting.web.api.schemas import StrictSchema
from voting.web.api.security import SECURITY, STAFF, db, requires

URL_PREFIX = "/meetings"
blp = Blueprint("api_screen", __name__, description="The hall screen: what it shows")


class DisplayIn(StrictSchema):
    mode = ma.fields.String(required=True, validate=validate.OneOf((hall.ATTENDANCE, hall.BALLOT)),
                            metadata={"description": "attendance: the attendance board; ballot: a closed ballot's result"})
    ballot_id = ma.fields.Integer(load_default=None, allow_none=True, strict=True)


class DisplayOut(ma.Schema):
    mode = ma.fields.String()
    ballot_id = ma.fields.Integer(allow_none=True)


class ScreenOut(ma.Schema):
    meeting_id = ma.fields.Integer()
    version = ma.fields.Integer(metadata={"description": "grows with every change the chair makes"})
    display = ma.fields.Nested(DisplayOut)
    ballot = ma.fields.Dict(allow_none=True, metadata={"description": "the shown ballot's state (as ballot.* events)"})


@blp.route("/<int:meeting_id>/screen", methods=["GET"])
@blp.doc(security=SCREEN_SECURITY)
@blp.response(200, ScreenOut)
def get_screen(meeting_id):
    """What the hall screen shows now: an open ballot, a closed ballot's result, or the attendance board."""
    require_staff_or_screen(meeting_id)
    with db().session() as session:
        get_meeting(session, meeting_id)
    return hall.hall_snapshot(current_app._get_current_object(), meeting_id)


@blp.route("/<int:meeting_id>/screen", methods=["PUT"])
@blp.doc(security=SECURITY)
@requires(*STAFF)
@blp.arguments(DisplayIn)
@blp.response(200, ScreenOut)
def put_screen(payload, meeting_id):
    """Show a closed ballot's result, or the attendance board. An open ballot stays up until it is closed."""
    with db().session() as session:
        get_meeting(session, meeting_id)
    try:
        return hall.show(meeting_id, payload["mode"], payload.get("ballot_id"))
    except ValueError:
        raise ActionError("not_showable", _("Only a closed ballot of this meeting can be shown."), 409) from None
