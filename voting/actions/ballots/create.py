"""Create a ballot on a meeting's agenda."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from voting.actions.ballots.messages import domain_error
from voting.actions.errors import ActionError
from voting.actions.meetings import get_meeting
from voting.domain.ballots import DomainError, Rules, validate_definition
from voting.storage.ballot_box import canonical
from voting.storage.ballots import Ballot, BallotItem

MAX_DESCRIPTION = 5000


def create_ballot(
    session: Session,
    meeting_id: int,
    kind: str,
    title: str,
    items: list[dict],
    rules: dict | None = None,
    parent_ballot_id: int | None = None,
) -> Ballot:
    """A draft ballot at the end of the meeting's agenda.

    `items` are {"title", "description"?} in agenda order (removals before
    appointments is the clerk's order to keep). Raises ActionError (422) for a
    definition the rules refuse, NotFound for an unknown meeting.
    """
    meeting = get_meeting(session, meeting_id)
    if meeting.status == "closed":
        raise ActionError("meeting_closed", _("This meeting is closed."), 409)
    title = (title or "").strip()
    if not title or len(title) > 300:
        raise ActionError("invalid_title", _("A ballot needs a title of at most 300 characters."), 422)
    try:
        parsed_rules = Rules.from_mapping(rules or {})
        titles = validate_definition(kind, parsed_rules, [str(item.get("title") or "") for item in items])
    except DomainError as error:
        raise domain_error(error) from None
    position = session.scalar(select(func.coalesce(func.max(Ballot.position), 0)).where(Ballot.meeting_id == meeting.id))
    ballot = Ballot(
        meeting_id=meeting.id,
        kind=kind,
        title=title,
        rules_json=canonical(parsed_rules.to_mapping()),
        position=position + 1,
        parent_ballot_id=parent_ballot_id,
    )
    for index, (item_title, item) in enumerate(zip(titles, items)):
        description = (item.get("description") or "").strip() or None
        if description and len(description) > MAX_DESCRIPTION:
            raise ActionError("invalid_description", _("An item's description is too long."), 422)
        ballot.items.append(BallotItem(position=index, title=item_title, description=description))
    session.add(ballot)
    session.flush()
    return ballot
