"""征集: the public proposal form. No account; a signed sum and a hidden field against scripts;
a rate limit per address against floods (Redis, so it holds across web processes).
"""
from __future__ import annotations

import time

import redis
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded

from voting.actions.errors import ActionError
from voting.actions.projects.submit import submit_proposal
from voting.actions.projects.years import collecting_years
from voting.domain.challenge import MAX_AGE_S, MIN_AGE_S, ChallengeError, check_challenge, new_challenge
from voting.domain.projects import CATEGORIES, LIMITS
from voting.extensions import limiter
from voting.web import app_redis
from voting.web.public import bp
from voting.web.public.views import db

DEFAULT_RATE_LIMIT = "5 per hour;20 per day"  # a household or an office may send a few; a script may not
HONEYPOT = "website"  # hidden from people; a form-filling script fills it
FIELDS = ("title", "description", "category", "place", "estimated_cost", "proposer_name", "proposer_contact")


def proposal_rate_limit() -> str:
    """PROPOSAL_RATE_LIMIT (Flask-Limiter syntax), else the default."""
    return current_app.config.get("PROPOSAL_RATE_LIMIT", DEFAULT_RATE_LIMIT)


def _redis() -> redis.Redis:
    return app_redis("voting.public.redis")


def _secret() -> bytes:
    return ("proposal-challenge|" + current_app.config["SECRET_KEY"]).encode()


def _challenge_messages() -> dict[str, str]:
    return {
        "missing": _("Please answer the sum."),
        "malformed": _("The form is damaged. Reload the page and try again."),
        "wrong_answer": _("The answer to the sum is not right. Please try again."),
        "too_fast": _("That was very fast. Please check your proposal and send it again."),
        "expired": _("The form was open too long. Please answer the new sum."),
        "used": _("This form was sent already. Please answer the new sum."),
    }


def _check_challenge() -> str | None:
    """The problem with the sum, as a message, or None; a passed token is marked used (one proposal per form)."""
    now = int(time.time())
    try:
        nonce = check_challenge(
            _secret(), request.form.get("challenge"), request.form.get("answer"), now,
            min_age_s=int(current_app.config.get("PROPOSAL_CHALLENGE_MIN_AGE_S", MIN_AGE_S)),
            max_age_s=MAX_AGE_S,
        )
    except ChallengeError as error:
        return _challenge_messages()[error.code]
    if not _redis().set(f"voting:proposal-challenge:{nonce}", 1, nx=True, ex=MAX_AGE_S + 60):
        return _challenge_messages()["used"]
    return None


def _form_page(year, values: dict, errors: dict, status: int = 200, form_error: str | None = None):
    challenge = new_challenge(_secret(), int(time.time()))
    return render_template(
        "public/propose.html", section="propose", year=year, values=values, errors=errors, form_error=form_error,
        challenge=challenge, categories=CATEGORIES, limits=LIMITS, honeypot=HONEYPOT,
    ), status


def _open_year():
    """The latest year whose call is open (as a plain dict), or None."""
    with db().session() as s:
        years = collecting_years(s)
        return {"id": years[0].id, "year": years[0].year, "title": years[0].title} if years else None


@bp.route("/propose", methods=["GET", "POST"])
@limiter.limit(proposal_rate_limit, methods=["POST"])
def propose():
    """The proposal form; a valid proposal is stored as typed and the proposer sees its public page."""
    year = _open_year()
    if year is None:
        return render_template("public/message.html", title=_("The call for proposals is closed"),
                               message=_("There is no open call for proposals at the moment. "
                                         "The projects and the answers to earlier proposals are published here.")), 200
    if request.method == "GET":
        return _form_page(year, {}, {})
    values = {name: request.form.get(name, "") for name in FIELDS}
    if request.form.get(HONEYPOT):
        return _form_page(year, values, {}, 422, _("The proposal could not be sent. Reload the page and try again."))
    problem = _check_challenge()
    if problem:
        return _form_page(year, values, {"answer": problem}, 422)
    try:
        with db().transaction() as s:
            proposal = submit_proposal(s, year["id"], values)
            proposal_id = proposal.id
    except ActionError as error:
        if error.status == 422 and isinstance(error.details, dict):
            return _form_page(year, values, error.details, 422, error.message)
        return _form_page(year, values, {}, error.status, error.message)
    flash(_("Thank you. Your proposal has been received as number %(id)d. Keep this page to see the answer.",
            id=proposal_id), "success")
    return redirect(url_for("public.proposal", year=year["year"], proposal_id=proposal_id), 303)


@bp.errorhandler(RateLimitExceeded)
def too_many(error: RateLimitExceeded):
    """A flood from one address: a plain page saying when to try again (no proposal stored)."""
    return render_template("public/message.html", title=_("Too many proposals from this connection"),
                           message=_("Please wait an hour before sending another proposal. "
                                     "If many people share this connection, one proposal can list everyone's wishes."),
                           kind="error"), 429
