"""Console pages of the livelihood projects: the years, the call for proposals, and handling proposals.

Screening, the votes and implementation are in projects_cycle.py. Every change
is one transaction, then a redirect (post/redirect/get) with a message.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import or_, select

from voting.actions.errors import ActionError
from voting.actions.projects import handle
from voting.actions.projects.read import year_view
from voting.actions.projects.years import all_years, create_year, get_year, set_collecting
from voting.domain.projects import CATEGORIES, PROPOSAL_STATUSES
from voting.storage.models import Body, Meeting
from voting.storage.projects import Proposal
from voting.web import project_labels
from voting.web.admin import bp
from voting.web.admin.helpers import db
from voting.web.admin.project_forms import DeclineForm, EvaluationForm, MergeForm, ReplyForm, VoteForm, YearForm, show_errors
from voting.domain.bodies import PEOPLE_CONGRESS

bp.record_once(lambda state: project_labels.register(state.app))

PAGE_SIZE = 50


@bp.route("/projects", methods=["GET", "POST"])
def projects_years():
    """The years of livelihood projects, and a form to start a new year."""
    form = YearForm()
    status = 200
    if form.validate_on_submit():
        try:
            with db().transaction() as s:
                row = create_year(s, form.year.data, form.title.data)
                year_id = row.id
        except ActionError as error:
            form.year.errors.append(error.message)
            status = error.status
        else:
            flash(_("The projects of %(year)d are set up. Open the call for proposals when ready.", year=form.year.data), "success")
            return redirect(url_for("admin.projects_year", year_id=year_id), 303)
    elif form.is_submitted():
        status = 422
    with db().session() as s:
        years = [{"id": y.id, "year": y.year, "title": y.title, "is_collecting": y.is_collecting,
                  "approved_at": y.approved_at, "count": len(y.projects)} for y in all_years(s)]
    return render_template("admin/projects_years.html", section="projects", form=form, years=years), status


def meeting_choices(session, plenary_only: bool) -> list[tuple[int, str]]:
    """Meetings not yet closed (of a people's congress only, for the 票决), latest first."""
    query = select(Meeting).join(Body).where(Meeting.status != "closed")
    if plenary_only:
        query = query.where(Body.kind == PEOPLE_CONGRESS)
    rows = session.scalars(query.order_by(Meeting.meeting_date.desc().nulls_last(), Meeting.id.desc()))
    return [(m.id, f"{m.body.name} · {m.title}") for m in rows]


@bp.get("/projects/<int:year_id>")
def projects_year(year_id: int):
    """The year's cycle at a glance: where it stands, the next step's button, its ballots."""
    with db().session() as s:
        view = year_view(s, get_year(s, year_id))
        plenary = meeting_choices(s, plenary_only=True)
        any_meeting = meeting_choices(s, plenary_only=False)
    vote_form, evaluation_form = VoteForm(), EvaluationForm()
    vote_form.meeting_id.choices = plenary
    evaluation_form.meeting_id.choices = any_meeting
    candidates = [p for p in view["projects"] if p["stage"] == "candidate"]
    tied = [p for p in view["projects"] if p["stage"] == "tied"]
    return render_template(
        "admin/projects_year.html", section="projects", vote_form=vote_form, evaluation_form=evaluation_form,
        candidates=candidates, tied=tied, **view,
    )


@bp.post("/projects/<int:year_id>/collecting")
def projects_collecting(year_id: int):
    """Open or close the public call for proposals (征集)."""
    is_open = request.form.get("open") == "1"
    try:
        with db().transaction() as s:
            set_collecting(s, year_id, is_open)
    except ActionError as error:
        flash(error.message, "error")
    else:
        flash(_("The call for proposals is open.") if is_open else _("The call for proposals is closed."), "success")
    return redirect(url_for("admin.projects_year", year_id=year_id), 303)


@bp.get("/projects/<int:year_id>/proposals")
def projects_proposals(year_id: int):
    """The year's proposals, newest first, filtered by status, category or words."""
    status = request.args.get("status") or ""
    category = request.args.get("category") or ""
    q = (request.args.get("q") or "").strip()[:100]
    with db().session() as s:
        year = get_year(s, year_id)
        query = select(Proposal).where(Proposal.year_id == year.id)
        if status in PROPOSAL_STATUSES:
            query = query.where(Proposal.status == status)
        if category in CATEGORIES:
            query = query.where(Proposal.category == category)
        if q:
            like = f"%{q.replace('%', '').replace('_', '')}%"
            query = query.where(or_(Proposal.title.ilike(like), Proposal.description.ilike(like),
                                    Proposal.place.ilike(like), Proposal.proposer_name.ilike(like)))
        rows = list(s.scalars(query.order_by(Proposal.id.desc()).limit(PAGE_SIZE * 20)))
        proposals = [_proposal_row(p) for p in rows]
        year_info = {"id": year.id, "year": year.year, "title": year.title}
    return render_template("admin/projects_proposals.html", section="projects", year=year_info, proposals=proposals,
                           status=status, category=category, q=q)


def _proposal_row(p: Proposal) -> dict:
    """A proposal as the console shows it (the contact included: the clerk needs it)."""
    return {
        "id": p.id, "title": p.title, "description": p.description, "category": p.category, "place": p.place,
        "estimated_cost": p.estimated_cost, "proposer_name": p.proposer_name, "proposer_contact": p.proposer_contact,
        "source": p.source, "status": p.status, "merged_into_id": p.merged_into_id, "project_id": p.project_id,
        "project_title": p.project.title if p.project else None, "decline_reason": p.decline_reason,
        "reply": p.reply, "replied_at": p.replied_at, "created_at": p.created_at, "year_id": p.year_id,
        "representative": p.representative.name if p.representative else None,
    }


@bp.get("/proposals/<int:proposal_id>")
def proposal_detail(proposal_id: int, forms: dict | None = None, status: int = 200):
    """One proposal: reply, merge as a duplicate, decline with a reason, or take into a candidate."""
    with db().session() as s:
        proposal = handle.get_proposal(s, proposal_id)
        row = _proposal_row(proposal)
        duplicates = [{"id": p.id, "title": p.title} for p in s.scalars(
            select(Proposal).where(Proposal.merged_into_id == proposal.id).order_by(Proposal.id))]
        year = get_year(s, proposal.year_id)
        year_info = {"id": year.id, "year": year.year, "title": year.title, "approved_at": year.approved_at}
    forms = forms or {}
    reply_form = forms.get("reply") or ReplyForm(data={"reply": row["reply"] or ""})
    decline_form = forms.get("decline") or DeclineForm(data={"reason": row["decline_reason"] or ""})
    merge_form = forms.get("merge") or MergeForm(formdata=None)
    return render_template(
        "admin/projects_proposal.html", section="projects", p=row, year=year_info, duplicates=duplicates,
        reply_form=reply_form, decline_form=decline_form, merge_form=merge_form,
    ), status


def _proposal_action(proposal_id: int, name: str, form, run, done: str):
    """Validate `form`, run the action in a transaction, and go back to the proposal (or show the errors)."""
    if form.validate_on_submit():
        try:
            with db().transaction() as s:
                run(s)
        except ActionError as error:
            message = show_errors(form, error.details, error.message)
            if message:
                flash(message, "error")
            return proposal_detail(proposal_id, {name: form}, error.status)
        flash(done, "success")
        return redirect(url_for("admin.proposal_detail", proposal_id=proposal_id), 303)
    return proposal_detail(proposal_id, {name: form}, 422)


@bp.post("/proposals/<int:proposal_id>/reply")
def proposal_reply(proposal_id: int):
    """Publish (or change) the reply to a proposal."""
    form = ReplyForm()
    return _proposal_action(proposal_id, "reply", form,
                            lambda s: handle.reply_to_proposal(s, proposal_id, form.reply.data),
                            _("The reply is published."))


@bp.post("/proposals/<int:proposal_id>/merge")
def proposal_merge(proposal_id: int):
    """Merge a duplicate into another proposal (the link is kept and shown)."""
    form = MergeForm()
    return _proposal_action(proposal_id, "merge", form,
                            lambda s: handle.merge_proposal(s, proposal_id, form.into_id.data),
                            _("Merged as a duplicate."))


@bp.post("/proposals/<int:proposal_id>/unmerge")
def proposal_unmerge(proposal_id: int):
    """Undo a merge."""
    try:
        with db().transaction() as s:
            handle.unmerge_proposal(s, proposal_id)
    except ActionError as error:
        flash(error.message, "error")
    else:
        flash(_("The merge is undone."), "success")
    return redirect(url_for("admin.proposal_detail", proposal_id=proposal_id), 303)


@bp.post("/proposals/<int:proposal_id>/decline")
def proposal_decline(proposal_id: int):
    """Record why the proposal is not taken into the candidate list."""
    form = DeclineForm()
    return _proposal_action(proposal_id, "decline", form,
                            lambda s: handle.decline_proposal(s, proposal_id, form.reason.data),
                            _("Recorded as not taken."))
