"""Ballots: /api/v1/meetings/{id}/ballots and /api/v1/ballots/{id}[/open|/close|/extend|/votes|/result]."""
from __future__ import annotations

import marshmallow as ma
from flask import current_app
from flask_babel import gettext as _
from flask_smorest import Blueprint
from marshmallow import validate

from voting.actions import ballots as ballot_actions
from voting.actions.ballots.events import note_vote, publish_ballot
from voting.actions.errors import Forbidden
from voting.domain.ballots import KINDS
from voting.extensions import UNLIMITED_ENDPOINTS
from voting.realtime.ballots import BALLOT_CLOSED, BALLOT_EXTENDED, BALLOT_OPENED
from voting.storage.ballots import Ballot
from voting.storage.models import Representative
from voting.web.api.schemas import StrictSchema, text
from voting.web.api.security import SECURITY, STAFF, current_principal, db, requires

URL_PREFIX = ""
blp = Blueprint("api_ballots", __name__, description="Ballots (表决, 票决, 测评) and votes")


class ItemIn(StrictSchema):
    title = text(500)
    description = ma.fields.String(load_default=None, allow_none=True, validate=validate.Length(max=5000))


class BallotCreate(StrictSchema):
    kind = ma.fields.String(required=True, validate=validate.OneOf(KINDS))
    title = text(300)
    items = ma.fields.List(ma.fields.Nested(ItemIn), required=True, validate=validate.Length(min=1, max=200))
    rules = ma.fields.Dict(load_default=dict, metadata={"description": "see the rules of issue 4: pass_base, threshold, secret, allow_change, live_results, require_checkin, duration_s, seats, form, grading, abstain_option"})


class ItemOut(ma.Schema):
    id = ma.fields.Integer()
    title = ma.fields.String()
    description = ma.fields.String(allow_none=True)


class BallotOut(ma.Schema):
    id = ma.fields.Integer()
    meeting_id = ma.fields.Integer()
    kind = ma.fields.String()
    title = ma.fields.String()
    position = ma.fields.Integer()
    status = ma.fields.String(metadata={"description": "draft | open | closed | certified"})
    rules = ma.fields.Dict()
    items = ma.fields.List(ma.fields.Nested(ItemOut))
    expected = ma.fields.Integer(allow_none=True, metadata={"description": "应到"})
    present = ma.fields.Integer(allow_none=True, metadata={"description": "实到"})
    cast = ma.fields.Integer(metadata={"description": "已表决: how many have voted"})
    opened_at = ma.fields.DateTime(allow_none=True)
    deadline_at = ma.fields.DateTime(allow_none=True)
    closed_at = ma.fields.DateTime(allow_none=True)
    remaining_s = ma.fields.Integer(allow_none=True)
    parent_ballot_id = ma.fields.Integer(allow_none=True)
    live = ma.fields.Dict(metadata={"description": "only while open with live_results"})


class ExtendIn(StrictSchema):
    seconds = ma.fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=3600))


class VoteIn(StrictSchema):
    choices = ma.fields.Dict(
        keys=ma.fields.String(validate=validate.Length(max=20)),
        values=ma.fields.String(validate=validate.Length(max=40)),
        required=True,
        validate=validate.Length(max=200),
    )
    nonce = ma.fields.String(
        required=True,
        validate=validate.Length(min=22, max=128),
        metadata={"description": "a random secret the device keeps (≥128 bits, URL-safe): proves ownership of its ballot; resending it is idempotent"},
    )


class VoteOut(ma.Schema):
    receipt = ma.fields.String()
    status = ma.fields.String(metadata={"description": "recorded | unchanged | changed"})


def _may_read(session, ballot) -> None:
    """Staff read every ballot; a representative only the ballots of their own body."""
    principal = current_principal()
    if principal.role in STAFF:
        return
    rep = session.get(Representative, principal.representative_id)
    if rep is None or rep.body_id != ballot.meeting.body_id:
        raise Forbidden(_("This ballot belongs to another body."))


def _status(ballot_id: int) -> dict:
    with db().session() as session:
        return ballot_actions.ballot_status(session, ballot_actions.get_ballot(session, ballot_id))


@blp.route("/meetings/<int:meeting_id>/ballots", methods=["POST"])
@blp.doc(security=SECURITY)
@requires(*STAFF)
@blp.arguments(BallotCreate)
@blp.response(201, BallotOut)
def create_ballot(payload, meeting_id):
    """Put a ballot on the meeting's agenda (a draft until opened)."""
    with db().transaction() as session:
        ballot = ballot_actions.create_ballot(
            session, meeting_id, payload["kind"], payload["title"], payload["items"], payload["rules"]
        )
        ballot_id = ballot.id
    return _status(ballot_id)


@blp.route("/meetings/<int:meeting_id>/ballots", methods=["GET"])
@blp.doc(security=SECURITY)
@requires(*STAFF, "representative")
@blp.response(200, BallotOut(many=True))
def list_ballots(meeting_id):
    """The meeting's ballots in agenda order."""
    from sqlalchemy import select

    from voting.actions.meetings import get_meeting
    from voting.storage.ballots import Ballot

    with db().session() as session:
        meeting = get_meeting(session, meeting_id)
        ballots = session.scalars(select(Ballot).where(Ballot.meeting_id == meeting.id).order_by(Ballot.position)).all()
        if ballots:
            _may_read(session, ballots[0])
        return [ballot_actions.ballot_status(session, b) for b in ballots]


@blp.route("/ballots/<int:ballot_id>", methods=["GET"])
@blp.doc(security=SECURITY)
@requires(*STAFF, "representative")
@blp.response(200, BallotOut)
def get_ballot(ballot_id):
    """Where a ballot stands: status, 已表决 (cast) and 实到 (present); never anyone's choice."""
    with db().session() as session:
        ballot = ballot_actions.get_ballot(session, ballot_id)
        _may_read(session, ballot)
        return ballot_actions.ballot_status(session, ballot)


def _transition(ballot_id: int, action, event: str, **kwargs) -> dict:
    with db().transaction() as session:
        ballot = action(session, ballot_id, **kwargs)
        meeting_id = ballot.meeting_id
    # Committed: now tell the hall.
    publish_ballot(event, ballot_id, meeting_id)
    return _status(ballot_id)


@blp.route("/ballots/<int:ballot_id>/open", methods=["POST"])
@blp.doc(security=SECURITY)
@requires(*STAFF)
@blp.response(200, BallotOut)
def open_ballot(ballot_id):
    """Open the ballot: phones show it, the countdown starts (needs the quorum)."""
    return _transition(ballot_id, ballot_actions.open_ballot, BALLOT_OPENED)


@blp.route("/ballots/<int:ballot_id>/extend", methods=["POST"])
@blp.doc(security=SECURITY)
@requires(*STAFF)
@blp.arguments(ExtendIn)
@blp.response(200, BallotOut)
def extend_ballot(payload, ballot_id):
    """Give an open ballot more time."""
    return _transition(ballot_id, ballot_actions.extend_ballot, BALLOT_EXTENDED, seconds=payload["seconds"])


@blp.route("/ballots/<int:ballot_id>/close", methods=["POST"])
@blp.doc(security=SECURITY)
@requires(*STAFF)
@blp.response(200, BallotOut)
def close_ballot(ballot_id):
    """Close the ballot: the box is sealed and the result decided and announced."""
    status = _transition(ballot_id, ballot_actions.close_ballot, BALLOT_CLOSED)
    hook = current_app.extensions.get("voting.after_close")
    if hook is not None:
        hook(ballot_id)  # certification (queued by the jobs layer)
    return status


# The hot path of a congress voting at once: schema instances made once (webargs would
# build one per request), and no rate-limit bookkeeping (one vote each is the limit).
@blp.route("/ballots/<int:ballot_id>/votes", methods=["POST"])
@blp.doc(security=SECURITY)
@requires("representative")
@blp.arguments(VoteIn())
@blp.response(201, VoteOut())
def cast_vote(payload, ballot_id):
    """Cast (or, with the same nonce, repeat or change) the caller's vote."""
    principal = current_principal()
    with db().transaction() as session:
        receipt = ballot_actions.cast_vote(
            session, ballot_id, principal.representative_id, payload["choices"], payload["nonce"]
        )
        meeting_id = receipt.meeting_id or session.get(Ballot, ballot_id).meeting_id
    if receipt.outcome != "unchanged":
        note_vote(ballot_id, meeting_id)
    return {"receipt": receipt.receipt, "status": receipt.outcome}


UNLIMITED_ENDPOINTS.add(f"{blp.name}.cast_vote")


@blp.route("/ballots/<int:ballot_id>/result", methods=["GET"])
@blp.doc(security=SECURITY)
@requires(*STAFF, "representative")
def get_result(ballot_id):
    """The result decided at close: counts with 未按, outcome, rank, grade and rates per item."""
    with db().session() as session:
        ballot = ballot_actions.get_ballot(session, ballot_id)
        _may_read(session, ballot)
        return ballot_actions.ballot_result(ballot)
