"""The clerk's attendance desk for a meeting: counts, check-in on/off, the hall-screen link,
leave decisions, marking people by hand, and scanning cards at the desk."""
from __future__ import annotations

from flask import flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from voting.actions import attendance as attendance_actions
from voting.actions import checkin as checkin_actions
from voting.actions import leave as leave_actions
from voting.actions.attendance_records import body_records, method_label
from voting.actions.errors import ActionError
from voting.domain.attendance import ATTENDANCE_STATUSES
from voting.web.admin import bp
from voting.web.admin.helpers import db, safe_console_url

FILTERS = ("", "present", "on_leave", "absent", "pending")


def _back(meeting_id: int) -> str:
    return safe_console_url(request.form.get("back"), url_for("admin.meeting_attendance", meeting_id=meeting_id))


def screen_url(meeting_id: int, token: str | None) -> str | None:
    """The absolute link the hall's display computer opens."""
    if not token:
        return None
    return f"{checkin_actions.public_base_url()}{url_for('screen.meeting_screen', meeting_id=meeting_id, token=token)}"


def _matches(line, status: str, q: str, group: int | None) -> bool:
    if status == "pending":
        if line.leave_status != "requested":
            return False
    elif status and (line.status or "absent") != status:
        return False
    if group is not None and line.representative.group_id != group:
        return False
    if q and q not in line.representative.name and q != line.representative.number:
        return False
    return True


@bp.get("/meetings/<int:meeting_id>/attendance")
def meeting_attendance(meeting_id: int):
    """The desk: counts and quorum, check-in, screen link, pending leave, and everyone's status."""
    status = request.args.get("status", "")
    status = status if status in FILTERS else ""
    q = request.args.get("q", "").strip()
    try:
        group = int(request.args["group"]) if request.args.get("group") else None
    except ValueError:
        group = None
    with db().session() as s:
        found = attendance_actions.meeting_attendance(s, meeting_id)
        meeting = found.meeting
        body = meeting.body
        groups = list(body.groups)
        lines = attendance_actions.attendance_lines(s, meeting)
        pending = [line for line in lines if line.leave_status == "requested"]
        _body, _meetings, records = body_records(s, body.id)
    warnings = {r.id: (r.warning, r.absent) for r in records if r.warning}
    shown = [line for line in lines if _matches(line, status, q, group)]
    token = checkin_actions.screen_token_for(db(), meeting_id)
    return render_template(
        "admin/attendance.html",
        meeting=meeting,
        body=body,
        groups=groups,
        found=found,
        lines=shown,
        total=len(lines),
        pending=pending,
        warnings=warnings,
        filters={"status": status, "q": q, "group": group},
        screen_link=screen_url(meeting_id, token),
        method_label=method_label,
    )


@bp.post("/meetings/<int:meeting_id>/attendance/<int:representative_id>")
def mark_attendance(meeting_id: int, representative_id: int):
    """Mark one representative present, absent or on leave (with a reason)."""
    status = request.form.get("status", "")
    try:
        if status not in ATTENDANCE_STATUSES:
            raise ActionError("invalid_status", _("The status must be present, absent or on_leave."))
        attendance_actions.set_attendance(
            db(), meeting_id, representative_id, status, request.form.get("reason"), g.staff.id
        )
    except ActionError as error:
        flash(error.message, "error")
    return redirect(_back(meeting_id))


def _set_checkin(meeting_id: int, is_open: bool):
    try:
        checkin_actions.set_checkin_open(db(), meeting_id, is_open)
    except ActionError as error:
        flash(error.message, "error")
    else:
        flash(_("Check-in is open.") if is_open else _("Check-in is closed."), "success")
    return redirect(_back(meeting_id))


@bp.post("/meetings/<int:meeting_id>/checkin/open")
def open_checkin(meeting_id: int):
    """Open room check-in: the hall screen shows its rotating code."""
    return _set_checkin(meeting_id, True)


@bp.post("/meetings/<int:meeting_id>/checkin/close")
def close_checkin(meeting_id: int):
    """Close room check-in: codes are refused; the desk still works."""
    return _set_checkin(meeting_id, False)


@bp.post("/meetings/<int:meeting_id>/screen-link")
def renew_screen_link(meeting_id: int):
    """Make a new hall-screen link; the previous one stops working."""
    checkin_actions.screen_token_for(db(), meeting_id, renew=True)
    flash(_("A new screen link was made. Open it on the hall's display computer; the old link no longer works."),
          "success")
    return redirect(_back(meeting_id))


def _decide(leave_id: int, approve: bool):
    with db().session() as s:
        meeting_id = leave_actions.get_leave(s, leave_id).meeting_id
    try:
        leave_actions.decide_leave(db(), leave_id, approve, g.staff.id, request.form.get("note"))
    except ActionError as error:
        flash(error.message, "error")
    else:
        flash(_("Leave approved.") if approve else _("Leave declined."), "success")
    return redirect(_back(meeting_id))


@bp.post("/leave/<int:leave_id>/approve")
def approve_leave(leave_id: int):
    """Approve a leave request: the representative counts as 请假."""
    return _decide(leave_id, True)


@bp.post("/leave/<int:leave_id>/decline")
def decline_leave(leave_id: int):
    """Decline a leave request: without check-in the representative counts as 缺席."""
    return _decide(leave_id, False)


@bp.post("/leave/<int:leave_id>/cancel")
def cancel_leave(leave_id: int):
    """销假 for someone at the desk."""
    with db().session() as s:
        meeting_id = leave_actions.get_leave(s, leave_id).meeting_id
    try:
        leave_actions.cancel_leave(db(), leave_id, user_id=g.staff.id)
    except ActionError as error:
        flash(error.message, "error")
    else:
        flash(_("Leave cancelled."), "success")
    return redirect(_back(meeting_id))


def _login_code_from(scanned: str) -> str:
    """The login code in whatever the scanner read: a /r/<code> URL or the bare code."""
    text = (scanned or "").strip()
    if "/r/" in text:
        text = text.rsplit("/r/", 1)[1]
    return text.split("?", 1)[0].split("#", 1)[0].strip("/ ")


@bp.route("/meetings/<int:meeting_id>/desk-scan", methods=["GET", "POST"])
def desk_scan(meeting_id: int):
    """Check people in by scanning their card: the tablet's camera, a handheld scanner, or typing.

    A JSON request (from the camera page's script) gets a JSON answer; the
    plain form gets the page again with the result.
    """
    with db().session() as s:
        found = attendance_actions.meeting_attendance(s, meeting_id)
        meeting, body = found.meeting, found.meeting.body
    result = None
    if request.method == "POST":
        payload = request.get_json(silent=True) if request.is_json else request.form
        code = _login_code_from((payload or {}).get("scanned", ""))
        try:
            changed, name = checkin_actions.check_in_by_card(db(), meeting_id, code, g.staff.id)
        except ActionError as error:
            result = {"ok": False, "message": error.message}
        else:
            message = (_("%(name)s is checked in.", name=name) if changed
                       else _("%(name)s was already checked in.", name=name))
            result = {"ok": True, "name": name, "changed": changed, "message": message}
        if request.is_json:
            return jsonify(result), 200 if result["ok"] else 422
    return render_template("admin/desk_scan.html", meeting=meeting, body=body, found=found, result=result)


@bp.app_template_global()
def meeting_attendance_summary(meeting_id: int):
    """For templates (the meeting page): the meeting's counts, quorum and check-in state."""
    with db().session() as s:
        found = attendance_actions.meeting_attendance(s, meeting_id)
    return found
