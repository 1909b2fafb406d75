"""Ballot events: ballot.opened, ballot.extended, ballot.progress (coalesced), ballot.closed.

Every event carries the ballot's full public state (never who voted what) and a
version from the stream "ballot:<id>", so a late or repeated event is dropped by
clients that already show something newer.
"""
from __future__ import annotations

import time

from flask import Flask, current_app

from voting.actions.errors import NotFound
from voting.realtime import _redis, meeting_room, next_version, publish

BALLOT_OPENED = "ballot.opened"
BALLOT_EXTENDED = "ballot.extended"
BALLOT_PROGRESS = "ballot.progress"
BALLOT_CLOSED = "ballot.closed"
BALLOT_CERTIFIED = "ballot.certified"

# At most this often does a ballot's progress go out, however fast votes arrive.
PROGRESS_INTERVAL_S = 0.25


def ballot_stream(ballot_id: int) -> str:
    """The version counter of a ballot's events."""
    return f"ballot:{int(ballot_id)}"


def ballot_room(ballot_id: int) -> str:
    """Followers of one ballot (its own page in the console)."""
    return f"ballot:{int(ballot_id)}"


def ballot_payload(app: Flask, ballot_id: int, version: int, with_result: bool = False) -> dict:
    """The ballot's public state (as GET /api/v1/ballots/{id}), plus the result once closed."""
    from voting.actions.ballots import ballot_result, ballot_status, get_ballot

    with app.extensions["voting.db"].session() as session:
        ballot = get_ballot(session, ballot_id)
        payload = ballot_status(session, ballot)
        if with_result and ballot.result_json is not None:
            payload["result"] = ballot_result(ballot)
    payload.update(ballot_id=ballot_id, version=version)
    for key in ("opened_at", "deadline_at", "closed_at"):
        if payload.get(key) is not None:
            payload[key] = payload[key].isoformat() + "Z"
    return payload


def publish_ballot(event: str, ballot_id: int, meeting_id: int, app: Flask | None = None) -> dict:
    """Send `event` with the ballot's state to the meeting's room. Call after the commit."""
    app = app or current_app._get_current_object()
    version = next_version(ballot_stream(ballot_id), app)
    payload = ballot_payload(app, ballot_id, version, with_result=event in (BALLOT_CLOSED, BALLOT_CERTIFIED))
    publish(event, meeting_room(meeting_id), payload, app)
    return payload


def note_vote(ballot_id: int, meeting_id: int, app: Flask | None = None) -> None:
    """A vote was committed: make sure a ballot.progress goes out soon, coalescing bursts.

    A dirty flag plus a lock in Redis: the process that takes the lock flushes
    progress every PROGRESS_INTERVAL_S while votes keep arriving, whichever web
    process they arrive at, and releases it when a pause finds nothing new.
    """
    app = app or current_app._get_current_object()
    redis = _redis(app)
    dirty, lock = f"voting:progress:dirty:{ballot_id}", f"voting:progress:lock:{ballot_id}"
    redis.set(dirty, 1, ex=60)
    if redis.set(lock, 1, nx=True, ex=30):
        app.extensions["socketio"].start_background_task(_flush_progress, app, ballot_id, meeting_id, dirty, lock)


def _flush_progress(app: Flask, ballot_id: int, meeting_id: int, dirty: str, lock: str) -> None:
    """Publish progress while votes keep coming; stop after a quiet interval."""
    redis = _redis(app)
    with app.app_context():
        while True:
            time.sleep(PROGRESS_INTERVAL_S)
            if redis.getdel(dirty):
                redis.expire(lock, 30)
                try:
                    publish_ballot(BALLOT_PROGRESS, ballot_id, meeting_id, app)
                except NotFound:  # the ballot is gone (its meeting was deleted): nothing to report
                    redis.delete(lock)
                    return
                continue
            redis.delete(lock)
            # A vote that set the flag just before the lock went is ours to flush.
            if redis.get(dirty) and redis.set(lock, 1, nx=True, ex=30):
                continue
            return
