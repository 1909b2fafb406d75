"""The phone's livelihood-project pages: the year's projects, a representative's proposal, an inspection note (视察).

A representative's proposal needs no sum to solve (the card log-in is the
proof); notes and proposals are limited per representative, not per address,
because a whole hall shares one.
"""
from __future__ import annotations

from datetime import date

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from voting.actions.errors import ActionError
from voting.actions.projects.candidates import get_project
from voting.actions.projects.inspections import add_inspection
from voting.actions.projects.read import year_view
from voting.actions.projects.submit import submit_proposal
from voting.actions.projects.years import all_years, collecting_years
from voting.domain.projects import CATEGORIES, LIMITS
from voting.extensions import limiter
from voting.web import project_labels
from voting.web.booth import bp
from voting.web.booth.views import db

bp.record_once(lambda state: project_labels.register(state.app))

FIELDS = ("title", "description", "category", "place", "estimated_cost", "proposer_contact")


def _per_representative() -> str:
    """The rate-limit key: the logged-in representative (a hall of phones shares one address)."""
    rep = g.get("representative")
    return f"rep:{rep.id}" if rep is not None else f"anon:{request.remote_addr}"


def _login_needed():
    return render_template("booth/login_needed.html"), 200


@bp.get("/projects")
def projects():
    """The latest year's projects on the phone, with the inspection link on each adopted one."""
    if g.representative is None:
        return _login_needed()
    with db().session() as s:
        years = all_years(s)
        view = year_view(s, years[0]) if years else None
        is_open = bool(collecting_years(s))
    return render_template("booth/projects.html", view=view, is_open=is_open)


@bp.route("/projects/propose", methods=["GET", "POST"])
@limiter.limit("20 per hour", key_func=_per_representative, methods=["POST"])
def projects_propose():
    """A representative's proposal (the name is theirs; contact optional)."""
    rep = g.representative
    if rep is None:
        return _login_needed()
    with db().session() as s:
        years = collecting_years(s)
        year = {"id": years[0].id, "year": years[0].year, "title": years[0].title} if years else None
    if year is None:
        flash(_("The call for proposals is closed."), "info")
        return redirect(url_for("booth.projects"))
    values = {name: request.form.get(name, "") for name in FIELDS} if request.method == "POST" else {}
    errors, status = {}, 200
    if request.method == "POST":
        try:
            with db().transaction() as s:
                proposal_id = submit_proposal(s, year["id"], values, representative_id=rep.id).id
        except ActionError as error:
            errors = error.details if isinstance(error.details, dict) else {"form": error.message}
            status = error.status
        else:
            flash(_("Your proposal has been received as number %(id)d.", id=proposal_id), "success")
            return redirect(url_for("booth.projects"), 303)
    return render_template("booth/projects_propose.html", year=year, values=values, errors=errors,
                           categories=CATEGORIES, limits=LIMITS), status


@bp.route("/projects/<int:project_id>/inspect", methods=["GET", "POST"])
@limiter.limit("30 per hour", key_func=_per_representative, methods=["POST"])
def projects_inspect(project_id: int):
    """视察: what the representative saw on the site, and when."""
    rep = g.representative
    if rep is None:
        return _login_needed()
    with db().session() as s:
        project = get_project(s, project_id)
        info = {"id": project.id, "title": project.title, "department": project.department,
                "status": project.status, "progress": project.progress, "stage": project.stage,
                "year": project.year.year}
    today = date.today()
    values = {"inspected_on": request.form.get("inspected_on", today.isoformat()), "note": request.form.get("note", "")}
    errors, status = {}, 200
    if request.method == "POST":
        try:
            inspected_on = date.fromisoformat(values["inspected_on"])
        except ValueError:
            inspected_on = None
        try:
            with db().transaction() as s:
                add_inspection(s, project_id, rep.id, inspected_on, values["note"], today)
        except ActionError as error:
            errors = error.details if isinstance(error.details, dict) else {"form": error.message}
            status = error.status
        else:
            flash(_("Your inspection note is recorded and published with the project."), "success")
            return redirect(url_for("booth.projects"), 303)
    return render_template("booth/projects_inspect.html", project=info, values=values, errors=errors,
                           today=today), status
