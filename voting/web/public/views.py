"""The public project pages: the years, a year's projects, one project, the summary charts, the proposals."""
from __future__ import annotations

import math

from flask import abort, current_app, redirect, render_template, url_for
from flask_babel import gettext as _

from voting.actions.errors import NotFound
from voting.actions.projects.candidates import get_project
from voting.actions.projects.read import project_view, public_proposals, year_view
from voting.actions.projects.years import all_years, collecting_years, year_by_number
from voting.domain.projects import STATUSES
from voting.web.public import bp

# Colours of the status chart, the same as the badges (public.css).
STATUS_COLOURS = {"not_started": "#8a94a6", "in_progress": "#1f6fd1", "completed": "#1e8a4c", "delayed": "#c2410c"}
DONUT_RADIUS = 15.9155  # circumference 100: a segment's length is its percent


def db():
    """The app's Database."""
    return current_app.extensions["voting.db"]


def _year_or_404(session, year: int):
    try:
        return year_by_number(session, year)
    except NotFound:
        abort(404)


@bp.get("/")
def index():
    """The years with projects; straight to the only one when there is one."""
    with db().session() as s:
        years = [{"year": y.year, "title": y.title, "is_collecting": y.is_collecting} for y in all_years(s)]
        open_years = [y.year for y in collecting_years(s)]
    if len(years) == 1:
        return redirect(url_for("public.year", year=years[0]["year"]))
    return render_template("public/index.html", years=years, open_years=open_years)


@bp.get("/<int:year>")
def year(year: int):
    """The year's projects: progress, status, budget and spending, the vote and the grade."""
    with db().session() as s:
        view = year_view(s, _year_or_404(s, year))
    return render_template("public/year.html", section="projects", **view)


@bp.get("/<int:year>/projects/<int:project_id>")
def project(year: int, project_id: int):
    """One project: its vote, progress reports, inspections and the proposals behind it."""
    with db().session() as s:
        row = _year_or_404(s, year)
        try:
            found = get_project(s, project_id)
        except NotFound:
            abort(404)
        if found.year_id != row.id:
            abort(404)
        card = project_view(s, found)
        view = year_view(s, row)
    return render_template("public/project.html", section="projects", project=card, year=view["year"],
                           ballots=view["ballots"])


def status_segments(by_status: dict[str, int]) -> list[dict]:
    """The donut's segments: each status's share of 100, and where it starts (SVG dash offsets)."""
    total = sum(by_status.values())
    segments, start = [], 0.0
    for status in STATUSES:
        count = by_status.get(status, 0)
        if not count or not total:
            continue
        share = 100 * count / total  # drawing only; no decision rests on it
        segments.append({"status": status, "count": count, "share": share, "offset": 25 - start,
                         "colour": STATUS_COLOURS[status], "percent": math.floor(share + 0.5)})
        start += share
    return segments


@bp.get("/<int:year>/summary")
def summary(year: int):
    """The year in charts: projects by category, by status, spending against budget."""
    with db().session() as s:
        view = year_view(s, _year_or_404(s, year))
    figures = view["summary"]
    return render_template(
        "public/summary.html", section="summary", figures=figures,
        segments=status_segments(figures.by_status) if figures else [], radius=DONUT_RADIUS,
        colours=STATUS_COLOURS, **view,
    )


@bp.get("/<int:year>/proposals")
def proposals(year: int):
    """The year's proposals and what became of each: taken, merged, not taken (why), the reply."""
    with db().session() as s:
        row = _year_or_404(s, year)
        items = public_proposals(s, row.id)
        view = {"year": {"id": row.id, "year": row.year, "title": row.title, "is_collecting": row.is_collecting}}
    return render_template("public/proposals.html", section="proposals", proposals=items, **view)


@bp.get("/<int:year>/proposals/<int:proposal_id>")
def proposal(year: int, proposal_id: int):
    """One proposal (the page a proposer keeps to see the reply)."""
    with db().session() as s:
        row = _year_or_404(s, year)
        found = public_proposals(s, row.id, proposal_id)
        view = {"year": {"id": row.id, "year": row.year, "title": row.title, "is_collecting": row.is_collecting}}
    if not found:
        abort(404)
    return render_template("public/proposal.html", section="proposals", p=found[0], **view)


@bp.app_template_global()
def public_title() -> str:
    """The name of the public site."""
    return _("Livelihood projects")
