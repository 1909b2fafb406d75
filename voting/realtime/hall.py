"""What the hall screen shows, and the snapshot a screen, console or phone gets when it (re)connects.

The screen follows the meeting by itself: an open ballot is always shown; when
none is open, the chair's last choice holds (a closed ballot's result, or the
attendance board), and without a choice the latest closed ballot's result stays
up. The chair's choice lives in Redis (`voting:screen:<meeting>`): it is a
display preference, not a record; if Redis forgets it the screen falls back to
the default above. Opening a ballot clears it, so the result of that ballot
stays up after its close.

Events:
- `screen.shown` (screen room): the chair changed what the screen shows;
  {meeting_id, version, display: {mode: "ballot"|"attendance", ballot_id}, ballot: payload|None}.
  Versions come from the stream "screen:<meeting>".
- `ballot.snapshot` (to one connection): the same shape, sent right after connecting. Phones get
  {meeting_id, version, display, ballot} with only the open ballot (or None).
"""
from __future__ import annotations

import json

from flask import Flask, current_app

from voting.realtime import _redis, current_version, next_version, publish, screen_room

SCREEN_SHOWN = "screen.shown"
BALLOT_SNAPSHOT = "ballot.snapshot"
ATTENDANCE, BALLOT = "attendance", "ballot"


def display_stream(meeting_id: int) -> str:
    """The version counter of the chair's display choices of a meeting."""
    return f"screen:{int(meeting_id)}"


def _key(meeting_id: int) -> str:
    return f"voting:screen:{int(meeting_id)}"


def chosen(app: Flask, meeting_id: int) -> dict | None:
    """The chair's current choice {mode, ballot_id}, or None."""
    raw = _redis(app).get(_key(meeting_id))
    return json.loads(raw) if raw else None


def clear_choice(meeting_id: int, app: Flask | None = None) -> None:
    """Forget the chair's choice (a ballot opened: the screen follows it, then shows its result)."""
    app = app or current_app._get_current_object()
    _redis(app).delete(_key(meeting_id))


def shown_ballot_id(app: Flask, meeting_id: int) -> tuple[str, int | None]:
    """(mode, ballot_id) the screen should show now, by the rule of the module docstring."""
    from voting.actions.ballots.agenda import latest_closed_ballot, open_ballot_of
    from voting.storage.ballots import Ballot

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
    from voting.actions.ballots.events import latest_payload

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
    from voting.actions.ballots.agenda import open_ballot_of
    from voting.actions.ballots.events import latest_payload

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
        from voting.storage.ballots import Ballot

        with app.extensions["voting.db"].session() as session:
            ballot = session.get(Ballot, ballot_id)
            if ballot is None or ballot.meeting_id != meeting_id or ballot.status not in ("closed", "certified"):
                raise ValueError("only a closed ballot of this meeting can be shown")
    _redis(app).set(_key(meeting_id), json.dumps({"mode": mode, "ballot_id": ballot_id if mode == BALLOT else None}))
    return announce(meeting_id, app)


def announce(meeting_id: int, app: Flask | None = None) -> dict:
    """Send `screen.shown` with what the screen should show now, under a new display version."""
    from voting.actions.ballots.events import latest_payload

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
