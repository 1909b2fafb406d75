"""初选: the government office's candidate list, made from proposals, then approved.

Until the list is approved the clerk adds, edits and removes candidates and
links the proposals each one answers; approving freezes the list (the 差额 vote
is created from exactly this list). Reopening is possible until that vote exists.
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from voting.actions.errors import ActionError, NotFound
from voting.actions.projects.messages import invalid_fields
from voting.actions.projects.years import get_year
from voting.domain.projects import CANDIDATE, can_become_candidate, check_candidate
from voting.storage.models import utcnow
from voting.storage.projects import Project, ProjectBallot, ProjectYear, Proposal


def get_project(session: Session, project_id: int, lock: bool = False) -> Project:
    """The project, or NotFound."""
    query = select(Project).where(Project.id == project_id)
    project = session.scalars(query.with_for_update() if lock else query).one_or_none()
    if project is None:
        raise NotFound(_("No project with id %(id)s.", id=project_id))
    return project


def candidates_of(session: Session, year_id: int) -> list[Project]:
    """The year's candidate list in its order (every project ever on it, whatever its stage now)."""
    return list(session.scalars(select(Project).where(Project.year_id == year_id).order_by(Project.position, Project.id)))


def _editable(year: ProjectYear) -> None:
    if year.approved_at is not None:
        raise ActionError("list_approved", _("The candidate list is approved and can no longer change."), 409)


def _link(session: Session, year: ProjectYear, project: Project, proposal_ids: Iterable[int]) -> None:
    """Make the project's linked proposals exactly `proposal_ids`; unlinked ones wait again."""
    wanted = {int(i) for i in proposal_ids}
    # Queried, not project.proposals: a relationship loaded earlier in this session may be stale.
    linked = list(session.scalars(select(Proposal).where(Proposal.project_id == project.id)))
    for proposal in linked:
        if proposal.id not in wanted:
            proposal.status, proposal.project_id = "new", None
    current = {p.id for p in linked}
    for proposal_id in sorted(wanted - current):
        proposal = session.get(Proposal, proposal_id)
        if proposal is None or proposal.year_id != year.id:
            raise ActionError("unknown_proposal", _("No proposal with number %(id)s.", id=proposal_id), 422)
        if not can_become_candidate(proposal.status):
            raise ActionError(
                "proposal_unavailable",
                _("Proposal %(id)s is merged or already in another candidate.", id=proposal_id), 422,
            )
        proposal.status, proposal.project_id = "candidate", project.id
        proposal.decline_reason = None


def create_candidate(
    session: Session, year_id: int, data: Mapping[str, Any], proposal_ids: Iterable[int] = ()
) -> Project:
    """A new candidate project at the end of the list, answering the given proposals.

    Raises ActionError 409 once the list is approved, 422 with details {field: message}.
    """
    year = get_year(session, year_id, lock=True)
    _editable(year)
    checked = check_candidate(data, year.year)
    if not checked.ok:
        raise invalid_fields(checked.problems)
    position = session.scalar(select(func.coalesce(func.max(Project.position), 0)).where(Project.year_id == year.id))
    project = Project(year_id=year.id, position=position + 1, stage=CANDIDATE, **checked.values)
    session.add(project)
    session.flush()
    _link(session, year, project, proposal_ids)
    session.flush()
    return project


def update_candidate(
    session: Session, project_id: int, data: Mapping[str, Any], proposal_ids: Iterable[int] = ()
) -> Project:
    """Change a candidate before the list is approved (fields and linked proposals)."""
    project = get_project(session, project_id, lock=True)
    year = get_year(session, project.year_id, lock=True)
    _editable(year)
    checked = check_candidate(data, year.year)
    if not checked.ok:
        raise invalid_fields(checked.problems)
    for name, value in checked.values.items():
        setattr(project, name, value)
    _link(session, year, project, proposal_ids)
    session.flush()
    return project


def remove_candidate(session: Session, project_id: int) -> None:
    """Take a candidate off the list before approval; its proposals wait again."""
    project = get_project(session, project_id, lock=True)
    year = get_year(session, project.year_id, lock=True)
    _editable(year)
    _link(session, year, project, ())
    session.delete(project)
    session.flush()


def approve_list(session: Session, year_id: int, user_id: int | None) -> ProjectYear:
    """Mark the year's candidate list approved (as the Party committee and the government decided).

    It needs at least two candidates (a 差额 vote needs more than one). The call
    for proposals closes with it. Raises ActionError 409.
    """
    year = get_year(session, year_id, lock=True)
    _editable(year)
    count = session.scalar(select(func.count()).select_from(Project).where(Project.year_id == year.id))
    if count < 2:
        raise ActionError("too_few_candidates", _("A competitive vote needs at least two candidate projects."), 409)
    year.approved_at, year.approved_by_id, year.is_collecting = utcnow(), user_id, False
    session.flush()
    return year


def reopen_list(session: Session, year_id: int) -> ProjectYear:
    """Undo the approval, as long as no vote has been created from the list."""
    year = get_year(session, year_id, lock=True)
    if year.approved_at is None:
        return year
    voted = session.scalar(select(ProjectBallot.ballot_id).where(ProjectBallot.year_id == year.id).limit(1))
    if voted is not None:
        raise ActionError("vote_exists", _("The vote on this list exists already; the list can no longer change."), 409)
    year.approved_at = year.approved_by_id = None
    session.flush()
    return year
