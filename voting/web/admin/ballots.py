"""Console pages for ballots: create one on a meeting's agenda; open, extend, close; the result; a run-off.

Every change commits first, then tells the hall (ballot.* events to the
meeting's room), exactly as the API does.
"""
from __future__ import annotations

from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from voting.actions import ballots as ballot_actions
from voting.actions.ballots.agenda import meeting_ballots
from voting.actions.ballots.events import ballot_payload, publish_ballot
from voting.actions.errors import ActionError
from voting.actions.meetings import get_meeting
from voting.domain.ballots import KINDS, MOTION
from voting.realtime import current_version
from voting.realtime.ballots import BALLOT_CLOSED, BALLOT_EXTENDED, BALLOT_OPENED, ballot_stream
from voting.storage.ballots import Ballot
from voting.web import ballot_labels
from voting.web.admin import bp
from voting.web.admin.ballot_forms import ERROR_FIELDS, BallotForm
from voting.web.admin.helpers import db

EXTENSIONS_S = (30, 60, 120, 300)

bp.record_once(lambda state: ballot_labels.register(state.app))


@bp.app_template_filter("ranked")
def ranked(items: list[dict]) -> list[dict]:
    """A selection's result lines by rank (ties keep agenda order), those below the threshold last."""
    order = {id(item): index for index, item in enumerate(items)}
    return sorted(items, key=lambda item: (item["rank"] is None, item["rank"] or 0, order[id(item)]))


@bp.route("/meetings/<int:meeting_id>/ballots/new", methods=["GET", "POST"])
def ballot_new(meeting_id: int):
    """Put a ballot on the agenda: kind (a tab), title, items one per line, and its rules."""
    kind = request.form.get("kind") or request.args.get("kind") or MOTION
    if kind not in KINDS:
        kind = MOTION
    with db().session() as s:
        meeting = get_meeting(s, meeting_id)
        body = meeting.body
    form = BallotForm(kind=kind)
    form_error = None
    if form.validate_on_submit():
        try:
            with db().transaction() as s:
                ballot = ballot_actions.create_ballot(
                    s, meeting_id, form.kind.data, form.title.data, form.item_titles(), form.rules()
                )
                ballot_id, count = ballot.id, len(ballot.items)
        except ActionError as error:
            target = ERROR_FIELDS.get(error.code)
            if target:
                getattr(form, target).errors.append(error.message)
            else:
                form_error = error.message
        else:
            flash(_("Added to the agenda: %(title)s (%(n)d items).", title=form.title.data.strip(), n=count), "success")
            return redirect(url_for("admin.ballot", ballot_id=ballot_id))
    failed = bool(form.errors or form_error)
    return render_template(
        "admin/ballot_new.html", form=form, meeting=meeting, body=body, kind=kind, form_error=form_error
    ), 422 if failed else 200


def _page_data(session, ballot_id: int) -> dict:
    """Everything the ballot's page shows, read in one session."""
    ballot = ballot_actions.get_ballot(session, ballot_id)
    status = ballot_actions.ballot_status(session, ballot)
    result = ballot_actions.ballot_result(ballot) if ballot.result_json is not None else None
    runoff_id = session.scalar(select(Ballot.id).where(Ballot.parent_ballot_id == ballot.id))
    parent = session.get(Ballot, ballot.parent_ballot_id) if ballot.parent_ballot_id else None
    meeting = ballot.meeting
    return {
        "ballot": status,
        "result": result,
        "meeting": meeting,
        "body": meeting.body,
        "runoff_id": runoff_id,
        "parent": {"id": parent.id, "title": parent.title} if parent else None,
        "version": current_version(ballot_stream(ballot.id)),
    }


@bp.get("/ballots/<int:ballot_id>")
def ballot(ballot_id: int):
    """One ballot: its items and rules, the buttons for its stage, live progress while open, the result after."""
    with db().session() as s:
        data = _page_data(s, ballot_id)
    return render_template("admin/ballot.html", extensions=EXTENSIONS_S, **data)


@bp.get("/ballots/<int:ballot_id>/state")
def ballot_state(ballot_id: int):
    """The ballot's public state as the events carry it, for the page's script after a (re)connect."""
    with db().session() as s:
        ballot_actions.get_ballot(s, ballot_id)  # 404 for an unknown ballot
    app = current_app._get_current_object()
    payload = ballot_payload(app, ballot_id, current_version(ballot_stream(ballot_id)))
    response = jsonify(payload)
    response.headers["Cache-Control"] = "no-store"
    return response


def _change(ballot_id: int, action, event: str, done: str, **kwargs):
    """Run a stage change, announce it after the commit, and go back to the ballot's page."""
    try:
        with db().transaction() as s:
            ballot = action(s, ballot_id, **kwargs)
            meeting_id = ballot.meeting_id
    except ActionError as error:
        flash(error.message, "error")
        return redirect(url_for("admin.ballot", ballot_id=ballot_id), 303)
    publish_ballot(event, ballot_id, meeting_id)
    flash(done, "success")
    return None


@bp.post("/ballots/<int:ballot_id>/open")
def ballot_open(ballot_id: int):
    """开始表决: the phones show the ballot and the countdown starts."""
    failed = _change(ballot_id, ballot_actions.open_ballot, BALLOT_OPENED, _("Voting is open."))
    return failed or redirect(url_for("admin.ballot", ballot_id=ballot_id), 303)


@bp.post("/ballots/<int:ballot_id>/extend")
def ballot_extend(ballot_id: int):
    """延长: more time on the countdown."""
    try:
        seconds = int(request.form.get("seconds", ""))
    except ValueError:
        seconds = 0
    failed = _change(
        ballot_id, ballot_actions.extend_ballot, BALLOT_EXTENDED,
        _("Extended by %(n)d seconds.", n=seconds), seconds=seconds,
    )
    return failed or redirect(url_for("admin.ballot", ballot_id=ballot_id), 303)


@bp.post("/ballots/<int:ballot_id>/close")
def ballot_close(ballot_id: int):
    """结束表决: seal the box, decide and show the result; then certification runs."""
    failed = _change(ballot_id, ballot_actions.close_ballot, BALLOT_CLOSED, _("Voting has ended."))
    if failed:
        return failed
    hook = current_app.extensions.get("voting.after_close")
    if hook is not None:
        hook(ballot_id)
    return redirect(url_for("admin.ballot", ballot_id=ballot_id), 303)


@bp.post("/ballots/<int:ballot_id>/runoff")
def ballot_runoff(ballot_id: int):
    """再次投票: a draft selection among the projects tied across the K-th place."""
    try:
        with db().transaction() as s:
            runoff = ballot_actions.create_runoff(s, ballot_id)
            runoff_id = runoff.id
    except ActionError as error:
        flash(error.message, "error")
        return redirect(url_for("admin.ballot", ballot_id=ballot_id), 303)
    flash(_("The run-off is on the agenda. Open it when the hall is ready."), "success")
    return redirect(url_for("admin.ballot", ballot_id=runoff_id), 303)


def agenda_of(meeting_id: int) -> list[dict]:
    """The meeting's ballots in order, for its page: id, kind, title, status, number of items."""
    with db().session() as s:
        return [
            {
                "id": b.id,
                "position": b.position,
                "kind": b.kind,
                "title": b.title,
                "status": b.status,
                "items": len(b.items),
                "is_runoff": b.parent_ballot_id is not None,
            }
            for b in meeting_ballots(s, meeting_id)
        ]


bp.add_app_template_global(agenda_of, "agenda_of")
