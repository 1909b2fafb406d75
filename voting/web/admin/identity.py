"""Which clerk or chair (会务, 主持人) a console speaks for: a server-side staff session.

The Flask session cookie only carries a random session id; the id is kept in
Redis with the user's id, so logging out (or deactivating the account) ends
the session on the server too, not just in this browser. Logging in always
starts a fresh cookie, so nothing set before log-in survives it.

The console's pages (voting.web.admin.auth) and its Socket.IO connections
(voting.web.sockets) resolve the session the same way, through session_user().
"""
from __future__ import annotations

import secrets

import redis
from flask import session

from voting.storage.models import User
from voting.web import app_redis
from voting.web.admin.helpers import db

SESSION_KEY = "staff_session"
# A console left idle this long needs a new log-in; every request renews it.
IDLE_SECONDS = 8 * 3600


def _redis() -> redis.Redis:
    """One client per app for the session store (the app's Redis, embedded or real)."""
    return app_redis("voting.admin.redis")


def _key(sid: str) -> str:
    return f"voting:staff-session:{sid}"


def start_session(user: User) -> None:
    """Log `user` in: a new cookie and a new server-side session id."""
    session.clear()
    sid = secrets.token_urlsafe(32)
    _redis().set(_key(sid), user.id, ex=IDLE_SECONDS)
    session[SESSION_KEY] = sid


def end_session() -> None:
    """Log out: forget the session on the server and in the cookie."""
    sid = session.get(SESSION_KEY)
    if sid:
        _redis().delete(_key(sid))
    session.clear()


def session_user() -> User | None:
    """The active staff account of this request's session, or None (and renew the idle timer)."""
    sid = session.get(SESSION_KEY)
    if not isinstance(sid, str):
        return None
    user_id = _redis().get(_key(sid))
    if user_id is None:
        return None
    with db().session() as s:
        user = s.get(User, int(user_id))
    if user is None or not user.is_active:
        _redis().delete(_key(sid))
        return None
    _redis().expire(_key(sid), IDLE_SECONDS)
    return user
