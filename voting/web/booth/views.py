"""Booth pages: card log-in, the phone's home page, room check-in and leave."""
from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from voting.actions.attendance import current_meeting_for, representative_status
from voting.actions.checkin import check_in_with_code
from voting.actions.errors import ActionError
from voting.actions.leave import cancel_leave, latest_leave, request_leave
from voting.actions.representative_login import log_in_phone
from voting.extensions import limiter
from voting.storage.models import MeetingCheckin
from voting.web.booth import bp, identity, links

# Only failed guesses count, so a hall of phones behind one address can all log in.
LOGIN_GUESS_LIMIT = "20 per minute"
PENDING_CHECKIN_KEY = "pending_checkin"  # a check-in link opened before logging in


def db():
    """The app's Database."""
    return current_app.extensions["voting.db"]


def _failed(response) -> bool:
    return response.status_code >= 400


@links.get("/r/<login_code>")
@limiter.limit(LOGIN_GUESS_LIMIT, deduct_when=_failed)
def card_login(login_code: str):
    """The card's QR code: log this phone in as the card's representative, then go home."""
    try:
        with db().session() as s:
            rep, who = log_in_phone(s, login_code)
            name = rep.name
    except ActionError as error:
        identity.forget()
        return render_template("booth/message.html", title=_("Card not valid"), message=error.message,
                               kind="error"), 404
    identity.remember(who)
    flash(_("Welcome, %(name)s. This phone is now logged in as you.", name=name), "success")
    pending = session.pop(PENDING_CHECKIN_KEY, None)
    if isinstance(pending, str) and pending.startswith("/c/"):
        return redirect(pending)
    return redirect(url_for("booth.home"))


@bp.get("/")
def home():
    """Who is logged in, the current meeting, their attendance and the leave form."""
    rep = g.representative
    if rep is None:
        return render_template("booth/login_needed.html"), 200
    with db().session() as s:
        meeting = current_meeting_for(s, rep)
        record = leave = None
        is_checkin_open = False
        if meeting is not None:
            record = representative_status(s, meeting.id, rep.id)
            leave = latest_leave(s, meeting.id, rep.id)
            state = s.get(MeetingCheckin, meeting.id)
            is_checkin_open = bool(state and state.is_open)
    return render_template(
        "booth/home.html", rep=rep, meeting=meeting, record=record, leave=leave, is_checkin_open=is_checkin_open
    )


@bp.post("/logout")
def logout():
    """Log this phone out (someone else's phone, or a shared one)."""
    identity.forget()
    return redirect(url_for("booth.home"))


def _meeting_id_from_form() -> int | None:
    try:
        return int(request.form.get("meeting_id", ""))
    except ValueError:
        return None


@bp.post("/leave")
def leave_request():
    """Ask for leave from the current meeting, with a reason."""
    rep = g.representative
    if rep is None:
        return redirect(url_for("booth.home"))
    meeting_id = _meeting_id_from_form()
    if meeting_id is None:
        flash(_("Please choose a meeting."), "error")
        return redirect(url_for("booth.home"))
    try:
        request_leave(db(), meeting_id, rep.id, request.form.get("reason", ""))
    except ActionError as error:
        flash(error.message, "error")
    else:
        flash(_("Your leave request has been sent. The meeting staff will decide on it."), "success")
    return redirect(url_for("booth.home"))


@bp.post("/leave/<int:leave_id>/cancel")
def leave_cancel(leave_id: int):
    """销假: withdraw a request, or end approved leave on arrival."""
    rep = g.representative
    if rep is None:
        return redirect(url_for("booth.home"))
    try:
        cancel_leave(db(), leave_id, representative_id=rep.id)
    except ActionError as error:
        flash(error.message, "error")
    else:
        flash(_("Your leave has been cancelled. Scan the hall screen's code to check in."), "success")
    return redirect(url_for("booth.home"))


@links.get("/c/<int:meeting_id>/<code>")
def checkin(meeting_id: int, code: str):
    """The hall screen's QR code: check the logged-in representative in to the meeting."""
    rep = g.representative
    if rep is None:
        # Remember the link: after scanning the card, the phone comes straight back here.
        session[PENDING_CHECKIN_KEY] = request.path
        return render_template(
            "booth/message.html",
            title=_("Please log in first"),
            message=_("This phone is not logged in. Scan the QR code on your representative card first, "
                      "then scan the hall screen's code again."),
            kind="error",
        ), 401
    try:
        changed = check_in_with_code(db(), meeting_id, rep.id, code)
    except ActionError as error:
        titles = {
            "code_expired": _("Code expired"),
            "code_for_other_meeting": _("Code of another meeting"),
            "invalid_code": _("Not a check-in code"),
            "checkin_closed": _("Check-in is not open"),
            "not_on_roster": _("Not on this meeting's roster"),
            "meeting_closed": _("Meeting closed"),
            "not_found": _("No such meeting"),
        }
        return render_template(
            "booth/message.html", title=titles.get(error.code, _("Check-in failed")), message=error.message,
            kind="error", show_home=True,
        ), error.status
    with db().session() as s:
        from voting.actions.meetings import get_meeting

        meeting_title = get_meeting(s, meeting_id).title
    return render_template(
        "booth/message.html",
        title=_("Checked in") if changed else _("Already checked in"),
        message=_("%(name)s, you are checked in to %(meeting)s.", name=rep.name, meeting=meeting_title),
        kind="success",
        show_home=True,
    )
