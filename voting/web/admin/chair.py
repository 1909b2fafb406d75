"""The chair's console (主持台): one tablet page to run a meeting's votes.

The agenda down the side; the ballot in hand in the middle: open it, give more
time, end it, put its result on the hall screen, go on to the next item. Every
button calls the same actions as the API and the clerk's ballot pages (commit,
then tell the hall), so the phones, the screen and every console see the same.
Chairs and clerks both use it. Creating a ballot stays on the clerk's form
(admin.ballot_new).
"""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from voting.actions import ballots as ballot_actions
from voting.actions import hall
from voting.actions.attendance import meeting_attendance
from voting.actions.ballots.agenda import meeting_ballots
from voting.actions.ballots.events import publish_ballot
from voting.actions.checkin import screen_token_for
from voting.actions.errors import ActionError
from voting.actions.meetings import get_meeting
from voting.realtime import current_version
from voting.realtime.ballots import BALLOT_CLOSED, BALLOT_EXTENDED, BALLOT_OPENED, ballot_stream
from voting.storage.ballots import Ballot
from voting.web.admin import bp
from voting.web.admin.attendance import screen_url
from voting.web.admin.helpers import db

QUICK_EXTENSIONS_S = (30, 60, 120)


def _focus(agenda: list[Ballot], wanted: int | None, on_screen: int | None) -> Ballot | None:
    """The ballot in hand: the open one, else the one asked for, else the result on the hall screen,
    else the next not yet voted, else the last."""
    for ballot in agenda:
        if ballot.status == "open":
            return ballot
    for candidate in (wanted, on_screen):
        for ballot in agenda:
            if ballot.id == candidate:
                return ballot
    for ballot in agenda:
        if ballot.status == "draft":
            return ballot
    return agenda[-1] if agenda else None


def _next_draft(agenda: list[Ballot], after: Ballot | None) -> Ballot | None:
    """The first ballot not yet voted on after `after` in agenda order (or from the start)."""
    seen = after is None
    for ballot in agenda:
        if seen and ballot.status == "draft":
            return ballot
        if after is not None and ballot.id == after.id:
            seen = True
    return next((b for b in agenda if b.status == "draft"), None)


@bp.get("/meetings/<int:meeting_id>/chair")
def chair(meeting_id: int):
    """The chair's console for a meeting (?ballot=<id> puts that ballot in hand when none is open)."""
    try:
        wanted = int(request.args.get("ballot", ""))
    except ValueError:
        wanted = None
    app = current_app._get_current_object()
    shown_mode, shown_id = hall.shown_ballot_id(app, meeting_id)
    with db().session() as s:
        meeting = get_meeting(s, meeting_id)
        body = meeting.body
        attendance = meeting_attendance(s, meeting_id)
        agenda = meeting_ballots(s, meeting_id)
        focus = _focus(agenda, wanted, shown_id)
        status = ballot_actions.ballot_status(s, focus) if focus is not None else None
        result = ballot_actions.ballot_result(focus) if focus is not None and focus.result_json else None
        runoff_id = (
            s.scalar(select(Ballot.id).where(Ballot.parent_ballot_id == focus.id)) if focus is not None else None
        )
        upcoming = _next_draft(agenda, focus)
        rows = [{"id": b.id, "title": b.title, "kind": b.kind, "status": b.status, "position": b.position}
                for b in agenda]
    token = screen_token_for(db(), meeting_id)
    return render_template(
        "admin/chair.html",
        meeting=meeting,
        body=body,
        attendance=attendance,
        agenda=rows,
        ballot=status,
        result=result,
        runoff_id=runoff_id,
        upcoming={"id": upcoming.id, "title": upcoming.title} if upcoming is not None and upcoming is not focus else None,
        shown={"mode": shown_mode, "ballot_id": shown_id},
        version=current_version(ballot_stream(focus.id)) if focus is not None else 0,
        extensions=QUICK_EXTENSIONS_S,
        screen_link=screen_url(meeting_id, token),
    )


def _back(meeting_id: int, ballot_id: int | None = None):
    return redirect(url_for("admin.chair", meeting_id=meeting_id, ballot=ballot_id), 303)


def _own_ballot(meeting_id: int, ballot_id: int) -> None:
    """404 unless the ballot belongs to this meeting (a form for one meeting cannot touch another's ballot)."""
    with db().session() as s:
        ballot = ballot_actions.get_ballot(s, ballot_id)
        if ballot.meeting_id != meeting_id:
            from werkzeug.exceptions import NotFound

            raise NotFound()


def _change(meeting_id: int, ballot_id: int, action, event: str, done: str, **kwargs) -> bool:
    """Run a stage change and announce it after the commit; flash what happened. Returns whether it worked."""
    _own_ballot(meeting_id, ballot_id)
    try:
        with db().transaction() as s:
            action(s, ballot_id, **kwargs)
    except ActionError as error:
        flash(error.message, "error")
        return False
    publish_ballot(event, ballot_id, meeting_id)
    flash(done, "success")
    return True


@bp.post("/meetings/<int:meeting_id>/chair/ballots/<int:ballot_id>/open")
def chair_open(meeting_id: int, ballot_id: int):
    """开始表决."""
    _change(meeting_id, ballot_id, ballot_actions.open_ballot, BALLOT_OPENED, _("Voting is open."))
    return _back(meeting_id, ballot_id)


@bp.post("/meetings/<int:meeting_id>/chair/ballots/<int:ballot_id>/extend")
def chair_extend(meeting_id: int, ballot_id: int):
    """延长 by the seconds of the button pressed."""
    try:
        seconds = int(request.form.get("seconds", ""))
    except ValueError:
        seconds = 0
    _change(meeting_id, ballot_id, ballot_actions.extend_ballot, BALLOT_EXTENDED,
            _("Extended by %(n)d seconds.", n=seconds), seconds=seconds)
    return _back(meeting_id, ballot_id)


@bp.post("/meetings/<int:meeting_id>/chair/ballots/<int:ballot_id>/close")
def chair_close(meeting_id: int, ballot_id: int):
    """结束表决: the result is decided, shown on the screen, and certification is queued."""
    if _change(meeting_id, ballot_id, ballot_actions.close_ballot, BALLOT_CLOSED, _("Voting has ended.")):
        hook = current_app.extensions.get("voting.after_close")
        if hook is not None:
            hook(ballot_id)
    return _back(meeting_id, ballot_id)


@bp.post("/meetings/<int:meeting_id>/chair/screen")
def chair_screen(meeting_id: int):
    """What the hall screen shows: a closed ballot's result (ballot_id) or the attendance board."""
    mode = request.form.get("mode", "")
    try:
        ballot_id = int(request.form["ballot_id"]) if request.form.get("ballot_id") else None
    except ValueError:
        ballot_id = None
    with db().session() as s:
        get_meeting(s, meeting_id)
    try:
        hall.show(meeting_id, mode, ballot_id)
    except ValueError:
        flash(_("Only a closed ballot of this meeting can be shown."), "error")
    else:
        flash(_("The hall screen shows the result.") if mode == hall.BALLOT else
              _("The hall screen shows the attendance."), "success")
    return _back(meeting_id, ballot_id)


@bp.post("/meetings/<int:meeting_id>/chair/next")
def chair_next(meeting_id: int):
    """下一项: the screen goes back to the attendance board and the next ballot not yet voted is in hand."""
    try:
        after = int(request.form.get("after", ""))
    except ValueError:
        after = None
    with db().session() as s:
        get_meeting(s, meeting_id)
        agenda = meeting_ballots(s, meeting_id)
        if any(b.status == "open" for b in agenda):
            flash(_("End the open vote first."), "error")
            return _back(meeting_id)
        current = next((b for b in agenda if b.id == after), None)
        upcoming = _next_draft(agenda, current)
    hall.show(meeting_id, hall.ATTENDANCE)
    if upcoming is None:
        flash(_("No more votes on the agenda."), "info")
        return _back(meeting_id, after)
    return _back(meeting_id, upcoming.id)
