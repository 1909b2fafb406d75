"""Cast a vote: one per representative, secret unless the ballot is named, changeable until close.

The phone's `nonce` is the voter's secret: its hash keys the ballot in the box
and the receipt is derived from it. Sending the same nonce again is a replay
(same receipt, counted once) or, with new choices and `allow_change`, a change.
The server keeps no record of which nonce belongs to whom.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from voting.actions.attendance import representative_status, roster_member
from voting.actions.ballots.messages import domain_error
from voting.actions.ballots.read import get_ballot, item_ids, rules_of
from voting.actions.errors import ActionError
from voting.domain.attendance import PRESENT
from voting.domain.ballots import DomainError, validate_choices
from voting.storage.ballot_box import canonical, entry_key, lock_shard, read_entries, receipt_for, shard_of, write_entries
from voting.storage.ballots import Participation
from voting.storage.models import utcnow

# At least 128 bits from a URL-safe alphabet: the nonce is a secret, not a label.
NONCE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{22,128}$")

RECORDED, UNCHANGED, CHANGED = "recorded", "unchanged", "changed"


@dataclass(frozen=True)
class CastReceipt:
    """What the phone is told: the receipt and whether this call recorded, repeated or changed the vote."""

    receipt: str
    outcome: str  # recorded | unchanged | changed


def cast_vote(
    session: Session,
    ballot_id: int,
    representative_id: int,
    choices: dict,
    nonce: str,
    now: datetime | None = None,
) -> CastReceipt:
    """Record a representative's vote in the ballot box. The caller commits.

    Raises ActionError: 409 when the ballot is not open, its time is up, the
    representative already voted from another device or may not change; 403
    when not on the roster or not checked in (if required); 422 for choices
    the ballot does not accept or a malformed nonce.
    """
    now = now or utcnow()
    if not isinstance(nonce, str) or not NONCE_PATTERN.match(nonce):
        raise ActionError("invalid_nonce", _("The device's ballot key is missing or malformed; reload the page."), 422)
    ballot = get_ballot(session, ballot_id, share=True)
    if ballot.status != "open":
        message = (
            _("Voting has not started yet.") if ballot.status == "draft" else _("Voting on this ballot has ended.")
        )
        raise ActionError("ballot_not_open", message, 409)
    if ballot.deadline_at is not None and now >= ballot.deadline_at:
        raise ActionError("time_is_up", _("The time for this vote is up."), 409)
    rules = rules_of(ballot)
    roster_member(session, ballot.meeting, representative_id)
    if rules.require_checkin:
        attendance = representative_status(session, ballot.meeting_id, representative_id)
        if attendance is None or attendance.status != PRESENT:
            raise ActionError("not_checked_in", _("Check in first: scan the code on the hall screen."), 403)
    try:
        normalized = validate_choices(ballot.kind, rules, item_ids(ballot), choices)
    except DomainError as error:
        raise domain_error(error) from None
    stored = {str(item_id): choice for item_id, choice in normalized.items()}
    named = None if rules.secret else canonical(stored)

    key = entry_key(ballot.id, representative_id, nonce)
    shard_index = shard_of(key, ballot.shard_count)
    try:
        with session.begin_nested():
            session.add(Participation(ballot_id=ballot.id, representative_id=representative_id, named_choices_json=named))
    except IntegrityError:
        return _repeat_or_change(session, ballot, representative_id, key, shard_index, stored, named, rules.allow_change, nonce)

    shard = lock_shard(session, ballot.id, shard_index)
    entries = read_entries(shard)
    if key in entries:
        # Another voter holds this secret: impossible for honest phones (2^128 space).
        raise ActionError("nonce_in_use", _("This ballot key is already in use; reload the page."), 409)
    entries[key] = stored
    write_entries(shard, entries)
    session.flush()
    return CastReceipt(receipt_for(ballot.id, nonce), RECORDED)


def _repeat_or_change(session, ballot, representative_id, key, shard_index, stored, named, allow_change, nonce):
    """The representative has voted before: a replay of the same vote, a change, or a refusal."""
    shard = lock_shard(session, ballot.id, shard_index)
    entries = read_entries(shard)
    if key not in entries:
        raise ActionError(
            "already_voted",
            _("You have already voted on this ballot from another device; one vote each."),
            409,
        )
    if entries[key] == stored:
        return CastReceipt(receipt_for(ballot.id, nonce), UNCHANGED)
    if not allow_change:
        raise ActionError("change_not_allowed", _("This ballot does not allow changing a vote."), 409)
    entries[key] = stored
    write_entries(shard, entries)
    if named is not None:
        participation = session.get(Participation, (ballot.id, representative_id))
        participation.named_choices_json = named
    session.flush()
    return CastReceipt(receipt_for(ballot.id, nonce), CHANGED)
