"""Ballot events: ballot.opened, ballot.extended, ballot.progress (coalesced), ballot.closed, ballot.certified.

Every event carries the ballot's full public state (never who voted what) and a
version from the stream "ballot:<id>", so a late or repeated event is dropped by
clients that already show something newer.

Who gets what: opened, extended, closed and certified go to the meeting's room
(phones, screens, consoles); progress, a few times a second while votes arrive,
only to the meeting's screen room (screens and consoles), never to the phones.
The last payload sent is kept in Redis, so the snapshot a (re)connecting client
gets costs no database query while it is current.
"""
from __future__ import annotations

import json
import time

from flask import Flask, current_app
from redis.exceptions import RedisError
from sqlalchemy import bindparam, func, select

from voting.actions.errors import NotFound
from voting.storage.ballots import Ballot, Participation
from voting.realtime import _redis, current_version, meeting_room, next_version, publish, screen_room

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


def ballot_payload(app: Flask, ballot_id: int, version: int, with_result: bool = True) -> dict:
    """The ballot's public state (as GET /api/v1/ballots/{id}) for the hall, plus the result once closed.

    Added for the screen: `body_kind` (the wording of the base: 全体组成人员 or
    全体代表), `needed` (the support count that passes now, None when it is
    counted per item) and, once certified, `certificate` {id, record_sha256,
    pdf_sha256, verify_url}.
    """
    from voting.actions.ballots import ballot_result, ballot_status, get_ballot
    from voting.actions.ballots.read import rules_of
    from voting.domain.outcomes import needed

    with app.extensions["voting.db"].session() as session:
        ballot = get_ballot(session, ballot_id)
        payload = ballot_status(session, ballot)
        if with_result and ballot.result_json is not None:
            payload["result"] = ballot_result(ballot)
        rules = rules_of(ballot)
        payload["body_kind"] = ballot.meeting.body.kind
        payload["needed"] = (
            needed(rules, payload["expected"] or 0, payload["present"] or 0, 0) if rules.pass_base != "cast" else None
        )
        if ballot.status == "certified":
            payload["certificate"] = _certificate_of(session, ballot.id)
    payload.update(ballot_id=ballot_id, version=version)
    for key in ("opened_at", "deadline_at", "closed_at"):
        if payload.get(key) is not None:
            payload[key] = payload[key].isoformat() + "Z"
    return payload


def _certificate_of(session, ballot_id: int) -> dict | None:
    """The certified ballot's certificate as the screen shows it (None while only sealed)."""
    from voting.actions.certificates.read import certificate_for

    certificate = certificate_for(session, ballot_id)
    if certificate is None or not certificate.is_stored:
        return None
    return {
        "id": certificate.id,
        "record_sha256": certificate.record_sha256,
        "pdf_sha256": certificate.pdf_sha256,
        "verify_url": certificate.verify_url,
    }


def _cache_key(ballot_id: int) -> str:
    return f"voting:ballot-payload:{int(ballot_id)}"


def publish_ballot(event: str, ballot_id: int, meeting_id: int, app: Flask | None = None) -> dict:
    """Send `event` with the ballot's state (progress: to the screen room; the rest: to the meeting's room).

    Call after the commit. The payload is also kept as the ballot's latest, for snapshots.
    """
    app = app or current_app._get_current_object()
    version = next_version(ballot_stream(ballot_id), app)
    payload = _progress_payload(app, ballot_id, version) if event == BALLOT_PROGRESS else None
    if payload is None:
        payload = ballot_payload(app, ballot_id, version)
        _full_payloads(app)[ballot_id] = (payload, time.monotonic())
    _redis(app).set(_cache_key(ballot_id), json.dumps(payload, ensure_ascii=False), ex=24 * 3600)
    if event == BALLOT_OPENED:
        from voting.realtime.hall import clear_choice

        clear_choice(meeting_id, app)  # the screen follows the open ballot, then keeps its result up
    room = screen_room(meeting_id) if event == BALLOT_PROGRESS else meeting_room(meeting_id)
    publish(event, room, payload, app)
    return payload


# While a vote is open, progress goes out four times a second. Counting 应到/实到 over
# the whole roster each time cost 13 ms of the web process's loop per flush with
# 3,000 representatives, so most progress reuses the last full payload this process
# built, with the count of votes, the status and the deadline read afresh.
PROGRESS_FULL_EVERY_S = 2.0

_PROGRESS_FIELDS = select(
    Ballot.status, Ballot.deadline_at,
    select(func.count()).select_from(Participation).where(Participation.ballot_id == Ballot.id).scalar_subquery(),
).where(Ballot.id == bindparam("ballot_id"))


def _full_payloads(app: Flask) -> dict[int, tuple[dict, float]]:
    """ballot id → (the last full payload this process built, when)."""
    return app.extensions.setdefault("voting.realtime.full_ballot_payloads", {})


def _progress_payload(app: Flask, ballot_id: int, version: int) -> dict | None:
    """A progress payload from the last full one, or None when a full one is due.

    Full when there is none younger than PROGRESS_FULL_EVERY_S (实到 can change while
    a vote is open), when the ballot shows live results, and whenever it is no longer
    open. The status, the deadline (an extension in another process) and the count
    come from the database, read after the version was taken, as the full payload is.
    """
    from voting.actions.ballots.read import seconds_left

    found = _full_payloads(app).get(ballot_id)
    if found is None or time.monotonic() - found[1] > PROGRESS_FULL_EVERY_S:
        return None
    last = found[0]
    if last.get("status") != "open" or last.get("rules", {}).get("live_results"):
        return None
    with app.extensions["voting.db"].session() as session:
        status, deadline_at, cast = session.execute(_PROGRESS_FIELDS, {"ballot_id": ballot_id}).one()
    if status != "open":
        return None
    return dict(last, version=version, cast=cast, remaining_s=seconds_left(deadline_at),
                deadline_at=deadline_at.isoformat() + "Z" if deadline_at is not None else None)


def latest_payload(app: Flask, ballot_id: int) -> dict:
    """The ballot's state for a snapshot: the last payload sent if nothing was sent since, else read afresh.

    The version is read before the state, as for attendance snapshots, so an
    event sent meanwhile has a higher version and wins on the client.
    """
    version = current_version(ballot_stream(ballot_id), app)
    cached = _redis(app).get(_cache_key(ballot_id))
    if cached is not None:
        payload = json.loads(cached)
        if payload.get("version") == version:
            return payload
    return ballot_payload(app, ballot_id, version)


def note_vote(ballot_id: int, meeting_id: int, app: Flask | None = None) -> None:
    """A vote was committed: make sure a ballot.progress goes out soon, coalescing bursts.

    Each web process notes its votes in memory (no round trip per vote) and runs
    one flusher per busy ballot. Every PROGRESS_INTERVAL_S a flusher with news
    takes the ballot's publish slot in Redis (SET NX with the interval as its
    life) and publishes the count read from the database, which includes every
    process's committed votes; a flusher that finds the slot taken keeps its news
    for the next tick. So however many processes take votes, the screen gets at
    most a few updates a second, and the last vote shows within two intervals.
    """
    app = app or current_app._get_current_object()
    pending, guard = _pending_progress(app)
    with guard:
        running = ballot_id in pending
        pending[ballot_id] = True
    if not running:
        app.extensions["socketio"].start_background_task(_flush_progress, app, ballot_id, meeting_id)


def _pending_progress(app: Flask):
    """(ballot id → a vote came since this process last published or tried to, its lock): one entry per running flusher."""
    found = app.extensions.get("voting.realtime.progress_pending")
    if found is None:
        import threading

        found = app.extensions.setdefault("voting.realtime.progress_pending", ({}, threading.Lock()))
    return found


def _flush_progress(app: Flask, ballot_id: int, meeting_id: int) -> None:
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
                    publish_ballot(BALLOT_PROGRESS, ballot_id, meeting_id, app)
                except RedisError:
                    # The votes are committed and acknowledged whatever happens here; the
                    # screens catch up with the next vote's flush, the close or their snapshot.
                    app.logger.warning("ballot.progress for ballot %s not sent", ballot_id, exc_info=True)
                    with guard:
                        pending[ballot_id] = False
        except NotFound:  # the ballot is gone (its meeting was deleted): nothing to report
            with guard:
                pending.pop(ballot_id, None)
        except BaseException:
            with guard:  # let the next vote start a new flusher
                pending.pop(ballot_id, None)
            raise
