"""评: the year-end satisfaction ballot (满意度测评) over the adopted projects (domain-rules §3.5)."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from voting.actions.ballots.create import create_ballot
from voting.actions.errors import ActionError
from voting.actions.meetings import get_meeting
from voting.actions.projects.labels import STATUS_LABELS
from voting.actions.projects.vote import register_ballot, year_ballots
from voting.actions.projects.years import get_year
from voting.domain.ballots import SATISFACTION
from voting.domain.projects import ADOPTED
from voting.storage.ballots import Ballot
from voting.storage.projects import Project


def adopted_projects(session: Session, year_id: int) -> list[Project]:
    """The year's formal projects (正式项目) in list order."""
    return list(session.scalars(
        select(Project).where(Project.year_id == year_id, Project.stage == ADOPTED).order_by(Project.position)
    ))


def create_evaluation_ballot(session: Session, year_id: int, meeting_id: int, abstain_option: bool = False) -> Ballot:
    """One click at year end: a draft satisfaction ballot, one line per adopted project.

    The meeting may be the standing committee's or the people's congress's (镇海 /
    龙游 practice). Tiered grading: 满意 / 基本满意 / 不满意 (+ 弃权 if asked).
    Raises ActionError 409 without adopted projects or when the test exists already.
    """
    year = get_year(session, year_id, lock=True)
    if year_ballots(session, year.id, "evaluation"):
        raise ActionError("evaluation_exists", _("The satisfaction test of this year exists already."), 409)
    projects = adopted_projects(session, year.id)
    if not projects:
        raise ActionError("nothing_adopted", _("No project has been adopted yet."), 409)
    meeting = get_meeting(session, meeting_id)
    items = [
        {
            "title": p.title,
            "description": _(
                "Responsible: %(department)s · %(status)s, %(progress)d %%",
                department=p.department, status=STATUS_LABELS[p.status], progress=p.progress,
            ),
        }
        for p in projects
    ]
    ballot = create_ballot(
        session, meeting.id, SATISFACTION,
        _("Satisfaction test of the livelihood projects of %(year)d", year=year.year),
        items, {"grading": "tiered", "abstain_option": bool(abstain_option)},
    )
    register_ballot(session, year.id, ballot, "evaluation", projects)
    return ballot
