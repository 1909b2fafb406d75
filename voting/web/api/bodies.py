"""Bodies and their rosters: /api/v1/bodies."""
from __future__ import annotations

import marshmallow as ma
from flask_smorest import Blueprint
from marshmallow import validate

from voting.actions import bodies as body_actions
from voting.domain.bodies import BODY_KINDS
from voting.web.api.schemas import StrictSchema, text
from voting.web.api.security import SECURITY, STAFF, db, requires

URL_PREFIX = "/bodies"
blp = Blueprint("api_bodies", __name__, description="Bodies (人大 / 常委会) and their rosters")


class BodyCreate(StrictSchema):
    name = text(200)
    kind = ma.fields.String(required=True, validate=validate.OneOf(BODY_KINDS))
    term = ma.fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1, max=99))
    groups = ma.fields.List(ma.fields.String(validate=validate.Length(min=1, max=100)), load_default=list,
                            validate=validate.Length(max=500))


class BodyOut(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    kind = ma.fields.String()
    term = ma.fields.Integer(allow_none=True)
    groups = ma.fields.List(ma.fields.String())
    expected = ma.fields.Integer(metadata={"description": "应到: representatives counted in the roster"})


def body_json(session, body) -> dict:
    return {
        "id": body.id,
        "name": body.name,
        "kind": body.kind,
        "term": body.term,
        "groups": [g.name for g in body.groups],
        "expected": body_actions.roster_count(session, body),
    }


@blp.route("", methods=["POST"])
@blp.doc(security=SECURITY)
@requires(*STAFF)
@blp.arguments(BodyCreate)
@blp.response(201, BodyOut)
def create_body(payload):
    """Create a body (人民代表大会 or 常委会) with its delegations."""
    with db().transaction() as session:
        body = body_actions.create_body(session, payload["name"], payload["kind"], payload["term"], payload["groups"])
        return body_json(session, body)


@blp.route("/<int:body_id>", methods=["GET"])
@blp.doc(security=SECURITY)
@requires(*STAFF)
@blp.response(200, BodyOut)
def get_body(body_id):
    """One body."""
    with db().session() as session:
        return body_json(session, body_actions.get_body(session, body_id))
