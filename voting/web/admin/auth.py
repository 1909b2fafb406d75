"""Staff log-in for the console: clerks (会务) and chairs (主持人).

The Flask session cookie only carries a random session id; the id is kept in
Redis with the user's id, so logging out (or deactivating the account) ends
the session on the server too, not just in this browser. Logging in always
starts a fresh cookie, so nothing set before log-in survives it.
"""
from __future__ import annotations

import secrets
import redis
from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from voting.actions.accounts import authenticate
from voting.extensions import limiter
from voting.storage.models import User
from voting.web.admin import bp
from voting.web.admin.forms import LoginForm
from voting.web.admin.helpers import db, safe_console_url

SESSION_KEY = "staff_session"
# A console left idle this long needs a new log-in; every request renews it.
IDLE_SECONDS = 8 * 3600
# Pages reachable without logging in.
PUBLIC_ENDPOINTS = {"admin.login"}


def _redis() -> redis.Redis:
    """One client per app for the session store (the app's Redis, embedded or real)."""
    client = current_app.extensions.get("voting.admin.redis")
    if client is None:
        client = redis.Redis.from_url(current_app.config["REDIS_URL"])
        current_app.extensions["voting.admin.redis"] = client
    return client


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


def _session_user() -> User | None:
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


@bp.before_request
def require_login():
    """Every console page needs a logged-in clerk or chair; others go to the log-in page."""
    g.staff = _session_user()
    if g.staff is None and request.endpoint not in PUBLIC_ENDPOINTS:
        if request.method == "GET":
            return redirect(url_for("admin.login", next=request.full_path.rstrip("?")))
        return redirect(url_for("admin.login"))
    return None


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def login():
    """Log-in form. Wrong name, wrong password and a disabled account get the same message."""
    form = LoginForm()
    if g.staff is not None and request.method == "GET":
        return redirect(safe_console_url(request.args.get("next"), url_for("admin.home")))
    status = 422 if form.is_submitted() else 200
    if form.validate_on_submit():
        with db().transaction() as s:
            user = authenticate(s, form.username.data, form.password.data)
        if user is not None:
            start_session(user)
            return redirect(safe_console_url(request.args.get("next"), url_for("admin.home")))
        form.password.errors.append(_("Wrong username or password."))
        status = 401
    return render_template("admin/login.html", form=form), status


@bp.post("/logout")
def logout():
    """Log out (a POST with the CSRF token, so another site cannot log the clerk out)."""
    end_session()
    flash(_("You have logged out."), "info")
    return redirect(url_for("admin.login"))
