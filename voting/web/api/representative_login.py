"""A representative's card code: log in (POST /api/v1/auth/representative) and reissue a card
(POST /api/v1/representatives/{id}/login-code)."""
from __future__ import annotations

import marshmallow as ma
from flask import current_app
from flask_smorest import Blueprint

from voting.actions.representative_login import log_in_api, reissue_login_code
from voting.extensions import limiter
from voting.web.api.schemas import StrictSchema, text
from voting.web.api.security import SECURITY, db, requires

URL_PREFIX = "/auth"
blp = Blueprint("api_representative_auth", __name__, description="Representatives' card log-in")
codes_blp = Blueprint("api_login_codes", __name__, description="Representatives' cards (login codes)")
CODES_URL_PREFIX = "/representatives"


class RepresentativeLogin(StrictSchema):
    login_code = text(200)


class RepresentativeRef(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()


class RepresentativeToken(ma.Schema):
    token = ma.fields.String(required=True)
    representative = ma.fields.Nested(RepresentativeRef)


class LoginCodeOut(ma.Schema):
    representative_id = ma.fields.Integer()
    login_code = ma.fields.String(metadata={"description": "shown once; the card's QR code encodes /r/<login_code>"})
    login_url = ma.fields.String()


def _failed(response) -> bool:
    return response.status_code >= 400


@blp.route("/representative", methods=["POST"])
@limiter.limit("20 per minute", deduct_when=_failed)
@blp.arguments(RepresentativeLogin)
@blp.response(200, RepresentativeToken)
def representative_token(payload):
    """Trade the code printed on a representative's card for a bearer token."""
    with db().transaction() as session:
        rep, token = log_in_api(session, payload["login_code"], current_app.config["VOTING_API_TOKEN_HOURS"])
        return {"token": token, "representative": {"id": rep.id, "name": rep.name}}


@codes_blp.route("/<int:representative_id>/login-code", methods=["POST"])
@codes_blp.doc(security=SECURITY)
@requires("clerk")
@codes_blp.response(201, LoginCodeOut)
def reissue(representative_id):
    """Reissue a card: a new code; the old code, its phone sessions and its tokens stop working."""
    from voting.actions.checkin import public_base_url

    with db().transaction() as session:
        code = reissue_login_code(session, representative_id)
    return {
        "representative_id": representative_id,
        "login_code": code,
        "login_url": f"{public_base_url()}/r/{code}",
    }
