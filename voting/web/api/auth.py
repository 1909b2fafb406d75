"""POST /api/v1/auth/token: a staff user trades a password for a bearer token."""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_smorest import Blueprint
import marshmallow as ma

from voting.actions.accounts import authenticate, issue_token
from voting.actions.errors import ActionError
from voting.extensions import limiter
from voting.web.api.schemas import StrictSchema, text
from voting.web.api.security import db

URL_PREFIX = "/auth"
blp = Blueprint("api_auth", __name__, description="Access tokens")


class TokenRequest(StrictSchema):
    username = text(64)
    password = text(256)


class TokenResponse(ma.Schema):
    token = ma.fields.String(required=True)
    role = ma.fields.String()


@blp.route("/token", methods=["POST"])
@limiter.limit("20 per minute")
@blp.arguments(TokenRequest)
@blp.response(200, TokenResponse)
def create_token(payload):
    """Log a clerk or chair in: the token goes in `Authorization: Bearer <token>`."""
    with db().transaction() as session:
        user = authenticate(session, payload["username"], payload["password"])
        if user is None:
            raise ActionError("invalid_credentials", _("Wrong username or password."), 401)
        token = issue_token(session, user=user, hours=current_app.config["VOTING_API_TOKEN_HOURS"])
        return {"token": token, "role": user.role}
