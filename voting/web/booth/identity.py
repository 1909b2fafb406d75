"""Which representative a phone speaks for: a long-lived cookie session.

The session (Flask's signed cookie, SameSite=Lax, HttpOnly) keeps the
representative's id and the card generation it was opened under; reissuing
the card bumps the generation and this session is then refused.
"""
from __future__ import annotations

from flask import current_app, g, session

from voting.actions.representative_login import PhoneIdentity, phone_representative
from voting.storage.models import Representative
from voting.web.booth import bp, links

SESSION_KEY = "phone"  # [representative_id, login_generation]


def remember(identity: PhoneIdentity) -> None:
    """Log this phone in (replacing any representative it spoke for before)."""
    session.permanent = True  # PERMANENT_SESSION_LIFETIME: a term's sessions
    session[SESSION_KEY] = [identity.representative_id, identity.login_generation]


def forget() -> None:
    """Log this phone out (a clerk logged in on the same browser stays logged in)."""
    session.pop(SESSION_KEY, None)


def session_identity() -> PhoneIdentity | None:
    """The identity stored in this request's session, if any (not yet checked against the database)."""
    value = session.get(SESSION_KEY)
    if isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value):
        return PhoneIdentity(value[0], value[1])
    return None


def current_representative() -> Representative | None:
    """The representative this phone is logged in as, or None (and a stale session is dropped)."""
    if "representative" not in g:
        rep = None
        identity = session_identity()
        if identity is not None:
            with current_app.extensions["voting.db"].session() as s:
                rep = phone_representative(s, identity)
                if rep is not None:
                    rep.body, rep.group  # noqa: B018  (load before the session closes)
            if rep is None:
                forget()
        g.representative = rep
    return g.representative


def load_representative() -> None:
    """before_request: make g.representative available to every booth page."""
    current_representative()


bp.before_request(load_representative)
links.before_request(load_representative)
