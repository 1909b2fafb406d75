"""Trying to break one-vote-each and nothing-lost: concurrency, replays, races and a crash mid-vote."""
from __future__ import annotations

import json
import random
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select, text

from tests.hall import make_hall, nonce
from tests.web.api.test_ballots import create, vote
from voting.storage.ballots import BallotBoxShard, Participation


def _open_motion(app, client, auth, size, **rules):
    hall = make_hall(app, size)
    ballot = create(client, auth, hall.meeting_id, rules=rules or None)
    assert client.post(f"/api/v1/ballots/{ballot['id']}/open", headers=auth).status_code == 200
    return hall, ballot["id"], ballot["items"][0]["id"]


def _result(client, auth, ballot_id):
    assert client.post(f"/api/v1/ballots/{ballot_id}/close", headers=auth).status_code == 200
    return client.get(f"/api/v1/ballots/{ballot_id}/result", headers=auth).json


@pytest.mark.slow
def test_300_representatives_voting_at_once_are_all_counted_exactly(app, auth):
    client = app.test_client()
    hall, bid, item = _open_motion(app, client, auth, 300)
    rng = random.Random(7)
    plan = {m.id: rng.choice(["yes", "no", "abstain"]) for m in hall.members}

    def cast(member):
        return vote(app.test_client(), member, bid, {item: plan[member.id]}).status_code

    with ThreadPoolExecutor(max_workers=32) as pool:
        statuses = list(pool.map(cast, hall.members))
    assert statuses == [201] * 300
    result = _result(client, auth, bid)
    expected = {c: sum(1 for v in plan.values() if v == c) for c in ("yes", "no", "abstain")}
    assert result["cast"] == 300
    assert result["items"][0]["counts"] == expected
    assert result["items"][0]["not_voted"] == 0


def test_the_same_vote_sent_many_times_at_once_counts_once(app, auth):
    client = app.test_client()
    hall, bid, item = _open_motion(app, client, auth, 5)
    member, key = hall.members[0], nonce()
    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(lambda _: vote(app.test_client(), member, bid, {item: "yes"}, key), range(8)))
    assert {r.status_code for r in responses} == {201}
    assert len({r.json["receipt"] for r in responses}) == 1
    assert sorted(r.json["status"] for r in responses).count("recorded") == 1
    result = _result(client, auth, bid)
    assert result["cast"] == 1 and result["items"][0]["counts"]["yes"] == 1


def test_two_tabs_of_one_representative_record_one_vote(app, auth):
    """Two devices (two secrets) racing: exactly one is recorded, the other told it already voted."""
    client = app.test_client()
    hall, bid, item = _open_motion(app, client, auth, 5)
    member = hall.members[0]
    choices = ["yes", "no", "yes", "no", "abstain", "no"]
    with ThreadPoolExecutor(max_workers=6) as pool:
        responses = list(pool.map(lambda c: vote(app.test_client(), member, bid, {item: c}), choices))
    ok = [r for r in responses if r.status_code == 201]
    refused = [r for r in responses if r.status_code == 409]
    assert len(ok) == 1 and len(refused) == 5
    assert all(r.json["error"]["code"] == "already_voted" for r in refused)
    result = _result(client, auth, bid)
    assert result["cast"] == 1 and sum(result["items"][0]["counts"].values()) == 1


def test_votes_racing_the_close_are_either_counted_or_refused(app, auth):
    client = app.test_client()
    hall, bid, item = _open_motion(app, client, auth, 120)

    def cast(member):
        return vote(app.test_client(), member, bid, {item: "yes"}).status_code

    with ThreadPoolExecutor(max_workers=16) as pool:
        futures = [pool.submit(cast, m) for m in hall.members]
        close = pool.submit(lambda: app.test_client().post(f"/api/v1/ballots/{bid}/close", headers=auth))
        statuses = [f.result() for f in futures]
        assert close.result().status_code == 200
    acknowledged = statuses.count(201)
    assert set(statuses) <= {201, 409}
    assert acknowledged + statuses.count(409) == 120
    result = client.get(f"/api/v1/ballots/{bid}/result", headers=auth).json
    # Every acknowledged vote is in the count; nothing refused slipped in.
    assert result["cast"] == acknowledged == result["items"][0]["counts"]["yes"]


def test_a_crash_in_the_middle_of_a_vote_leaves_nothing_half_written(app, auth, monkeypatch):
    """The box write fails after the roll of voters was written: both roll back, the vote can be cast again."""
    client = app.test_client()
    hall, bid, item = _open_motion(app, client, auth, 5)
    member, key = hall.members[0], nonce()
    import voting.actions.ballots.cast as cast_module

    real = cast_module.store_entries  # the box write of a first vote

    def crash(*args, **kwargs):
        raise RuntimeError("power cut")

    monkeypatch.setattr(cast_module, "store_entries", crash)
    assert vote(client, member, bid, {item: "no"}, key).status_code == 500
    assert client.get(f"/api/v1/ballots/{bid}", headers=auth).json["cast"] == 0
    monkeypatch.setattr(cast_module, "store_entries", real)
    again = vote(client, member, bid, {item: "yes"}, key)
    assert again.status_code == 201 and again.json["status"] == "recorded"
    result = _result(client, auth, bid)
    assert result["cast"] == 1 and result["items"][0]["counts"] == {"yes": 1, "no": 0, "abstain": 0}


def test_nobody_can_link_a_secret_ballot_to_a_person_through_the_database(app, auth, db):
    """With full database access: no table holds a representative beside a choice, the box holds no
    voter or time, and after close no row's transaction id or position points at anyone."""
    client = app.test_client()
    hall, bid, item = _open_motion(app, client, auth, 40)
    rng = random.Random(3)
    plan = {m.id: rng.choice(["yes", "no", "abstain"]) for m in hall.members}
    for member in hall.members:
        assert vote(client, member, bid, {item: plan[member.id]}).status_code == 201
    _result(client, auth, bid)
    rep_ids = {str(m.id) for m in hall.members}

    with db.session() as session:
        assert session.scalar(select(Participation.named_choices_json).where(Participation.ballot_id == bid).limit(1)) is None
        shards = session.scalars(select(BallotBoxShard).where(BallotBoxShard.ballot_id == bid)).all()
        ballots = [entry for shard in shards for entry in json.loads(shard.entries_json)]
        # Sealed: a plain list of choices, no keys, sorted by content (so order says nothing).
        assert all(isinstance(json.loads(shard.entries_json), list) for shard in shards)
        assert all(set(entry) == {str(item)} for entry in ballots)
        for shard in shards:
            entries = json.loads(shard.entries_json)
            assert entries == sorted(entries, key=lambda e: json.dumps(e, sort_keys=True))
        # No column of the box mentions a representative or a time.
        assert not any(rep in shard.entries_json for shard in shards for rep in rep_ids if len(rep) > 2)
        columns = set(BallotBoxShard.__table__.columns.keys())
        assert columns == {"id", "ballot_id", "shard", "entries_json"}
        assert set(Participation.__table__.columns.keys()) == {"ballot_id", "representative_id", "named_choices_json"}
        if db.engine.dialect.name == "postgresql":
            # PostgreSQL's xmin names the transaction that wrote a row; the close rewrote every shard.
            shard_xmins = {row[0] for row in session.execute(text("SELECT xmin::text FROM ballot_box_shard WHERE ballot_id = :b"), {"b": bid})}
            voter_xmins = {row[0] for row in session.execute(text("SELECT xmin::text FROM participation WHERE ballot_id = :b"), {"b": bid})}
            assert len(shard_xmins) == 1 and not (shard_xmins & voter_xmins)


def test_named_ballot_records_who_chose_what(app, auth, db):
    client = app.test_client()
    hall, bid, item = _open_motion(app, client, auth, 3, secret=False)
    vote(client, hall.members[0], bid, {item: "no"})
    with db.session() as session:
        named = session.get(Participation, (bid, hall.members[0].id)).named_choices_json
    assert json.loads(named) == {str(item): "no"}
