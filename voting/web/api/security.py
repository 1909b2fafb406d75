"""Bearer-token authentication for the API: who is calling, and may they."""
from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from flask import current_app, g, request
from flask_babel import gettext as _

from voting.actions.accounts import principal_of_token
from voting.actions.errors import ActionError
from voting.storage.models import Representative, User

SECURITY = [{"bearerAuth": []}]  # for the OpenAPI document


@dataclass(frozen=True)
class Principal:
    """The caller: a staff user (clerk or chair) or a representative."""

    role: str  # "clerk", "chair" or "representative"
    user_id: int | None = None
    representative_id: int | None = None


def db():
    """The app's Database."""
    return current_app.extensions["voting.db"]


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def current_principal() -> Principal | None:
    """The authenticated caller of this request, or None."""
    if "principal" not in g:
        principal = None
        token = _bearer()
        if token:
            with db().single_read() as connection:
                found = principal_of_token(connection, token)
            if found is not None:
                role, user_id, representative_id = found
                principal = Principal(role=role, user_id=user_id, representative_id=representative_id)
        g.principal = principal
    return g.principal


def requires(*roles: str):
    """Refuse the call with 401 (no or bad token) or 403 (wrong role) unless the caller has one of `roles`."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            principal = current_principal()
            if principal is None:
                raise ActionError(
                    "unauthorized", _("A valid access token is required (Authorization: Bearer ...)."), 401
                )
            if principal.role not in roles:
                raise ActionError("forbidden", _("Your account may not do this."), 403)
            return view(*args, **kwargs)

        return wrapper

    return decorate


STAFF = ("clerk", "chair")
