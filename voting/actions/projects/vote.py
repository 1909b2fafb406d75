"""票决: the 差额 selection ballot made from the approved list, and the run-off of a tie.

Each ballot item is tied to its project (`project_vote`), so the certified
result lands on the right project whatever the titles say.
"""
from __future__ import annotations

import json

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from voting.actions.ballots.create import create_ballot
from voting.actions.ballots.read import get_ballot
from voting.actions.ballots.runoff import create_runoff
from voting.actions.errors import ActionError
from voting.actions.meetings import get_meeting
from voting.actions.projects.candidates import candidates_of
from voting.actions.projects.labels import CATEGORY_LABELS
from voting.actions.projects.messages import project_error
from voting.actions.projects.years import get_year
from voting.domain.ballots import FORMS, SELECTION
from voting.domain.bodies import PEOPLE_CONGRESS
from voting.domain.projects import CANDIDATE, TIED, ProjectError, check_competitive, format_wan
from voting.storage.ballots import Ballot
from voting.storage.projects import Project, ProjectBallot, ProjectVote


def ballot_description(project: Project) -> str:
    """What the ballot shows under a project's name: department, money, date (as the 力洋镇 paper ballot did)."""
    return _(
        "%(category)s · Responsible: %(department)s · Budget %(budget)s × 10,000 yuan · Completion %(date)s",
        category=CATEGORY_LABELS[project.category],
        department=project.department,
        budget=format_wan(project.budget),
        date=project.planned_completion.isoformat(),
    ) + "\n" + project.description


def year_ballots(session: Session, year_id: int, purpose: str | None = None) -> list[ProjectBallot]:
    """The year's ballots in the order they were made, optionally of one purpose."""
    query = select(ProjectBallot).where(ProjectBallot.year_id == year_id)
    if purpose:
        query = query.where(ProjectBallot.purpose == purpose)
    return list(session.scalars(query.order_by(ProjectBallot.created_at, ProjectBallot.ballot_id)))


def register_ballot(session: Session, year_id: int, ballot: Ballot, purpose: str, projects: list[Project]) -> ProjectBallot:
    """Record that `ballot` belongs to the year, item i standing for projects[i]."""
    if len(ballot.items) != len(projects):
        raise ValueError("one project per ballot item")
    link = ProjectBallot(ballot_id=ballot.id, year_id=year_id, purpose=purpose)
    session.add(link)
    session.flush()
    for item, project in zip(ballot.items, projects):
        session.add(ProjectVote(ballot_item_id=item.id, ballot_id=ballot.id, project_id=project.id))
    session.flush()
    return link


def create_selection_ballot(session: Session, year_id: int, meeting_id: int, seats: int, form: str = "per_item") -> Ballot:
    """One click: a draft selection ballot of the approved candidates, K = `seats`, on a 人代会 meeting.

    Refuses (ActionError) a list not yet approved, a second selection, a meeting of
    a standing committee (票决 is the plenary's), and a list that is not 差额
    (candidates ≤ K). The ballot is opened and closed like any other.
    """
    year = get_year(session, year_id, lock=True)
    if year.approved_at is None:
        raise ActionError("list_not_approved", _("Approve the candidate list first."), 409)
    if year_ballots(session, year.id, "selection"):
        raise ActionError("selection_exists", _("The vote on this year's projects exists already."), 409)
    meeting = get_meeting(session, meeting_id)
    if meeting.body.kind != PEOPLE_CONGRESS:
        raise ActionError(
            "not_plenary", _("Livelihood projects are chosen by a plenary meeting of the people's congress."), 422
        )
    if form not in FORMS:
        raise ActionError("invalid_form", _("Unknown form of ballot."), 422)
    projects = [p for p in candidates_of(session, year.id) if p.stage == CANDIDATE]
    try:
        check_competitive(len(projects), seats)
    except ProjectError as error:
        raise project_error(error) from None
    ballot = create_ballot(
        session, meeting.id, SELECTION, _("Vote on the livelihood projects of %(year)d", year=year.year),
        [{"title": p.title, "description": ballot_description(p)} for p in projects],
        {"seats": seats, "form": form},
    )
    register_ballot(session, year.id, ballot, "selection", projects)
    return ballot


def link_runoff(session: Session, runoff: Ballot) -> ProjectBallot | None:
    """Tie a run-off (made here or from the ballot's own page) to the projects of its parent's tie.

    The run-off lists the tied items in the parent's agenda order (create_runoff),
    so its i-th item is the i-th tied project. Returns None when the parent is not
    a project ballot; the existing link when there is one.
    """
    existing = session.get(ProjectBallot, runoff.id)
    if existing is not None or runoff.parent_ballot_id is None:
        return existing
    parent_link = session.get(ProjectBallot, runoff.parent_ballot_id)
    if parent_link is None or parent_link.purpose not in ("selection", "runoff"):
        return None
    parent = get_ballot(session, runoff.parent_ballot_id)
    tied = {int(i) for i in (json.loads(parent.result_json or "{}").get("runoff") or {}).get("items", [])}
    by_item = {vote.ballot_item_id: vote.project for vote in parent_link.votes}
    projects = [by_item[item.id] for item in parent.items if item.id in tied and item.id in by_item]
    if [p.title for p in projects] != [item.title for item in runoff.items]:
        raise ActionError("runoff_mismatch", _("The run-off's projects are not the tied ones."), 409)
    return register_ballot(session, parent_link.year_id, runoff, "runoff", projects)


def create_project_runoff(session: Session, year_id: int) -> Ballot:
    """One click after a tie: the run-off among the tied projects, seats = the seats left.

    Uses the latest selection or run-off of the year whose result has a tie. If its
    run-off was made from the ballot's page already, that one is linked and returned.
    Raises ActionError 409 when there is no tie to settle.
    """
    get_year(session, year_id, lock=True)
    for link in reversed(year_ballots(session, year_id)):
        if link.purpose == "evaluation":
            continue
        ballot = get_ballot(session, link.ballot_id, lock=True)
        child = session.scalars(select(Ballot).where(Ballot.parent_ballot_id == ballot.id)).first()
        if child is not None:
            if session.get(ProjectBallot, child.id) is None:
                link_runoff(session, child)
                return child
            break  # the latest tie has its run-off already
        if ballot.result_json and (json.loads(ballot.result_json).get("runoff") or {}).get("items"):
            runoff = create_runoff(session, ballot.id)
            link_runoff(session, runoff)
            return runoff
        break
    raise ActionError("no_tie", _("There is no tie to settle."), 409)


def tied_projects(session: Session, year_id: int) -> list[Project]:
    """Projects waiting for a run-off (tied at the K-th place in a certified result)."""
    return list(session.scalars(
        select(Project).where(Project.year_id == year_id, Project.stage == TIED).order_by(Project.position)
    ))
