"""Staff log-in for the console: clerks (会务) and chairs (主持人).

The pages log in and out; the server-side session they start and end lives in
voting.web.admin.identity.
"""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from voting.actions.accounts import authenticate
from voting.extensions import limiter
from voting.web.admin import bp
from voting.web.admin.forms import LoginForm
from voting.web.admin.helpers import db, safe_console_url
from voting.web.admin.identity import end_session, session_user, start_session

# Pages reachable without logging in.
PUBLIC_ENDPOINTS = {"admin.login"}


@bp.before_request
def require_login():
    """Every console page needs a logged-in clerk or chair; others go to the log-in page."""
    g.staff = session_user()
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
