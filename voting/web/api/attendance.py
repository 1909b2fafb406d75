"""Attendance, room check-in and leave: /api/v1/meetings/{id}/attendance, /checkin..., /leave-requests.

The hall screen calls checkin-code and attendance with its screen token
(header X-Screen-Token, or ?screen_token=) instead of a bearer token.
"""
from __future__ import annotations

import marshmallow as ma
from flask import request
from flask_babel import gettext as _
from flask_smorest import Blueprint
from marshmallow import validate

from voting.actions import attendance as attendance_actions
from voting.actions import checkin as checkin_actions
from voting.actions import leave as leave_actions
from voting.actions.errors import ActionError
from voting.domain.attendance import ATTENDANCE_STATUSES
from voting.web.api.schemas import StrictSchema, text
from voting.web.api.security import SECURITY, STAFF, current_principal, db, requires

URL_PREFIX = "/meetings"
blp = Blueprint("api_attendance", __name__, description="Attendance, check-in (签到) and quorum")
leave_blp = Blueprint("api_leave", __name__, description="Leave requests (请假 / 销假)")
LEAVE_URL_PREFIX = "/leave-requests"

CLERK = ("clerk",)
SCREEN_TOKEN_HEADER = "X-Screen-Token"
SCREEN_SECURITY = [{"bearerAuth": []}, {"screenToken": []}]


class QuorumOut(ma.Schema):
    required = ma.fields.Integer(metadata={"description": "法定人数: how many must be present"})
    met = ma.fields.Boolean()


class AttendanceOut(ma.Schema):
    meeting_id = ma.fields.Integer()
    expected = ma.fields.Integer(metadata={"description": "应到: the body's current roster"})
    present = ma.fields.Integer(metadata={"description": "实到"})
    on_leave = ma.fields.Integer(metadata={"description": "请假 (approved leave)"})
    absent = ma.fields.Integer(metadata={"description": "缺席: no leave and no check-in"})
    quorum = ma.fields.Nested(QuorumOut)
    is_checkin_open = ma.fields.Boolean()
    pending_leave = ma.fields.Integer(metadata={"description": "leave requests awaiting a decision"})


class AttendanceSet(StrictSchema):
    status = ma.fields.String(required=True, validate=validate.OneOf(ATTENDANCE_STATUSES))
    reason = ma.fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))


class AttendanceSetOut(ma.Schema):
    representative_id = ma.fields.Integer()
    status = ma.fields.String()


class CheckinCodeOut(ma.Schema):
    code = ma.fields.String()
    url = ma.fields.String(metadata={"description": "what the screen's QR code encodes: /c/<meeting_id>/<code>"})
    expires_in = ma.fields.Integer(metadata={"description": "seconds until the code is refused"})
    refresh_in = ma.fields.Integer(metadata={"description": "seconds until the screen should show the next code"})


class CheckinIn(StrictSchema):
    code = text(100)


class CheckinOut(ma.Schema):
    status = ma.fields.String()
    changed = ma.fields.Boolean(metadata={"description": "false when already checked in"})


class CheckinStateOut(ma.Schema):
    is_open = ma.fields.Boolean()


class LeaveIn(StrictSchema):
    reason = text(500)


class LeaveDecisionIn(StrictSchema):
    note = ma.fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))


class LeaveOut(ma.Schema):
    id = ma.fields.Integer()
    meeting_id = ma.fields.Integer()
    representative_id = ma.fields.Integer()
    status = ma.fields.String()
    reason = ma.fields.String()


def _screen_token() -> str | None:
    return request.headers.get(SCREEN_TOKEN_HEADER) or request.args.get("screen_token")


def require_staff_or_screen(meeting_id: int) -> None:
    """Let a clerk or chair (bearer token), or this meeting's hall screen (screen token), through."""
    principal = current_principal()
    if principal is not None and principal.role in STAFF:
        return
    if checkin_actions.screen_token_valid(db(), meeting_id, _screen_token()):
        return
    if principal is not None:
        raise ActionError("forbidden", _("Your account may not do this."), 403)
    raise ActionError("unauthorized", _("A valid access token or screen token is required."), 401)


def _staff_user_id() -> int | None:
    principal = current_principal()
    return principal.user_id if principal else None


@blp.route("/<int:meeting_id>/attendance", methods=["GET"])
@blp.doc(security=SCREEN_SECURITY)
@blp.response(200, AttendanceOut)
def get_attendance(meeting_id):
    """应到 / 实到 / 请假 / 缺席 and whether the quorum (法定人数) is met."""
    require_staff_or_screen(meeting_id)
    with db().session() as session:
        return attendance_actions.attendance_json(attendance_actions.meeting_attendance(session, meeting_id))


@blp.route("/<int:meeting_id>/attendance/<int:representative_id>", methods=["PUT"])
@blp.doc(security=SECURITY)
@requires(*CLERK)
@blp.arguments(AttendanceSet)
@blp.response(200, AttendanceSetOut)
def set_attendance(payload, meeting_id, representative_id):
    """The clerk's desk: mark someone present, absent or on leave, with a reason."""
    status = attendance_actions.set_attendance(
        db(), meeting_id, representative_id, payload["status"], payload["reason"], _staff_user_id()
    )
    return {"representative_id": representative_id, "status": status}


@blp.route("/<int:meeting_id>/checkin-code", methods=["GET"])
@blp.doc(security=SCREEN_SECURITY)
@blp.response(200, CheckinCodeOut)
def get_checkin_code(meeting_id):
    """The rotating check-in code the hall screen shows (a new one every 30 seconds)."""
    require_staff_or_screen(meeting_id)
    issued = checkin_actions.current_code(db(), meeting_id)
    return {"code": issued.code, "url": issued.url, "expires_in": issued.expires_in, "refresh_in": issued.refresh_in}


@blp.route("/<int:meeting_id>/checkin", methods=["POST"])
@blp.doc(security=SECURITY)
@requires("representative")
@blp.arguments(CheckinIn)
@blp.response(200, CheckinOut)
def check_in(payload, meeting_id):
    """A representative checks in with the code scanned from the hall screen. Twice is harmless."""
    changed = checkin_actions.check_in_with_code(
        db(), meeting_id, current_principal().representative_id, payload["code"]
    )
    return {"status": "present", "changed": changed}


@blp.route("/<int:meeting_id>/checkin/open", methods=["POST"])
@blp.doc(security=SECURITY)
@requires(*CLERK)
@blp.response(200, CheckinStateOut)
def open_checkin(meeting_id):
    """Open room check-in for the sitting: the screen starts showing codes."""
    return {"is_open": checkin_actions.set_checkin_open(db(), meeting_id, True)}


@blp.route("/<int:meeting_id>/checkin/close", methods=["POST"])
@blp.doc(security=SECURITY)
@requires(*CLERK)
@blp.response(200, CheckinStateOut)
def close_checkin(meeting_id):
    """Close room check-in: codes are refused; the desk can still mark people."""
    return {"is_open": checkin_actions.set_checkin_open(db(), meeting_id, False)}


def _leave_json(leave) -> dict:
    return {
        "id": leave.id,
        "meeting_id": leave.meeting_id,
        "representative_id": leave.representative_id,
        "status": leave.status,
        "reason": leave.reason,
    }


@blp.route("/<int:meeting_id>/leave-requests", methods=["POST"])
@blp.doc(security=SECURITY)
@requires("representative")
@blp.arguments(LeaveIn)
@blp.response(201, LeaveOut)
def create_leave_request(payload, meeting_id):
    """A representative asks for leave from the meeting (请假)."""
    leave_id = leave_actions.request_leave(db(), meeting_id, current_principal().representative_id, payload["reason"])
    with db().session() as session:
        return _leave_json(leave_actions.get_leave(session, leave_id))


@blp.route("/<int:meeting_id>/leave-requests", methods=["GET"])
@blp.doc(security=SECURITY)
@requires(*STAFF)
@blp.response(200, LeaveOut(many=True))
def list_leave_requests(meeting_id):
    """Leave requests waiting for a decision."""
    with db().session() as session:
        return [_leave_json(leave) for leave in leave_actions.pending_requests(session, meeting_id)]


@leave_blp.route("/<int:leave_id>/approve", methods=["POST"])
@leave_blp.doc(security=SECURITY)
@requires(*CLERK)
@leave_blp.arguments(LeaveDecisionIn)
@leave_blp.response(200, LeaveOut)
def approve_leave(payload, leave_id):
    """Approve a leave request: the representative counts as 请假."""
    leave_actions.decide_leave(db(), leave_id, True, _staff_user_id(), payload["note"])
    with db().session() as session:
        return _leave_json(leave_actions.get_leave(session, leave_id))


@leave_blp.route("/<int:leave_id>/decline", methods=["POST"])
@leave_blp.doc(security=SECURITY)
@requires(*CLERK)
@leave_blp.arguments(LeaveDecisionIn)
@leave_blp.response(200, LeaveOut)
def decline_leave(payload, leave_id):
    """Decline a leave request: without check-in the representative counts as 缺席."""
    leave_actions.decide_leave(db(), leave_id, False, _staff_user_id(), payload["note"])
    with db().session() as session:
        return _leave_json(leave_actions.get_leave(session, leave_id))


@leave_blp.route("/<int:leave_id>/cancel", methods=["POST"])
@leave_blp.doc(security=SECURITY)
@requires("representative", *CLERK)
@leave_blp.response(200, LeaveOut)
def cancel_leave(leave_id):
    """销假: the representative (their own request) or a clerk cancels a request or approved leave."""
    principal = current_principal()
    leave_actions.cancel_leave(
        db(), leave_id, representative_id=principal.representative_id, user_id=principal.user_id
    )
    with db().session() as session:
        return _leave_json(leave_actions.get_leave(session, leave_id))
