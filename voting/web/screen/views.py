"""Screen pages: the meeting's screen and its check-in QR image."""
from __future__ import annotations

import time

from flask import Response, abort, current_app, render_template, request
from flask_babel import gettext as _

from voting.actions.attendance import snapshot
from voting.actions.checkin import checkin_secret, checkin_url, screen_token_valid
from voting.actions.meetings import get_meeting
from voting.domain import checkin as codes
from voting.render.qr import qr_svg
from voting.web.screen import bp


def db():
    """The app's Database."""
    return current_app.extensions["voting.db"]


def _require_token(meeting_id: int) -> str:
    token = request.args.get("token", "")
    if not screen_token_valid(db(), meeting_id, token):
        abort(403)
    return token


@bp.get("/<int:meeting_id>")
def meeting_screen(meeting_id: int):
    """The hall screen: title, 应到/实到/请假/缺席, quorum, and the check-in QR while check-in is open."""
    token = _require_token(meeting_id)
    with db().session() as s:
        meeting = get_meeting(s, meeting_id)
        body_name = meeting.body.name
    return render_template(
        "screen/meeting.html",
        meeting=meeting,
        body_name=body_name,
        token=token,
        state=snapshot(db(), meeting_id),
        period_seconds=codes.PERIOD_SECONDS,
    )


@bp.get("/<int:meeting_id>/checkin-qr.svg")
def checkin_qr(meeting_id: int):
    """The QR image of a current check-in code (`code`): only this meeting's screen may draw it."""
    _require_token(meeting_id)
    code = request.args.get("code", "")
    if codes.verify(checkin_secret(), meeting_id, code, time.time()) != codes.OK:
        abort(404)
    response = Response(qr_svg(checkin_url(meeting_id, code)), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.app_template_global()
def screen_labels() -> dict:
    """Words the screen's script shows, in the page's language."""
    return {
        "quorum_met": _("Quorum present"),
        "quorum_not_met": _("Quorum not present"),
        "offline": _("Connection lost, reconnecting…"),
    }
