"""Console pages of the livelihood projects after the call: screening (初选), the votes (票决, run-off,
year-end test) and implementation (progress reports). Proposals and years are in projects.py.
"""
from __future__ import annotations

from datetime import date

from flask import Response, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from voting.actions.errors import ActionError
from voting.actions.projects import candidates as screening
from voting.actions.projects.evaluate import create_evaluation_ballot
from voting.actions.projects.export import candidate_table, to_csv, to_xlsx
from voting.actions.projects.progress import record_progress
from voting.actions.projects.read import project_view, year_view
from voting.actions.projects.vote import create_project_runoff, create_selection_ballot
from voting.actions.projects.years import get_year
from voting.domain.projects import can_become_candidate, format_wan
from voting.storage.projects import Proposal
from voting.web.admin import bp
from voting.web.admin.helpers import db
from voting.web.admin.project_forms import CandidateForm, EvaluationForm, ProgressForm, VoteForm, show_errors
from voting.web.admin.projects import meeting_choices

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year_info(year) -> dict:
    return {"id": year.id, "year": year.year, "title": year.title, "approved_at": year.approved_at,
            "is_collecting": year.is_collecting}


@bp.get("/projects/<int:year_id>/candidates")
def projects_candidates(year_id: int):
    """初选: the candidate list, the proposals still waiting, approval and export."""
    with db().session() as s:
        year = get_year(s, year_id)
        view = year_view(s, year)
        waiting = [{"id": p.id, "title": p.title, "category": p.category, "status": p.status}
                   for p in s.scalars(select(Proposal).where(Proposal.year_id == year.id, Proposal.status == "new")
                                      .order_by(Proposal.id))]
    return render_template("admin/projects_candidates.html", section="projects", waiting=waiting, **view)


def _available_proposals(session, year_id: int, project=None) -> list[dict]:
    """Proposals that can be linked to a candidate: waiting or declined ones, plus those already linked to it."""
    rows = session.scalars(select(Proposal).where(Proposal.year_id == year_id).order_by(Proposal.id))
    return [
        {"id": p.id, "title": p.title, "status": p.status, "checked": project is not None and p.project_id == project.id}
        for p in rows
        if can_become_candidate(p.status) or (project is not None and p.project_id == project.id)
    ]


def _candidate_data(form: CandidateForm) -> dict:
    return {
        "title": form.title.data, "description": form.description.data, "category": form.category.data,
        "department": form.department.data, "budget": form.budget.data,
        "planned_completion": form.planned_completion.data,
    }


def _linked_ids() -> list[int]:
    return [int(v) for v in request.form.getlist("proposal_ids") if v.isdigit()]


@bp.route("/projects/<int:year_id>/candidates/new", methods=["GET", "POST"])
def candidate_new(year_id: int):
    """A new candidate project, usually made from a proposal (?from=<number> fills the form)."""
    with db().session() as s:
        year = get_year(s, year_id)
        source = s.get(Proposal, request.args.get("from", type=int) or 0)
        prefill = {}
        if source is not None and source.year_id == year.id and request.method == "GET":
            prefill = {"title": source.title, "description": source.description, "category": source.category,
                       "budget": format_wan(source.estimated_cost)}
        available = _available_proposals(s, year.id)
        info = _year_info(year)
    form = CandidateForm(data=prefill) if prefill else CandidateForm()
    chosen = _linked_ids() if request.method == "POST" else ([source.id] if prefill else [])
    form_error, status = None, 200
    if form.validate_on_submit():
        try:
            with db().transaction() as s:
                project = screening.create_candidate(s, year_id, _candidate_data(form), chosen)
                title = project.title
        except ActionError as error:
            form_error, status = show_errors(form, error.details, error.message), error.status
        else:
            flash(_("Added to the candidate list: %(title)s.", title=title), "success")
            return redirect(url_for("admin.projects_candidates", year_id=year_id), 303)
    elif form.is_submitted():
        status = 422
    return render_template("admin/projects_candidate.html", section="projects", form=form, year=info,
                           available=available, chosen=chosen, project=None, form_error=form_error), status


@bp.route("/projects/candidates/<int:project_id>/edit", methods=["GET", "POST"])
def candidate_edit(project_id: int):
    """Change a candidate (before the list is approved)."""
    with db().session() as s:
        project = screening.get_project(s, project_id)
        year = get_year(s, project.year_id)
        available = _available_proposals(s, year.id, project)
        info = _year_info(year)
        current = {"title": project.title, "description": project.description, "category": project.category,
                   "department": project.department, "budget": format_wan(project.budget).replace(",", ""),
                   "planned_completion": project.planned_completion}
        linked = [p.id for p in project.proposals]
    form = CandidateForm() if request.method == "POST" else CandidateForm(data=current)
    chosen = _linked_ids() if request.method == "POST" else linked
    form_error, status = None, 200
    if form.validate_on_submit():
        try:
            with db().transaction() as s:
                screening.update_candidate(s, project_id, _candidate_data(form), chosen)
        except ActionError as error:
            form_error, status = show_errors(form, error.details, error.message), error.status
        else:
            flash(_("The candidate is saved."), "success")
            return redirect(url_for("admin.projects_candidates", year_id=info["id"]), 303)
    elif form.is_submitted():
        status = 422
    return render_template("admin/projects_candidate.html", section="projects", form=form, year=info,
                           available=available, chosen=chosen, project={"id": project_id}, form_error=form_error), status


@bp.post("/projects/candidates/<int:project_id>/remove")
def candidate_remove(project_id: int):
    """Take a candidate off the list (before approval)."""
    with db().session() as s:
        year_id = screening.get_project(s, project_id).year_id
    return _run(year_id, lambda s: screening.remove_candidate(s, project_id), _("Taken off the list."),
                "admin.projects_candidates")


def _run(year_id: int, action, done: str, back: str = "admin.projects_year"):
    """One change in a transaction, then back to the year (or `back`) with a message."""
    try:
        with db().transaction() as s:
            action(s)
    except ActionError as error:
        flash(error.message, "error")
    else:
        flash(done, "success")
    return redirect(url_for(back, year_id=year_id), 303)


@bp.post("/projects/<int:year_id>/approve")
def projects_approve(year_id: int):
    """Mark the candidate list approved (it is frozen from here on; the call closes)."""
    return _run(year_id, lambda s: screening.approve_list(s, year_id, g.staff.id),
                _("The candidate list is approved."), "admin.projects_candidates")


@bp.post("/projects/<int:year_id>/reopen")
def projects_reopen(year_id: int):
    """Undo the approval (only before the vote exists)."""
    return _run(year_id, lambda s: screening.reopen_list(s, year_id),
                _("The candidate list can be changed again."), "admin.projects_candidates")


@bp.get("/projects/<int:year_id>/candidates.<fmt>")
def projects_export(year_id: int, fmt: str):
    """The candidate list for the congress's materials: CSV or XLSX."""
    if fmt not in ("csv", "xlsx"):
        return redirect(url_for("admin.projects_candidates", year_id=year_id))
    with db().session() as s:
        year = get_year(s, year_id)
        header, rows = candidate_table(s, year.id)
        title, number = year.title, year.year
    if fmt == "csv":
        data, mimetype = to_csv(header, rows), "text/csv; charset=utf-8"
    else:
        data, mimetype = to_xlsx(header, rows, title), XLSX
    filename = f"candidates-{number}.{fmt}"
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.post("/projects/<int:year_id>/vote")
def projects_vote(year_id: int):
    """票决: one click makes the selection ballot from the approved list; then it runs like any ballot."""
    form = VoteForm()
    with db().session() as s:
        form.meeting_id.choices = meeting_choices(s, plenary_only=True)
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(" ".join(str(e) for e in errors), "error")
        return redirect(url_for("admin.projects_year", year_id=year_id), 303)
    try:
        with db().transaction() as s:
            ballot = create_selection_ballot(s, year_id, form.meeting_id.data, form.seats.data, form.form.data)
            ballot_id = ballot.id
    except ActionError as error:
        flash(error.message, "error")
        return redirect(url_for("admin.projects_year", year_id=year_id), 303)
    flash(_("The vote is on the meeting's agenda. Open it when the hall is ready."), "success")
    return redirect(url_for("admin.ballot", ballot_id=ballot_id), 303)


@bp.post("/projects/<int:year_id>/runoff")
def projects_runoff(year_id: int):
    """再次投票: one click makes the run-off among the tied projects."""
    try:
        with db().transaction() as s:
            ballot_id = create_project_runoff(s, year_id).id
    except ActionError as error:
        flash(error.message, "error")
        return redirect(url_for("admin.projects_year", year_id=year_id), 303)
    flash(_("The run-off is on the agenda. Open it when the hall is ready."), "success")
    return redirect(url_for("admin.ballot", ballot_id=ballot_id), 303)


@bp.post("/projects/<int:year_id>/evaluation")
def projects_evaluation(year_id: int):
    """评: one click makes the year-end satisfaction ballot over the adopted projects."""
    form = EvaluationForm()
    with db().session() as s:
        form.meeting_id.choices = meeting_choices(s, plenary_only=False)
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(" ".join(str(e) for e in errors), "error")
        return redirect(url_for("admin.projects_year", year_id=year_id), 303)
    try:
        with db().transaction() as s:
            ballot_id = create_evaluation_ballot(s, year_id, form.meeting_id.data, form.abstain_option.data).id
    except ActionError as error:
        flash(error.message, "error")
        return redirect(url_for("admin.projects_year", year_id=year_id), 303)
    flash(_("The satisfaction test is on the meeting's agenda."), "success")
    return redirect(url_for("admin.ballot", ballot_id=ballot_id), 303)


@bp.route("/projects/project/<int:project_id>", methods=["GET", "POST"])
def project_detail(project_id: int):
    """One project: its votes, the progress reports (entered for the department) and the inspections."""
    form = ProgressForm() if request.method == "POST" else ProgressForm(data={"update_date": date.today()})
    form_error, status = None, 200
    if form.validate_on_submit():
        try:
            with db().transaction() as s:
                record_progress(s, project_id, form.update_date.data, form.note.data, form.status.data,
                                form.progress.data, form.spent.data, g.staff.id, date.today())
        except ActionError as error:
            form_error, status = show_errors(form, error.details, error.message), error.status
        else:
            flash(_("The progress report is recorded."), "success")
            return redirect(url_for("admin.project_detail", project_id=project_id), 303)
    elif form.is_submitted():
        status = 422
    with db().session() as s:
        project = screening.get_project(s, project_id)
        card = project_view(s, project)
        info = _year_info(get_year(s, project.year_id))
    if request.method == "GET":
        form.status.data = card["status"]
        form.progress.data = card["progress"]
        form.spent.data = format_wan(card["spent"]).replace(",", "")
    return render_template("admin/projects_project.html", section="projects", project=card, year=info, form=form,
                           form_error=form_error), status
