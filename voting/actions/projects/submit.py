"""征集: a proposal from the public form (no account) or from a representative's phone."""
from __future__ import annotations

from typing import Any, Mapping

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from voting.actions.errors import ActionError
from voting.actions.projects.messages import invalid_fields
from voting.actions.projects.years import get_year
from voting.domain.projects import check_proposal
from voting.domain.roster import ACTIVE
from voting.storage.models import Representative
from voting.storage.projects import Proposal


def submit_proposal(
    session: Session, year_id: int, data: Mapping[str, Any], representative_id: int | None = None
) -> Proposal:
    """Store a proposal for the year's call, as typed (markup is text; pages escape it).

    From the public (`representative_id` None) the proposer's name and contact are
    required. From a representative, the name is theirs and contact optional.
    Raises ActionError 409 when the call is closed, 422 with details {field: message}
    for the fields to correct, 403 for a representative no longer in office.
    """
    year = get_year(session, year_id)
    if not year.is_collecting:
        raise ActionError("collection_closed", _("The call for proposals is closed."), 409)
    rep = None
    if representative_id is not None:
        rep = session.get(Representative, representative_id)
        if rep is None or rep.status != ACTIVE:
            raise ActionError("not_in_office", _("Only representatives in office can make proposals here."), 403)
        data = {**data, "proposer_name": rep.name}
    checked = check_proposal(data, contact_required=rep is None)
    if not checked.ok:
        raise invalid_fields(checked.problems)
    values = checked.values
    proposal = Proposal(
        year_id=year.id,
        source="representative" if rep else "public",
        title=values["title"],
        description=values["description"],
        category=values["category"],
        place=values["place"],
        estimated_cost=values["estimated_cost"],
        proposer_name=values["proposer_name"],
        proposer_contact=values["proposer_contact"],
        representative_id=rep.id if rep else None,
        status="new",
    )
    session.add(proposal)
    session.flush()
    return proposal
