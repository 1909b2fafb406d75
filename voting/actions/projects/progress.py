"""实施: dated progress reports of the responsible department, entered by the clerk on its behalf.

The project's current status, progress and money spent are those of its latest
report (by date, then by entry), so a report entered late for an earlier date
joins the history without turning the clock back.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from voting.actions.errors import ActionError
from voting.actions.projects.candidates import get_project
from voting.actions.projects.messages import invalid_fields
from voting.domain.projects import ADOPTED, ProjectError, check_progress, clean_text, parse_wan
from voting.storage.projects import Project, ProjectUpdate


def _require_adopted(project: Project) -> None:
    if project.stage != ADOPTED:
        raise ActionError("not_adopted", _("Only adopted projects are implemented and supervised."), 409)


def record_progress(
    session: Session, project_id: int, update_date: Any, note: Any, status: Any, progress: Any, spent: Any,
    user_id: int | None, today: date,
) -> ProjectUpdate:
    """Add a progress report: date (not in the future), what was done, status, percent, money spent so far (万元).

    Raises ActionError 409 for a project that is not adopted, 422 with details {field: message}.
    """
    project = get_project(session, project_id, lock=True)
    _require_adopted(project)
    problems: dict[str, tuple[str, dict]] = {}
    values: dict[str, Any] = {}
    if not isinstance(update_date, date):
        problems["update_date"] = ("required", {"field": "update_date"})
    elif update_date > today:
        problems["update_date"] = ("date_in_future", {})
    try:
        values["note"] = clean_text(note, "note", multiline=True)
    except ProjectError as error:
        problems["note"] = (error.code, error.params)
    try:
        values["progress"] = check_progress(status, progress)
    except ProjectError as error:
        problems["status" if error.code == "unknown_status" else "progress"] = (error.code, error.params)
    try:
        values["spent"] = parse_wan(spent, "spent", required=True)
    except ProjectError as error:
        problems["spent"] = (error.code, error.params)
    if problems:
        raise invalid_fields(problems)
    update = ProjectUpdate(
        project_id=project.id, update_date=update_date, note=values["note"], status=status,
        progress=values["progress"], spent=values["spent"], entered_by_id=user_id,
    )
    session.add(update)
    session.flush()
    latest = session.scalars(
        select(ProjectUpdate).where(ProjectUpdate.project_id == project.id)
        .order_by(ProjectUpdate.update_date.desc(), ProjectUpdate.id.desc()).limit(1)
    ).one()
    project.status, project.progress, project.spent = latest.status, latest.progress, latest.spent
    session.flush()
    return update
