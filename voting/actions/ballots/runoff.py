"""A one-step run-off (再次投票) among the projects tied across the K-th place of a selection."""
from __future__ import annotations

import json

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from voting.actions.ballots.create import create_ballot
from voting.actions.ballots.read import get_ballot, rules_of
from voting.actions.errors import ActionError
from voting.domain.ballots import SELECTION
from voting.storage.ballots import Ballot


def create_runoff(session: Session, ballot_id: int) -> Ballot:
    """A draft selection ballot among the tied projects, for the seats left, at the end of the agenda.

    It keeps the parent's rules (form, threshold, secrecy...) with `seats` set to
    the run-off's seats, points at the parent with `parent_ballot_id`, and lists
    the tied projects in their agenda order. The caller commits.
    Raises ActionError (409) unless the ballot is a closed selection with a tie,
    or when its run-off already exists; NotFound for an unknown ballot.
    """
    parent = get_ballot(session, ballot_id, lock=True)
    if parent.kind != SELECTION or parent.result_json is None:
        raise ActionError("no_runoff", _("Only a closed project selection with a tie needs a run-off."), 409)
    runoff = json.loads(parent.result_json).get("runoff")
    if not runoff or not runoff.get("items"):
        raise ActionError("no_runoff", _("Only a closed project selection with a tie needs a run-off."), 409)
    existing = session.scalar(select(Ballot.id).where(Ballot.parent_ballot_id == parent.id))
    if existing is not None:
        raise ActionError("runoff_exists", _("The run-off of this ballot has already been created."), 409)
    tied = {int(item_id) for item_id in runoff["items"]}
    items = [{"title": item.title, "description": item.description} for item in parent.items if item.id in tied]
    rules = rules_of(parent).to_mapping()
    rules["seats"] = int(runoff["seats"])
    # Shorten the parent's title, not the result, so the run-off mark always shows.
    title = _("%(title)s (run-off)", title=parent.title[:280])
    return create_ballot(
        session, parent.meeting_id, SELECTION, title, items, rules, parent_ballot_id=parent.id
    )
