"""监督: a representative's inspection note (视察) on an adopted project, from the phone."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from voting.actions.errors import ActionError
from voting.actions.projects.candidates import get_project
from voting.actions.projects.messages import invalid_fields
from voting.domain.projects import ADOPTED, ProjectError, clean_text
from voting.domain.roster import ACTIVE
from voting.storage.models import Representative
from voting.storage.projects import Inspection


def add_inspection(
    session: Session, project_id: int, representative_id: int, inspected_on: Any, note: Any, today: date
) -> Inspection:
    """Record that the representative inspected the project on `inspected_on` (not in the future), and what they saw.

    Raises ActionError 403 for a representative not in office, 409 for a project
    not adopted, 422 with details {field: message}.
    """
    rep = session.get(Representative, representative_id)
    if rep is None or rep.status != ACTIVE:
        raise ActionError("not_in_office", _("Only representatives in office can record inspections."), 403)
    project = get_project(session, project_id)
    if project.stage != ADOPTED:
        raise ActionError("not_adopted", _("Only adopted projects are implemented and supervised."), 409)
    problems: dict[str, tuple[str, dict]] = {}
    if not isinstance(inspected_on, date):
        problems["inspected_on"] = ("required", {"field": "inspected_on"})
    elif inspected_on > today:
        problems["inspected_on"] = ("date_in_future", {})
    try:
        text = clean_text(note, "note", multiline=True)
    except ProjectError as error:
        problems["note"] = (error.code, error.params)
    if problems:
        raise invalid_fields(problems)
    inspection = Inspection(project_id=project.id, representative_id=rep.id, inspected_on=inspected_on, note=text)
    session.add(inspection)
    session.flush()
    return inspection
