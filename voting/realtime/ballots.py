"""Ballot events: ballot.opened, ballot.extended, ballot.progress (coalesced), ballot.closed, ballot.certified.

Every event carries the ballot's full public state (never who voted what) and a
version from the stream "ballot:<id>", so a late or repeated event is dropped by
clients that already show something newer. The payloads are built by
voting.actions.ballots.events; this module moves them.

Who gets what: opened, extended, closed and certified go to the meeting's room
(phones, screens, consoles); progress, a few times a second while votes arrive,
only to the meeting's screen room (screens and consoles), never to the phones.
The last payload sent is kept in Redis, so the snapshot a (re)connecting client
gets costs no database query while it is current.
"""
from __future__ import annotations

import json
import time
from typing import Callable

from flask import Flask, current_app
from redis.exceptions import RedisError

from voting.realtime import _redis, meeting_room, publish, screen_room

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


def _cache_key(ballot_id: int) -> str:
    return f"voting:ballot-payload:{int(ballot_id)}"


def send_ballot(event: str, ballot_id: int, meeting_id: int, payload: dict, app: Flask | None = None) -> None:
    """Send `event` with `payload` (progress: to the screen room; the rest: to the meeting's room).

    Call after the commit, with a payload whose version was taken before its state
    was read. The payload is also kept as the ballot's latest, for snapshots.
    """
    app = app or current_app._get_current_object()
    _redis(app).set(_cache_key(ballot_id), json.dumps(payload, ensure_ascii=False), ex=24 * 3600)
    if event == BALLOT_OPENED:
        from voting.realtime.hall import clear_choice

        clear_choice(meeting_id, app)  # the screen follows the open ballot, then keeps its result up
    room = screen_room(meeting_id) if event == BALLOT_PROGRESS else meeting_room(meeting_id)
    publish(event, room, payload, app)


def cached_payload(app: Flask, ballot_id: int, version: int) -> dict | None:
    """The last payload sent for the ballot if it is at `version` (nothing was sent since), else None."""
    cached = _redis(app).get(_cache_key(ballot_id))
    if cached is not None:
        payload = json.loads(cached)
        if payload.get("version") == version:
            return payload
    return None


def progress_soon(
    ballot_id: int, meeting_id: int, publish_progress: Callable[[Flask, int, int], bool], app: Flask | None = None
) -> None:
    """A vote was committed: make sure a ballot.progress goes out soon, coalescing bursts.

    Each web process notes its votes in memory (no round trip per vote) and runs
    one flusher per busy ballot. Every PROGRESS_INTERVAL_S a flusher with news
    takes the ballot's publish slot in Redis (SET NX with the interval as its
    life) and publishes the count read from the database, which includes every
    process's committed votes; a flusher that finds the slot taken keeps its news
    for the next tick. So however many processes take votes, the screen gets at
    most a few updates a second, and the last vote shows within two intervals.

    `publish_progress(app, ballot_id, meeting_id)` builds and sends the progress
    (voting.actions.ballots.events); it returns False when the ballot is gone.
    """
    app = app or current_app._get_current_object()
    pending, guard = _pending_progress(app)
    with guard:
        running = ballot_id in pending
        pending[ballot_id] = True
    if not running:
        app.extensions["socketio"].start_background_task(_flush_progress, app, ballot_id, meeting_id, publish_progress)


def _pending_progress(app: Flask):
    """(ballot id → a vote came since this process last published or tried to, its lock): one entry per running flusher."""
    found = app.extensions.get("voting.realtime.progress_pending")
    if found is None:
        import threading

        found = app.extensions.setdefault("voting.realtime.progress_pending", ({}, threading.Lock()))
    return found


def _flush_progress(
    app: Flask, ballot_id: int, meeting_id: int, publish_progress: Callable[[Flask, int, int], bool]
) -> None:
    """Publish this process's news about the ballot every interval while votes come; stop after a quiet one."""
    pending, guard = _pending_progress(app)
    slot = f"voting:progress:slot:{int(ballot_id)}"
    interval_ms = int(PROGRESS_INTERVAL_S * 1000)
    with app.app_context():
        try:
            while True:
                time.sleep(PROGRESS_INTERVAL_S)
                with guard:
                    if not pending.get(ballot_id):
                        del pending[ballot_id]  # quiet: the next vote starts a new flusher
                        return
                try:
                    if not _redis(app).set(slot, 1, nx=True, px=interval_ms):
                        continue  # another process published just now; ours goes next tick
                    with guard:
                        pending[ballot_id] = False
                    if not publish_progress(app, ballot_id, meeting_id):
                        with guard:  # the ballot is gone (its meeting was deleted): nothing to report
                            pending.pop(ballot_id, None)
                        return
                except RedisError:
                    # The votes are committed and acknowledged whatever happens here; the
                    # screens catch up with the next vote's flush, the close or their snapshot.
                    app.logger.warning("ballot.progress for ballot %s not sent", ballot_id, exc_info=True)
                    with guard:
                        pending[ballot_id] = False
        except BaseException:
            with guard:  # let the next vote start a new flusher
                pending.pop(ballot_id, None)
            raise
