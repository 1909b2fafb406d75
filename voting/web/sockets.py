"""Socket.IO connections: the server authenticates each one and chooses its rooms.

A client connects with `auth={"meeting_id": N}` (the hall screen adds
`"screen_token"`, an API client may add `"token"`: its bearer token); who it is
comes from what the server can check:
- a clerk or chair: the console's session cookie, or a staff bearer token →
  the staff room, and the meeting's room and screen room;
- the meeting's hall screen: its screen token → the meeting's room and screen room;
- a representative's phone: its session cookie, or its bearer token → its own
  room, and the meeting's room if the meeting is of their body.
Anyone else is refused. The screen room carries what changes with every vote
or check-in (ballot.progress, attendance.changed); phones are never in it.

Right after joining, the client gets a full snapshot, so a reconnect always
resyncs: screens and consoles `attendance.snapshot` and `ballot.snapshot`
(what the screen shows, with the ballot's state and result); phones a
`ballot.snapshot` with only the open ballot.
"""
from __future__ import annotations

import os

from flask import Flask, current_app, request
from flask_socketio import ConnectionRefusedError, emit, join_room

from voting.actions.hall import hall_snapshot, phone_snapshot
from voting.realtime import (
    ATTENDANCE_SNAPSHOT,
    SERVER_PID_KEY,
    meeting_room,
    representative_room,
    screen_room,
    staff_room,
)
from voting.realtime.hall import BALLOT_SNAPSHOT


def _meeting_id(auth) -> int | None:
    raw = (auth or {}).get("meeting_id") if isinstance(auth, dict) else None
    raw = raw if raw is not None else request.args.get("meeting_id")
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return None
    return value if value > 0 else None


def _bearer_identity(auth) -> tuple[str, int] | None:
    """("staff", user_id) or ("representative", id) for a valid bearer token in `auth`, else None."""
    from voting.actions.accounts import principal_of_token

    token = auth.get("token") if isinstance(auth, dict) else None
    if not isinstance(token, str) or not token or len(token) > 200:
        return None
    with current_app.extensions["voting.db"].single_read() as connection:
        found = principal_of_token(connection, token)
    if found is None:
        return None
    role, user_id, representative_id = found
    return ("representative", representative_id) if role == "representative" else ("staff", user_id)


def _representative(identity):
    """(id, body_id) of the representative this connection speaks for (cookie, or the bearer `identity`), or None."""
    from voting.storage.models import Representative
    from voting.web.booth.identity import current_representative

    rep = current_representative()
    if rep is not None:
        return rep.id, rep.body_id
    if identity is not None and identity[0] == "representative":
        with current_app.extensions["voting.db"].session() as s:
            row = s.get(Representative, identity[1])
            return (row.id, row.body_id) if row is not None else None
    return None


def on_connect(auth=None):
    """Authenticate, join the allowed rooms and send the snapshot; refuse everyone else."""
    from voting.actions.attendance import snapshot
    from voting.actions.checkin import screen_token_valid
    from voting.storage.models import Meeting
    from voting.web.admin.identity import session_user

    app = current_app._get_current_object()
    db = app.extensions["voting.db"]
    auth = auth if isinstance(auth, dict) else {}
    meeting_id = _meeting_id(auth)
    with db.session() as s:
        meeting = s.get(Meeting, meeting_id) if meeting_id else None
        body_id = meeting.body_id if meeting else None

    rooms: list[str] = []
    follows_screen = False
    bearer = None if auth.get("screen_token") else _bearer_identity(auth)
    if session_user() is not None or (bearer is not None and bearer[0] == "staff"):
        rooms.append(staff_room())
        if meeting is not None:
            rooms += [meeting_room(meeting_id), screen_room(meeting_id)]
            follows_screen = True
    elif meeting is not None and screen_token_valid(db, meeting_id, auth.get("screen_token")):
        rooms += [meeting_room(meeting_id), screen_room(meeting_id)]
        follows_screen = True
    else:
        rep = _representative(bearer)
        if rep is not None:
            rooms.append(representative_room(rep[0]))
            if meeting is not None and body_id == rep[1]:
                rooms.append(meeting_room(meeting_id))
    if not rooms:
        raise ConnectionRefusedError("unauthorized")
    for room in rooms:
        join_room(room)
    # Straight to this connection (it is on this process), not through the Redis queue:
    # 3,000 phones connecting must not mean 3,000 messages for every web process to read.
    if follows_screen:
        emit(ATTENDANCE_SNAPSHOT, snapshot(db, meeting_id), to=request.sid, ignore_queue=True)
        emit(BALLOT_SNAPSHOT, hall_snapshot(app, meeting_id), to=request.sid, ignore_queue=True)
    elif meeting_room(meeting_id or 0) in rooms:
        emit(BALLOT_SNAPSHOT, phone_snapshot(app, meeting_id), to=request.sid, ignore_queue=True)
    return True


def init_app(app: Flask) -> None:
    """Attach the connect handler to this app's Socket.IO server.

    Flask-SocketIO keeps one server per init_app; registering here, after it,
    gives every app (each test builds its own) the handler.
    """
    socketio = app.extensions.get("socketio")
    if socketio is not None:
        socketio.on("connect")(on_connect)
        app.extensions[SERVER_PID_KEY] = os.getpid()
