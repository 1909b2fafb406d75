"""The screen's ballot states: its words, its theme, the first picture, and the certificate's QR code.

The page draws every state (idle, ballot open, closed, certified) in its script
from `ballot.snapshot`, `screen.shown` and `ballot.*` events; the server gives
it the words in the page's language and the snapshot it starts from.
"""
from __future__ import annotations

from flask import Response, abort, current_app, request
from flask_babel import gettext as _
from sqlalchemy import select

from voting import labels
from voting.actions.hall import hall_snapshot
from voting.domain.ballots import APPROVE
from voting.domain.bodies import PEOPLE_CONGRESS
from voting.i18n import translated
from voting.render.qr import qr_svg
from voting.web.screen import bp

THEMES = ("dark", "light")  # light-on-dark for projectors (default), dark-on-light for bright halls or LED walls


@bp.app_template_global()
def screen_theme() -> str:
    """The screen's theme from `?theme=dark|light` (dark when missing or unknown)."""
    theme = request.args.get("theme", "")
    return theme if theme in THEMES else THEMES[0]


@bp.app_template_global()
def screen_initial(meeting_id: int) -> dict:
    """What the screen shows when the page loads (the socket's snapshot then keeps it current)."""
    return hall_snapshot(current_app._get_current_object(), meeting_id)


@bp.app_template_global()
def screen_ballot_labels(meeting_id: int) -> dict:
    """Every word the ballot states use, in the page's language; %(name)s is filled in by the script."""
    from voting.storage.models import Body, Meeting

    with current_app.extensions["voting.db"].session() as s:
        body_kind = s.scalar(select(Body.kind).join(Meeting, Meeting.body_id == Body.id).where(Meeting.id == meeting_id))
    whole = _("all %(n)s representatives") if body_kind == PEOPLE_CONGRESS else _("all %(n)s members")
    return {
        "kind": translated(labels.BALLOT_KINDS),
        "item_no": _("Agenda item %(n)s"),
        "result_of": _("Result"),
        "method": _("Voting method:"),
        "secret": _("Secret, by keypad (phone)"),
        "named": _("Named, by keypad (phone)"),
        "base": {"roster": whole, "present": _("the %(n)s members present"), "cast": _("those voting on each item")},
        "threshold": {"more_than_half": _("more than half"), "two_thirds": _("two thirds or more")},
        "need_pass": _("Needed to pass: %(choice)s ≥ %(n)s (%(threshold)s of %(base)s)"),
        "need_select": _("Needed to be selected: %(choice)s ≥ %(n)s (%(threshold)s of %(base)s) · %(k)s to select"),
        "need_grade": _("Satisfied needs %(n)s (%(threshold)s of %(base)s)"),
        "need_per_item": _("Needed: %(threshold)s of %(base)s"),
        "time_left": _("Time left"),
        "time_up": _("Time is up"),
        "no_limit": _("No time limit"),
        "voted": _("Voted"),
        "present": _("Present"),
        "expected": _("Expected"),
        "on_leave": _("On leave"),
        "absent": _("Absent"),
        "quorum_met": _("Quorum present"),
        "quorum_not_met": _("Quorum not present"),
        "live": _("Live count"),
        # The screen heads the marks of an up_to_k selection as a count, as the certificate does.
        "choice": {**translated(labels.CHOICES), APPROVE: _("Votes")},
        "not_voted": _(labels.NOT_VOTED),
        "outcome_line": _("Result of the vote:"),
        "outcome": translated(labels.OUTCOMES),
        "grade": translated(labels.GRADES),
        "rank": _("Rank"),
        "item": _("Item"),
        "project": _("Project"),
        "result": _("Result"),
        "grade_head": _("Grade"),
        "rate": {"satisfied": _("Satisfied rate"), "combined": _("Combined satisfaction rate"),
                 "yes": _("Support rate")},
        "below": _("below the threshold"),
        "shortfall": _("Seats left empty: %(n)s"),
        "runoff": _("Tied across the last seat: a run-off decides %(n)s"),
        "certified": _("Certified result"),
        "certificate_no": _("Certificate No. %(n)s"),
        "fingerprint": _("Fingerprint (SHA-256)"),
        "scan_verify": _("Scan to verify"),
        "certifying": _("Certificate being issued…"),
    }


@bp.get("/<int:meeting_id>/certificate-qr.svg")
def certificate_qr(meeting_id: int):
    """The QR code of a certificate's verification page, for the meeting's screen only."""
    from voting.actions.checkin import screen_token_valid
    from voting.storage.certificates import Certificate

    db = current_app.extensions["voting.db"]
    if not screen_token_valid(db, meeting_id, request.args.get("token", "")):
        abort(403)
    try:
        certificate_id = int(request.args.get("certificate", ""))
    except ValueError:
        abort(404)
    with db.session() as s:
        certificate = s.get(Certificate, certificate_id)
        if certificate is None or certificate.ballot.meeting_id != meeting_id or not certificate.is_stored:
            abort(404)
        url = certificate.verify_url
    response = Response(qr_svg(url), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response
