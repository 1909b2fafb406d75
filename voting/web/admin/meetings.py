"""Console pages for meetings: the list (all, or one body's), creating one, a meeting's page."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from voting.actions.bodies import get_body, roster_count
from voting.actions.errors import ActionError
from voting.actions.listings import list_meetings
from voting.actions.meetings import create_meeting, get_meeting
from voting.web.admin import bp
from voting.web.admin.forms import MeetingForm
from voting.web.admin.helpers import db


@bp.get("/meetings")
def meetings():
    """Every meeting of every body, latest first."""
    with db().session() as s:
        found = list_meetings(s)
    return render_template("admin/meetings.html", meetings=found, body=None)


@bp.get("/bodies/<int:body_id>/meetings")
def body_meetings(body_id: int):
    """One body's meetings, latest first."""
    with db().session() as s:
        body = get_body(s, body_id)
        found = list_meetings(s, body_id)
    return render_template("admin/meetings.html", meetings=found, body=body)


@bp.route("/bodies/<int:body_id>/meetings/new", methods=["GET", "POST"])
def meeting_new(body_id: int):
    """Create a meeting of the body (title, date, place)."""
    with db().session() as s:
        body = get_body(s, body_id)
    form = MeetingForm()
    if form.validate_on_submit():
        try:
            with db().transaction() as s:
                meeting = create_meeting(s, body_id, form.title.data, form.meeting_date.data, form.location.data)
                meeting_id = meeting.id
        except ActionError as error:
            form.title.errors.append(error.message)
        else:
            flash(_("Created the meeting %(title)s.", title=form.title.data.strip()), "success")
            return redirect(url_for("admin.meeting", meeting_id=meeting_id))
    return render_template("admin/meeting_form.html", form=form, body=body), 422 if form.errors else 200


@bp.get("/meetings/<int:meeting_id>")
def meeting(meeting_id: int):
    """A meeting: its particulars, then attendance and agenda (filled in by later versions)."""
    with db().session() as s:
        found = get_meeting(s, meeting_id)
        body = found.body
        expected = roster_count(s, body)
    return render_template("admin/meeting.html", meeting=found, body=body, expected=expected)
