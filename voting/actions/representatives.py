"""One body's roster: find representatives, count them, edit one.

Bulk changes (import from a file) live in voting.actions.roster_import.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, joinedload

from voting.actions.bodies import roster_count
from voting.actions.errors import ActionError, NotFound
from voting.domain.roster import REPRESENTATIVE_STATUSES
from voting.storage.models import Body, Group, Representative


@dataclass(frozen=True)
class RosterPage:
    """One page of a roster search: the rows, how many matched in all, and the page numbers."""

    rows: list[Representative]
    total: int
    page: int
    pages: int


@dataclass(frozen=True)
class RosterCounts:
    """应到 (`expected`), everyone on file (`total`), and how many per status and per group id."""

    expected: int
    total: int
    by_status: dict[str, int]
    by_group: dict[int | None, int]


def _like(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, with the wildcards in it taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_roster(
    session: Session,
    body: Body,
    query: str = "",
    group_id: int | None = None,
    status: str | None = None,
    page: int = 1,
    per_page: int = 100,
) -> RosterPage:
    """Representatives of `body` whose name or number contains `query`, optionally in one group
    (group_id 0 means "in no group") and with one status; ordered by group, then number.
    `page` counts from 1 and is clamped to the pages there are.
    """
    conditions = [Representative.body_id == body.id]
    query = (query or "").strip()
    if query:
        pattern = _like(query)
        conditions.append(
            or_(Representative.name.ilike(pattern, escape="\\"), Representative.number.ilike(pattern, escape="\\"))
        )
    if group_id == 0:
        conditions.append(Representative.group_id.is_(None))
    elif group_id:
        conditions.append(Representative.group_id == group_id)
    if status in REPRESENTATIVE_STATUSES:
        conditions.append(Representative.status == status)

    total = session.scalar(select(func.count()).select_from(Representative).where(*conditions)) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    rows = session.scalars(
        select(Representative)
        .options(joinedload(Representative.group))
        .outerjoin(Group, Representative.group_id == Group.id)
        .where(*conditions)
        # Numbers are text ("2", "10", "A-01"): shorter first keeps numeric numbers in order.
        .order_by(
            Group.position.is_(None), Group.position, func.length(Representative.number), Representative.number
        )
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return RosterPage(rows=list(rows), total=total, page=page, pages=pages)


def roster_counts(session: Session, body: Body) -> RosterCounts:
    """The roster's head counts: 应到, all on file, per status, per group (None: no group)."""
    by_status = dict(
        session.execute(
            select(Representative.status, func.count())
            .where(Representative.body_id == body.id)
            .group_by(Representative.status)
        ).all()
    )
    by_group = dict(
        session.execute(
            select(Representative.group_id, func.count())
            .where(Representative.body_id == body.id)
            .group_by(Representative.group_id)
        ).all()
    )
    return RosterCounts(
        expected=roster_count(session, body),
        total=sum(by_status.values()),
        by_status={s: by_status.get(s, 0) for s in REPRESENTATIVE_STATUSES},
        by_group=by_group,
    )


def get_representative(session: Session, body: Body, representative_id: int) -> Representative:
    """The representative of `body` with this id, or NotFound (also when they belong to another body)."""
    rep = session.get(Representative, representative_id)
    if rep is None or rep.body_id != body.id:
        raise NotFound(_("No representative with id %(id)s.", id=representative_id))
    return rep


def update_representative(
    session: Session,
    body: Body,
    representative_id: int,
    *,
    name: str,
    number: str,
    group_id: int | None,
    status: str,
) -> Representative:
    """Change one representative's name, number, group (None: no group) and status.

    Raises ActionError when the name or number is empty, the number belongs to
    someone else in the body (409), the group is not the body's, or the status is unknown.
    """
    rep = get_representative(session, body, representative_id)
    name, number = (name or "").strip(), (number or "").strip()
    if not name:
        raise ActionError("invalid_name", _("The name is missing."))
    if not number:
        raise ActionError("invalid_number", _("The number is missing."))
    if status not in REPRESENTATIVE_STATUSES:
        raise ActionError("invalid_status", _("Unknown status %(status)s.", status=status))
    if group_id is not None and group_id not in {g.id for g in body.groups}:
        raise ActionError("unknown_group", _("This group does not belong to the body."))
    holder = session.scalar(
        select(Representative.id).where(
            Representative.body_id == body.id, Representative.number == number, Representative.id != rep.id
        )
    )
    if holder is not None:
        raise ActionError(
            "duplicate_number", _("The number %(number)s already belongs to someone else.", number=number), 409
        )
    rep.name, rep.number, rep.group_id, rep.status = name, number, group_id, status
    session.flush()
    return rep
