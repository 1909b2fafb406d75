"""The voting booth on the phone: the open ballot, a confirmation step, "已记录" with the receipt.

Plain form posts that work without JavaScript; /static/booth/vote.js adds live
updates (Socket.IO), the countdown, the "已选 x / K" limit and the phone's memory
of its own choices.

The phone's secret per ballot (the `nonce` of cast_vote) lives only in an
HttpOnly cookie `vs_<ballot id>` scoped to /booth/: made by the server when the
phone first sees the ballot, sent back with every vote from this phone (so a
repeated post counts once and a new choice is a change), and never stored or
logged on the server. Two tabs share it; another phone has its own and is told
it already voted. The server never shows a choice it read from the box: the
confirmation and "已记录" pages show what the phone just submitted.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from flask import abort, current_app, g, jsonify, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from voting.actions.attendance import current_meeting_for, representative_status
from voting.actions.ballots import cast_vote, get_ballot
from voting.actions.ballots.agenda import holds_vote, latest_closed_ballot, open_ballot_of
from voting.actions.ballots.cast import NONCE_PATTERN
from voting.actions.ballots.events import note_vote
from voting.actions.ballots.messages import domain_error
from voting.actions.ballots.read import has_voted, remaining_seconds, rules_of
from voting.actions.errors import ActionError
from voting.domain.attendance import PRESENT
from voting.domain.ballots import APPROVE, DomainError, Rules, choices_for, is_whole_ballot, validate_choices
from voting.realtime import current_version
from voting.realtime.ballots import ballot_stream
from voting.storage.ballot_box import receipt_for
from voting.web import ballot_labels
from voting.web.booth import bp

NONCE_COOKIE = "vs_{}"
NONCE_PATH = "/booth/"
# Long enough for the longest sitting; the secret is useless once the ballot closes.
NONCE_MAX_AGE = 24 * 3600

bp.record_once(lambda state: ballot_labels.register(state.app))


@bp.app_template_filter("as_text")
def as_text(labels: dict) -> dict:
    """A label table with its lazy strings translated now (for `tojson`)."""
    return {key: str(value) for key, value in labels.items()}


def db():
    """The app's Database."""
    return current_app.extensions["voting.db"]


@dataclass
class BallotView:
    """What the phone shows of a ballot: plain data, safe to use after the session closed."""

    id: int
    meeting_id: int
    kind: str
    title: str
    status: str
    rules: Rules
    items: list[dict]
    choices: tuple[str, ...]
    remaining_s: int | None
    version: int

    @property
    def is_whole(self) -> bool:
        """The up_to_k form: checkboxes, at most `seats` of them."""
        return is_whole_ballot(self.kind, self.rules)


def ballot_view(ballot) -> BallotView:
    """A BallotView of an ORM ballot (read inside its session)."""
    rules = rules_of(ballot)
    return BallotView(
        id=ballot.id,
        meeting_id=ballot.meeting_id,
        kind=ballot.kind,
        title=ballot.title,
        status=ballot.status,
        rules=rules,
        items=[{"id": item.id, "title": item.title, "description": item.description} for item in ballot.items],
        choices=choices_for(ballot.kind, rules),
        remaining_s=remaining_seconds(ballot),
        version=current_version(ballot_stream(ballot.id)),
    )


@dataclass
class BoothState:
    """The voting page of one phone at one moment.

    `state`: no_meeting | waiting | not_checked_in | time_up | form | voted | voted_elsewhere.
    """

    state: str
    meeting: dict | None = None
    ballot: BallotView | None = None
    last_closed: str | None = None
    receipt: str | None = None
    change: bool = False
    new_nonce: str | None = None
    chosen: dict = field(default_factory=dict)


def nonce_of(ballot_id: int) -> str | None:
    """This phone's secret for the ballot, from its cookie (None if absent or malformed)."""
    value = request.cookies.get(NONCE_COOKIE.format(ballot_id))
    return value if value and NONCE_PATTERN.match(value) else None


def new_nonce() -> str:
    """A fresh secret: 192 random bits, URL-safe (cast_vote wants at least 128)."""
    return secrets.token_urlsafe(24)


def keep_nonce(response, ballot_id: int, nonce: str) -> None:
    """Store the secret in the phone: HttpOnly (no script reads it), only sent to /booth/."""
    response.set_cookie(
        NONCE_COOKIE.format(ballot_id),
        nonce,
        max_age=NONCE_MAX_AGE,
        path=NONCE_PATH,
        httponly=True,
        secure=request.is_secure,
        # Lax, not Strict: a phone opening the booth from a WeChat link must still send it.
        samesite="Lax",
    )


def forget_closed_nonces(response, open_id: int | None) -> None:
    """Drop the secrets of ballots that are no longer open: after close they prove nothing."""
    for name in request.cookies:
        if name.startswith("vs_") and name[3:].isdigit() and int(name[3:]) != open_id:
            response.delete_cookie(name, path=NONCE_PATH)


def no_store(response):
    """Never cache a booth voting page: it may show the phone's own choices."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return response


def booth_state(session, rep, change: bool = False) -> BoothState:
    """Where this representative's phone stands: which ballot is open and what they may do on it."""
    meeting = current_meeting_for(session, rep)
    if meeting is None:
        return BoothState("no_meeting")
    meeting_info = {"id": meeting.id, "title": meeting.title}
    ballot = open_ballot_of(session, meeting.id)
    if ballot is None:
        closed = latest_closed_ballot(session, meeting.id)
        return BoothState("waiting", meeting_info, last_closed=closed.title if closed else None)
    view = ballot_view(ballot)
    found = BoothState("form", meeting_info, view)
    nonce = nonce_of(ballot.id)
    if has_voted(session, ballot.id, rep.id):
        if not holds_vote(session, ballot, rep.id, nonce):
            found.state = "voted_elsewhere"
            return found
        found.receipt = receipt_for(ballot.id, nonce)
        found.state = "form" if change and view.rules.allow_change else "voted"
        found.change = found.state == "form"
    elif nonce is None:
        found.new_nonce = new_nonce()
    if found.state == "form":
        if view.remaining_s == 0:
            found.state = "time_up"
        elif view.rules.require_checkin:
            record = representative_status(session, meeting.id, rep.id)
            if record is None or record.status != PRESENT:
                found.state = "not_checked_in"
    return found


def render_booth(found: BoothState, status: int = 200, error: str | None = None):
    """The voting page for `found`, uncached, with the phone's secret set if it needs one."""
    response = make_response(render_template("booth/vote.html", s=found, ballot=found.ballot, error=error), status)
    if found.new_nonce and found.ballot is not None:
        keep_nonce(response, found.ballot.id, found.new_nonce)
    forget_closed_nonces(response, found.ballot.id if found.ballot else None)
    return no_store(response)


def message_page(title: str, message: str, status: int, kind: str = "error"):
    """A plain message with a way back to the voting page."""
    return no_store(
        make_response(render_template("booth/vote_message.html", title=title, message=message, kind=kind), status)
    )


@bp.get("/vote")
def vote():
    """The voting page: waiting, the open ballot's form, or what this phone already did on it."""
    rep = g.representative
    if rep is None:
        return render_template("booth/login_needed.html"), 200
    with db().session() as s:
        found = booth_state(s, rep, change=request.args.get("change") == "1")
    return render_booth(found)


@bp.get("/vote/state")
def vote_state():
    """For the page's script after a (re)connect: the open ballot and its countdown, nothing else."""
    rep = g.representative
    if rep is None:
        return no_store(jsonify({"error": {"code": "not_logged_in", "message": _("Please log in first")}})), 401
    with db().session() as s:
        meeting = current_meeting_for(s, rep)
        ballot = open_ballot_of(s, meeting.id) if meeting else None
        body = {
            "meeting_id": meeting.id if meeting else None,
            "ballot": None
            if ballot is None
            else {
                "id": ballot.id,
                "status": ballot.status,
                "remaining_s": remaining_seconds(ballot),
                "version": current_version(ballot_stream(ballot.id)),
            },
        }
    return no_store(jsonify(body))


def _ballot_for(session, rep, ballot_id: int):
    """The ballot if it belongs to the representative's body, else 404 (no hint of other bodies' ballots)."""
    try:
        ballot = get_ballot(session, ballot_id)
    except ActionError:
        abort(404)
    if ballot.meeting.body_id != rep.body_id:
        abort(404)
    return ballot


def choices_from_form(view: BallotView, form) -> dict[str, str]:
    """The choices in a posted form: `c<item id>` radios, or `approve` checkboxes in the up_to_k form.

    Only the ballot's own items are read; an empty radio is 未按 and left out.
    """
    if view.is_whole:
        wanted = set(form.getlist("approve"))
        return {str(item["id"]): APPROVE for item in view.items if str(item["id"]) in wanted}
    chosen = {}
    for item in view.items:
        value = form.get(f"c{item['id']}", "")
        if value:
            chosen[str(item["id"])] = value
    return chosen


def _form_again(view: BallotView, chosen: dict, message: str | None, status: int, change: bool = False):
    """The ballot's form again, the phone's choices kept, with a message."""
    found = BoothState("form", {"id": view.meeting_id}, view, chosen=chosen, change=change)
    return render_booth(found, status=status, error=message)


def _closed_page():
    """What a post to a ballot that is no longer open gets."""
    return message_page(_("Voting has ended"), _("Voting on this ballot has ended."), 409, kind="info")


@bp.post("/vote/<int:ballot_id>/review")
def vote_review(ballot_id: int):
    """Step 2: the phone's choices to check before they are recorded (or back to the form to edit)."""
    rep = g.representative
    if rep is None:
        return redirect(url_for("booth.vote"), 303)
    with db().session() as s:
        ballot = _ballot_for(s, rep, ballot_id)
        view = ballot_view(ballot)
        voted = has_voted(s, ballot.id, rep.id)
    if view.status != "open":
        return _closed_page()
    chosen = choices_from_form(view, request.form)
    change = request.form.get("change") == "1"
    if "edit" in request.form:
        return _form_again(view, chosen, None, 200, change)
    try:
        validate_choices(view.kind, view.rules, [item["id"] for item in view.items], chosen)
    except DomainError as error:
        return _form_again(view, chosen, domain_error(error).message, 422, change)
    blank = [item for item in view.items if str(item["id"]) not in chosen]
    response = make_response(
        render_template("booth/vote_review.html", ballot=view, chosen=chosen, blank=blank, change=change)
    )
    if nonce_of(ballot_id) is None and not voted:
        # Made before the vote is sent: if the answer to the vote is lost, a re-post reuses it.
        keep_nonce(response, ballot_id, new_nonce())
    return no_store(response)


@bp.post("/vote/<int:ballot_id>/cast")
def vote_cast(ballot_id: int):
    """Step 3: record the vote under this phone's secret and say "已记录" with the receipt."""
    rep = g.representative
    if rep is None:
        return redirect(url_for("booth.vote"), 303)
    with db().session() as s:
        view = ballot_view(_ballot_for(s, rep, ballot_id))
    chosen = choices_from_form(view, request.form)
    change = request.form.get("change") == "1"
    nonce = nonce_of(ballot_id)
    fresh = nonce is None
    if fresh:
        nonce = new_nonce()
    try:
        with db().transaction() as s:
            receipt = cast_vote(s, ballot_id, rep.id, chosen, nonce)
    except ActionError as error:
        if error.code.startswith("vote_"):
            return _form_again(view, chosen, error.message, error.status, change)
        titles = {
            "ballot_not_open": _("Voting has ended"),
            "time_is_up": _("Time is up"),
            "not_checked_in": _("Not checked in"),
            "already_voted": _("Already voted"),
            "change_not_allowed": _("Already voted"),
        }
        return message_page(titles.get(error.code, _("Not recorded")), error.message, error.status)
    if receipt.outcome != "unchanged":
        note_vote(ballot_id, view.meeting_id)
    response = make_response(
        render_template(
            "booth/vote_recorded.html", ballot=view, chosen=chosen, receipt=receipt.receipt, outcome=receipt.outcome,
            rep_id=rep.id,
        )
    )
    if fresh:
        keep_nonce(response, ballot_id, nonce)
    return no_store(response)


def open_ballot_summary(meeting_id: int | None) -> dict | None:
    """For the phone's home page: the meeting's open ballot, {id, title}, or None."""
    if not meeting_id:
        return None
    with db().session() as s:
        ballot = open_ballot_of(s, meeting_id)
        return {"id": ballot.id, "title": ballot.title} if ballot else None


bp.add_app_template_global(open_ballot_summary, "open_ballot_summary")
