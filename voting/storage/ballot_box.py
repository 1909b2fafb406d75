"""Reading and writing the ballot box's shard rows (see voting.storage.ballots for why it looks like this)."""
from __future__ import annotations

import hashlib
import json
from sqlalchemy import bindparam, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from voting.storage.ballots import BallotBoxShard
from voting.storage.prepared import Prepared

BALLOTS_PER_SHARD = 100


def shard_count_for(expected: int) -> int:
    """How many shard rows a ballot's box gets: about a hundred ballots each, at least one.

    Fewer shards mean more voters share a row (better anonymity while the vote is
    open); more mean less lock contention when a whole congress votes at once.
    """
    return max(1, expected // BALLOTS_PER_SHARD)


def entry_key(ballot_id: int, representative_id: int, secret: str) -> str:
    """The box key of a vote: SHA-256 over the ballot, the voter and the phone's secret nonce.

    Without the secret nobody can compute it from a representative's id, so the
    box does not say whose a ballot is; with it, only its owner can change it
    (another voter who learnt the nonce gets a different key).
    """
    return hashlib.sha256(f"ballot-entry:{ballot_id}:{representative_id}:{secret}".encode()).hexdigest()


def receipt_for(ballot_id: int, secret: str) -> str:
    """The receipt shown on the phone: derived from the secret, not stored anywhere."""
    digest = hashlib.sha256(f"ballot-receipt:{ballot_id}:{secret}".encode()).hexdigest()
    return "-".join(digest[i : i + 4] for i in range(0, 16, 4)).upper()


def shard_of(key: str, shard_count: int) -> int:
    """Which shard a key lives in: fixed by the key, so a change finds its ballot without a search."""
    return int(key[:8], 16) % shard_count


def canonical(obj) -> str:
    """Canonical JSON: sorted keys, no spaces, UTF-8 kept (what is stored, hashed and signed)."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def create_shards(session: Session, ballot_id: int, shard_count: int) -> None:
    """Empty shard rows for a ballot about to open."""
    session.add_all(BallotBoxShard(ballot_id=ballot_id, shard=i, entries_json="{}") for i in range(shard_count))


def lock_shard(session: Session, ballot_id: int, shard: int) -> BallotBoxShard:
    """The shard row, locked for this transaction (FOR UPDATE on PostgreSQL; SQLite's write lock is held already)."""
    return session.scalars(
        select(BallotBoxShard)
        .where(BallotBoxShard.ballot_id == ballot_id, BallotBoxShard.shard == shard)
        .with_for_update()
    ).one()


def read_entries(shard: BallotBoxShard) -> dict[str, dict]:
    """An open shard's entries: key → choices."""
    return json.loads(shard.entries_json)


def write_entries(shard: BallotBoxShard, entries: dict[str, dict]) -> None:
    """Store an open shard's entries; sorted by key (a hash), so the order says nothing about time."""
    shard.entries_json = canonical(entries)


_STORE = Prepared(
    update(BallotBoxShard.__table__)
    .where(BallotBoxShard.__table__.c.id == bindparam("shard_id"))
    .values(entries_json=bindparam("entries_json"))
)


def store_entries(connection: Connection, shard_id: int, entries: dict[str, dict]) -> None:
    """write_entries for a shard read as a row (the vote's fast path): one prepared UPDATE, sorted by key."""
    _STORE.run(connection, {"shard_id": shard_id, "entries_json": canonical(entries)})


def all_ballots(session: Session, ballot_id: int) -> list[dict]:
    """Every stored ballot's choices ({item_id: choice}), from an open or a closed box."""
    ballots: list[dict] = []
    for (entries_json,) in session.execute(
        select(BallotBoxShard.entries_json).where(BallotBoxShard.ballot_id == ballot_id)
    ):
        entries = json.loads(entries_json)
        ballots.extend(entries.values() if isinstance(entries, dict) else entries)
    return ballots


def seal(session: Session, ballot_id: int) -> list[dict]:
    """At close: drop the keys and store each shard's ballots sorted by content; return all ballots.

    Every shard row is rewritten in the closing transaction, so afterwards no
    row's transaction id points at any voter, and no key can be matched to a
    phone's secret (which would let a voter prove their vote to someone else).
    """
    ballots: list[dict] = []
    shards = session.scalars(
        select(BallotBoxShard).where(BallotBoxShard.ballot_id == ballot_id).with_for_update()
    ).all()
    for shard in shards:
        entries = json.loads(shard.entries_json)
        sealed = sorted(entries.values() if isinstance(entries, dict) else entries, key=canonical)
        shard.entries_json = canonical(sealed)
        ballots.extend(sealed)
    return ballots


