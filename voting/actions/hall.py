"""What the hall screen shows, and the snapshot a screen, console or phone gets when it (re)connects.

The screen follows the meeting by itself: an open ballot is always shown; when
none is open, the chair's last choice holds (a closed ballot's result, or the
attendance board), and without a choice the latest closed ballot's result stays
up. The choice is kept by voting.realtime.hall, which also names the events
(`screen.shown`, `ballot.snapshot`) and their payload's shape; opening a ballot
clears it, so the result of that ballot stays up after its close.
"""
from __future__ import annotations

from flask import Flask, current_app

from voting.actions.ballots.agenda import latest_closed_ballot, open_ballot_of
from voting.actions.ballots.events import latest_payload
from voting.realtime import current_version, next_version, publish, screen_room
from voting.realtime.hall import ATTENDANCE, BALLOT, SCREEN_SHOWN, choose, chosen, display_stream
from voting.storage.ballots import Ballot


def shown_ballot_id(app: Flask, meeting_id: int) -> tuple[str, int | None]:
    """(mode, ballot_id) the screen should show now, by the rule of the module docstring."""
    with app.extensions["voting.db"].session() as session:
        current = open_ballot_of(session, meeting_id)
        if current is not None:
            return BALLOT, current.id
        choice = chosen(app, meeting_id)
        if choice is not None:
            if choice.get("mode") == ATTENDANCE:
                return ATTENDANCE, None
            ballot = session.get(Ballot, choice.get("ballot_id"))
            if ballot is not None and ballot.meeting_id == meeting_id and ballot.status in ("closed", "certified"):
                return BALLOT, ballot.id
        latest = latest_closed_ballot(session, meeting_id)
        return (BALLOT, latest.id) if latest is not None else (ATTENDANCE, None)


def hall_snapshot(app: Flask, meeting_id: int) -> dict:
    """The full picture of the screen: the display version, what is shown, and the shown ballot's state."""
    version = current_version(display_stream(meeting_id), app)
    mode, ballot_id = shown_ballot_id(app, meeting_id)
    return {
        "meeting_id": meeting_id,
        "version": version,
        "display": {"mode": mode, "ballot_id": ballot_id},
        "ballot": latest_payload(app, ballot_id) if ballot_id is not None else None,
    }


def phone_snapshot(app: Flask, meeting_id: int) -> dict:
    """What a phone needs on (re)connect: the open ballot's state, or None. Cheap: one indexed query."""
    with app.extensions["voting.db"].session() as session:
        current = open_ballot_of(session, meeting_id)
        ballot_id = current.id if current is not None else None
    return {
        "meeting_id": meeting_id,
        "version": current_version(display_stream(meeting_id), app),
        "display": {"mode": BALLOT if ballot_id else ATTENDANCE, "ballot_id": ballot_id},
        "ballot": latest_payload(app, ballot_id) if ballot_id is not None else None,
    }


def show(meeting_id: int, mode: str, ballot_id: int | None = None, app: Flask | None = None) -> dict:
    """The chair's choice: show a closed ballot's result (mode "ballot") or the attendance board.

    An open ballot stays on the screen whatever is chosen; the choice applies
    once it is closed. Returns the `screen.shown` payload it sent.
    Raises ValueError for an unknown mode or a ballot of another meeting that is not closed.
    """
    app = app or current_app._get_current_object()
    if mode not in (ATTENDANCE, BALLOT):
        raise ValueError(f"unknown display mode {mode!r}")
    if mode == BALLOT:
        with app.extensions["voting.db"].session() as session:
            ballot = session.get(Ballot, ballot_id)
            if ballot is None or ballot.meeting_id != meeting_id or ballot.status not in ("closed", "certified"):
                raise ValueError("only a closed ballot of this meeting can be shown")
    choose(meeting_id, mode, ballot_id, app)
    return announce(meeting_id, app)


def announce(meeting_id: int, app: Flask | None = None) -> dict:
    """Send `screen.shown` with what the screen should show now, under a new display version."""
    app = app or current_app._get_current_object()
    version = next_version(display_stream(meeting_id), app)
    mode, shown = shown_ballot_id(app, meeting_id)
    payload = {
        "meeting_id": meeting_id,
        "version": version,
        "display": {"mode": mode, "ballot_id": shown},
        "ballot": latest_payload(app, shown) if shown is not None else None,
    }
    publish(SCREEN_SHOWN, screen_room(meeting_id), payload, app)
    return payload
