"""Ballot events as the hall sees them: each payload read from the database, then handed to realtime.

Every payload is the ballot's full public state (never who voted what) under a
version of the stream "ballot:<id>" taken before the state is read, so an event
sent meanwhile has a higher version and wins on the client.
voting.realtime.ballots moves what is built here: the rooms, the latest payload
kept in Redis for snapshots, and the coalescing of progress.
"""
from __future__ import annotations

import time

from flask import Flask, current_app
from sqlalchemy import bindparam, func, select

from voting.actions.ballots.read import ballot_result, ballot_status, get_ballot, rules_of, seconds_left
from voting.actions.certificates.read import certificate_for
from voting.actions.errors import NotFound
from voting.domain.outcomes import needed
from voting.realtime import current_version, next_version
from voting.realtime.ballots import BALLOT_PROGRESS, ballot_stream, cached_payload, progress_soon, send_ballot
from voting.storage.ballots import Ballot, Participation


def ballot_payload(app: Flask, ballot_id: int, version: int, with_result: bool = True) -> dict:
    """The ballot's public state (as GET /api/v1/ballots/{id}) for the hall, plus the result once closed.

    Added for the screen: `body_kind` (the wording of the base: 全体组成人员 or
    全体代表), `needed` (the support count that passes now, None when it is
    counted per item) and, once certified, `certificate` {id, record_sha256,
    pdf_sha256, verify_url}.
    """
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
    certificate = certificate_for(session, ballot_id)
    if certificate is None or not certificate.is_stored:
        return None
    return {
        "id": certificate.id,
        "record_sha256": certificate.record_sha256,
        "pdf_sha256": certificate.pdf_sha256,
        "verify_url": certificate.verify_url,
    }


def publish_ballot(event: str, ballot_id: int, meeting_id: int, app: Flask | None = None) -> dict:
    """Send `event` with the ballot's state (progress: to the screen room; the rest: to the meeting's room).

    Call after the commit. The payload is also kept as the ballot's latest, for snapshots.
    Raises NotFound when the ballot is gone.
    """
    app = app or current_app._get_current_object()
    version = next_version(ballot_stream(ballot_id), app)
    payload = _progress_payload(app, ballot_id, version) if event == BALLOT_PROGRESS else None
    if payload is None:
        payload = ballot_payload(app, ballot_id, version)
        _full_payloads(app)[ballot_id] = (payload, time.monotonic())
    send_ballot(event, ballot_id, meeting_id, payload, app)
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
    return app.extensions.setdefault("voting.actions.ballots.full_payloads", {})


def _progress_payload(app: Flask, ballot_id: int, version: int) -> dict | None:
    """A progress payload from the last full one, or None when a full one is due.

    Full when there is none younger than PROGRESS_FULL_EVERY_S (实到 can change while
    a vote is open), when the ballot shows live results, and whenever it is no longer
    open. The status, the deadline (an extension in another process) and the count
    come from the database, read after the version was taken, as the full payload is.
    """
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
    cached = cached_payload(app, ballot_id, version)
    return cached if cached is not None else ballot_payload(app, ballot_id, version)


def note_vote(ballot_id: int, meeting_id: int, app: Flask | None = None) -> None:
    """A vote was committed: make sure a ballot.progress goes out soon (coalesced by voting.realtime.ballots)."""
    progress_soon(ballot_id, meeting_id, _publish_progress, app)


def _publish_progress(app: Flask, ballot_id: int, meeting_id: int) -> bool:
    """Publish the ballot's progress; False when the ballot is gone (its meeting was deleted)."""
    try:
        publish_ballot(BALLOT_PROGRESS, ballot_id, meeting_id, app)
    except NotFound:
        return False
    return True
