"""Bodies (人大 / 常委会) and their groups (代表团)."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from voting.actions.errors import ActionError, NotFound
from voting.domain.bodies import BODY_KINDS
from voting.domain.roster import counts_in_roster
from voting.storage.models import Body, Group, Representative


def create_body(
    session: Session, name: str, kind: str, term: int | None = None, groups: list[str] | None = None
) -> Body:
    """A new body with its delegations in the given order. Raises ActionError for an unknown kind."""
    name = (name or "").strip()
    if not name:
        raise ActionError("invalid_name", _("The body needs a name."))
    if kind not in BODY_KINDS:
        raise ActionError("invalid_kind", _("The kind must be people_congress or standing_committee."))
    body = Body(name=name, kind=kind, term=term)
    session.add(body)
    session.flush()
    set_groups(session, body, groups or [])
    return body


def set_groups(session: Session, body: Body, names: list[str]) -> None:
    """Make the body's groups exactly `names` (trimmed, in order); existing groups keep their ids."""
    wanted = []
    for raw in names:
        name = (raw or "").strip()
        if name and name not in wanted:
            wanted.append(name)
    existing = {g.name: g for g in body.groups}
    for name in list(existing):
        if name not in wanted:
            if session.scalar(select(func.count()).where(Representative.group_id == existing[name].id)):
                raise ActionError(
                    "group_in_use",
                    _("The group %(name)s still has representatives; move them first.", name=name),
                    409,
                )
            body.groups.remove(existing[name])
    for position, name in enumerate(wanted):
        group = existing.get(name) or Group(name=name)
        group.position = position
        if group not in body.groups:
            body.groups.append(group)
    session.flush()


def get_body(session: Session, body_id: int) -> Body:
    """The body, or NotFound."""
    body = session.get(Body, body_id)
    if body is None:
        raise NotFound(_("No body with id %(id)s.", id=body_id))
    return body


def roster_count(session: Session, body: Body) -> int:
    """应到: how many representatives currently count in the body's roster."""
    statuses = session.execute(
        select(Representative.status, func.count()).where(Representative.body_id == body.id).group_by(Representative.status)
    ).all()
    return sum(n for status, n in statuses if counts_in_roster(status, body.is_suspended_counted))
