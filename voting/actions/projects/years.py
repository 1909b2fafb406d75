"""A year's cycle: create it, open and close the public call for proposals, find it."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from voting.actions.errors import ActionError, NotFound
from voting.actions.projects.messages import project_error
from voting.domain.projects import ProjectError, clean_text
from voting.storage.projects import ProjectYear

FIRST_YEAR, LAST_YEAR = 2000, 2100


def create_year(session: Session, year: int, title: str | None = None) -> ProjectYear:
    """A new year's cycle (not yet collecting). Raises ActionError for a bad or existing year."""
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise ActionError("invalid_year", _("Enter a year from %(a)d to %(b)d.", a=FIRST_YEAR, b=LAST_YEAR), 422)
    if session.scalar(select(ProjectYear.id).where(ProjectYear.year == year)) is not None:
        raise ActionError("year_exists", _("The projects of %(year)d are set up already.", year=year), 409)
    try:
        title = clean_text(title, "title", max_length=200, required=False)
    except ProjectError as error:
        raise project_error(error) from None
    row = ProjectYear(year=year, title=title or _("Livelihood projects of %(year)d", year=year))
    session.add(row)
    session.flush()
    return row


def get_year(session: Session, year_id: int, lock: bool = False) -> ProjectYear:
    """The year's cycle by id, or NotFound. `lock` serialises changes to its list."""
    query = select(ProjectYear).where(ProjectYear.id == year_id)
    row = session.scalars(query.with_for_update() if lock else query).one_or_none()
    if row is None:
        raise NotFound(_("No livelihood-project year with id %(id)s.", id=year_id))
    return row


def year_by_number(session: Session, year: int) -> ProjectYear:
    """The cycle of calendar year `year`, or NotFound."""
    row = session.scalars(select(ProjectYear).where(ProjectYear.year == year)).one_or_none()
    if row is None:
        raise NotFound(_("No livelihood projects for %(year)s.", year=year))
    return row


def all_years(session: Session) -> list[ProjectYear]:
    """Every year's cycle, latest first."""
    return list(session.scalars(select(ProjectYear).order_by(ProjectYear.year.desc())))


def collecting_years(session: Session) -> list[ProjectYear]:
    """The years whose call for proposals is open, latest first."""
    return list(session.scalars(
        select(ProjectYear).where(ProjectYear.is_collecting.is_(True)).order_by(ProjectYear.year.desc())
    ))


def set_collecting(session: Session, year_id: int, is_open: bool) -> ProjectYear:
    """Open or close the call for proposals (征集). Closed once the list is approved."""
    row = get_year(session, year_id, lock=True)
    if is_open and row.approved_at is not None:
        raise ActionError("list_approved", _("The candidate list is approved; the call for proposals is over."), 409)
    row.is_collecting = bool(is_open)
    session.flush()
    return row
