"""Cast a vote: one per representative, secret unless the ballot is named, changeable until close.

The phone's `nonce` is the voter's secret: its hash keys the ballot in the box
and the receipt is derived from it. Sending the same nonce again is a replay
(same receipt, counted once) or, with new choices and `allow_change`, a change.
The server keeps no record of which nonce belongs to whom.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from flask_babel import gettext as _
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, aliased

from voting.actions.attendance import roster_member
from voting.actions.ballots.messages import domain_error
from voting.actions.ballots.read import get_ballot
from voting.actions.errors import ActionError
from voting.domain.attendance import PRESENT
from voting.domain.ballots import DomainError, Rules, validate_choices
from voting.domain.roster import counts_in_roster
from voting.storage.ballot_box import (
    canonical,
    entry_key,
    lock_shard,
    read_entries,
    receipt_for,
    shard_of,
    store_entries,
    write_entries,
)
from voting.storage.ballots import Ballot, BallotBoxShard, BallotItem, Participation
from voting.storage.participation import record_participation
from voting.storage.prepared import Prepared, as_datetime
from voting.storage.models import Attendance, Body, Meeting, Representative, utcnow

# At least 128 bits from a URL-safe alphabet: the nonce is a secret, not a label.
NONCE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{22,128}$")

RECORDED, UNCHANGED, CHANGED = "recorded", "unchanged", "changed"


@dataclass(frozen=True)
class CastReceipt:
    """What the phone is told: the receipt and whether this call recorded, repeated or changed the vote."""

    receipt: str
    outcome: str  # recorded | unchanged | changed
    meeting_id: int | None = None  # the ballot's meeting (to announce progress without another query)


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

    A whole congress votes within seconds, so the usual path reads and writes
    with four Prepared statements on the session's connection (the ballot and
    the voter with a shared lock, the roll, the shard locked, the shard
    written); every refusal is explained by the same ORM helpers as before.
    """
    now = now or utcnow()
    if not isinstance(nonce, str) or not NONCE_PATTERN.match(nonce):
        raise ActionError("invalid_nonce", _("The device's ballot key is missing or malformed; reload the page."), 422)
    connection = session.connection()
    row = _BALLOT_AND_VOTER.one_or_none(connection, {"ballot_id": ballot_id, "representative_id": representative_id})
    if row is None:
        get_ballot(session, ballot_id)  # raises NotFound
    if row.status != "open":
        message = _("Voting has not started yet.") if row.status == "draft" else _("Voting on this ballot has ended.")
        raise ActionError("ballot_not_open", message, 409)
    if row.deadline_at is not None and now >= as_datetime(row.deadline_at):
        raise ActionError("time_is_up", _("The time for this vote is up."), 409)
    kind, meeting_id, shard_count = row.kind, row.meeting_id, row.shard_count
    rules = _rules(row.rules_json)
    if row.voter_body_id != row.meeting_body_id or not counts_in_roster(row.voter_status, row.is_suspended_counted):
        roster_member(session, get_ballot(session, ballot_id).meeting, representative_id)  # raises the right refusal
    if rules.require_checkin and row.attendance != PRESENT:
        raise ActionError("not_checked_in", _("Check in first: scan the code on the hall screen."), 403)
    try:
        normalized = validate_choices(kind, rules, _item_ids(connection, ballot_id, row.opened_at), choices)
    except DomainError as error:
        raise domain_error(error) from None
    stored = {str(item_id): choice for item_id, choice in normalized.items()}
    named = None if rules.secret else canonical(stored)

    key = entry_key(ballot_id, representative_id, nonce)
    shard_index = shard_of(key, shard_count)
    if not record_participation(session, ballot_id, representative_id, named):
        ballot = get_ballot(session, ballot_id)
        return _repeat_or_change(session, ballot, representative_id, key, shard_index, stored, named, rules.allow_change, nonce)

    shard_id, entries_json = _SHARD_FOR_UPDATE.one_or_none(connection, {"ballot_id": ballot_id, "shard": shard_index})
    entries = json.loads(entries_json)
    if key in entries:
        # Another voter holds this secret: impossible for honest phones (2^128 space).
        raise ActionError("nonce_in_use", _("This ballot key is already in use; reload the page."), 409)
    entries[key] = stored
    store_entries(connection, shard_id, entries)
    return CastReceipt(receipt_for(ballot_id, nonce), RECORDED, meeting_id)


# The vote's statements, built once. FOR SHARE OF ballot: a close (FOR UPDATE) waits
# for the votes being written, and every vote after it sees "closed" (SQLite: its
# write lock, taken at BEGIN IMMEDIATE, does the same). The voter comes in the same
# round trip: their roster standing, their body's rule for suspended members and
# their attendance at the ballot's meeting (NULLs when there is no such person).
_VOTER_ATTENDANCE = aliased(Attendance)
_BALLOT_AND_VOTER = Prepared(
    select(Ballot.status, Ballot.deadline_at, Ballot.kind, Ballot.rules_json, Ballot.meeting_id, Ballot.shard_count,
           Ballot.opened_at, Meeting.body_id.label("meeting_body_id"), Representative.body_id.label("voter_body_id"),
           Representative.status.label("voter_status"), Body.is_suspended_counted,
           _VOTER_ATTENDANCE.status.label("attendance"))
    .join(Meeting, Meeting.id == Ballot.meeting_id)
    .outerjoin(Representative, Representative.id == bindparam("representative_id"))
    .outerjoin(Body, Body.id == Representative.body_id)
    .outerjoin(_VOTER_ATTENDANCE, (_VOTER_ATTENDANCE.meeting_id == Ballot.meeting_id)
               & (_VOTER_ATTENDANCE.representative_id == Representative.id))
    .where(Ballot.id == bindparam("ballot_id"))
    .with_for_update(read=True, of=Ballot)
)
_ITEMS = select(BallotItem.id).where(BallotItem.ballot_id == bindparam("ballot_id")).order_by(BallotItem.position, BallotItem.id)
_SHARD_FOR_UPDATE = Prepared(
    select(BallotBoxShard.id, BallotBoxShard.entries_json)
    .where(BallotBoxShard.ballot_id == bindparam("ballot_id"), BallotBoxShard.shard == bindparam("shard"))
    .with_for_update()
)


@lru_cache(maxsize=256)
def _rules(rules_json: str) -> Rules:
    """A ballot's rules from their stored JSON (frozen; the same text always gives the same rules)."""
    return Rules.from_mapping(json.loads(rules_json))


_OPEN_ITEMS: dict[tuple, list[int]] = {}


def _item_ids(connection, ballot_id: int, opened_at) -> list[int]:
    """The ballot's item ids in agenda order. Remembered per process for an open ballot (its
    items never change once it is open), keyed by database, ballot and opening time, so a
    reused id (a database reset, as tests do) is never mistaken for an old ballot."""
    key = (str(connection.engine.url), ballot_id, opened_at)
    found = _OPEN_ITEMS.get(key)
    if found is None:
        found = [item_id for (item_id,) in connection.execute(_ITEMS, {"ballot_id": ballot_id})]
        if len(_OPEN_ITEMS) > 1000:
            _OPEN_ITEMS.clear()
        _OPEN_ITEMS[key] = found
    return found


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
