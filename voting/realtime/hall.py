"""The hall screen's side of realtime: the chair's display choice, its versions and its events.

What the screen shows, and the snapshots, are decided and built by
voting.actions.hall. The chair's choice lives in Redis (`voting:screen:<meeting>`):
it is a display preference, not a record; if Redis forgets it the screen falls
back to its default. Opening a ballot clears it (voting.realtime.ballots), so
the result of that ballot stays up after its close.

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

from voting.realtime import _redis

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


def choose(meeting_id: int, mode: str, ballot_id: int | None = None, app: Flask | None = None) -> None:
    """Keep the chair's choice (checked by voting.actions.hall.show): a ballot's result or the attendance board."""
    app = app or current_app._get_current_object()
    _redis(app).set(_key(meeting_id), json.dumps({"mode": mode, "ballot_id": ballot_id if mode == BALLOT else None}))


def clear_choice(meeting_id: int, app: Flask | None = None) -> None:
    """Forget the chair's choice (a ballot opened: the screen follows it, then shows its result)."""
    app = app or current_app._get_current_object()
    _redis(app).delete(_key(meeting_id))
