"""A meeting's agenda of ballots, and what a phone may learn about its own vote.

Read-only helpers for the booth and the console. None of them reads anyone's
choices: whether a phone's secret has a ballot in the box is answered only to
the phone that holds the secret.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from voting.storage.ballot_box import entry_key, read_entries, shard_of
from voting.storage.ballots import Ballot, BallotBoxShard


def meeting_ballots(session: Session, meeting_id: int) -> list[Ballot]:
    """The meeting's ballots in agenda order, items loaded."""
    return list(
        session.scalars(
            select(Ballot)
            .where(Ballot.meeting_id == meeting_id)
            .options(selectinload(Ballot.items))
            .order_by(Ballot.position, Ballot.id)
        )
    )


def open_ballot_of(session: Session, meeting_id: int) -> Ballot | None:
    """The meeting's open ballot (open_ballot keeps it to one at a time), or None."""
    return session.scalars(
        select(Ballot).where(Ballot.meeting_id == meeting_id, Ballot.status == "open").order_by(Ballot.id)
    ).first()


def latest_closed_ballot(session: Session, meeting_id: int) -> Ballot | None:
    """The meeting's most recently closed (or certified) ballot, or None."""
    return session.scalars(
        select(Ballot)
        .where(Ballot.meeting_id == meeting_id, Ballot.status.in_(("closed", "certified")))
        .order_by(Ballot.closed_at.desc(), Ballot.id.desc())
    ).first()


def holds_vote(session: Session, ballot: Ballot, representative_id: int, nonce: str | None) -> bool:
    """Whether the box holds a ballot under this phone's secret (only while open; keys are scrubbed at close).

    The key is computed exactly as cast_vote computes it and only looked up,
    never stored: the answer goes to the phone that already knows its secret.
    """
    if not nonce or ballot.status != "open":
        return False
    key = entry_key(ballot.id, representative_id, nonce)
    shard = session.scalars(
        select(BallotBoxShard).where(
            BallotBoxShard.ballot_id == ballot.id, BallotBoxShard.shard == shard_of(key, ballot.shard_count)
        )
    ).one_or_none()
    return shard is not None and key in read_entries(shard)
