"""Socket.IO connections: the server authenticates each one and chooses its rooms.

A client connects with `auth={"meeting_id": N}` (the hall screen adds
`"screen_token"`); who it is comes from what the server can check:
- a clerk or chair: the console's session cookie → the meeting's room and the staff room;
- the meeting's hall screen: its screen token → the meeting's room;
- a representative's phone: its session cookie → the meeting's room if the
  meeting is of their body, and their own room.
Anyone else is refused. Right after joining, the client gets a full
`attendance.snapshot`, so a reconnect always resyncs.
"""
from __future__ import annotations

from flask import Flask, current_app, request
from flask_socketio import ConnectionRefusedError, emit, join_room

from voting.realtime import ATTENDANCE_SNAPSHOT, meeting_room, representative_room, staff_room


def _meeting_id(auth) -> int | None:
    raw = (auth or {}).get("meeting_id") if isinstance(auth, dict) else None
    raw = raw if raw is not None else request.args.get("meeting_id")
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return None
    return value if value > 0 else None


def _staff_user():
    from voting.web.admin.auth import _session_user

    return _session_user()


def on_connect(auth=None):
    """Authenticate, join the allowed rooms and send the snapshot; refuse everyone else."""
    from voting.actions.attendance import snapshot
    from voting.actions.checkin import screen_token_valid
    from voting.storage.models import Meeting
    from voting.web.booth.identity import current_representative

    db = current_app.extensions["voting.db"]
    meeting_id = _meeting_id(auth)
    with db.session() as s:
        meeting = s.get(Meeting, meeting_id) if meeting_id else None
        body_id = meeting.body_id if meeting else None

    rooms: list[str] = []
    if _staff_user() is not None:
        rooms.append(staff_room())
        if meeting is not None:
            rooms.append(meeting_room(meeting_id))
    elif meeting is not None and screen_token_valid(db, meeting_id, (auth or {}).get("screen_token")):
        rooms.append(meeting_room(meeting_id))
    else:
        rep = current_representative()
        if rep is not None:
            rooms.append(representative_room(rep.id))
            if meeting is not None and body_id == rep.body_id:
                rooms.append(meeting_room(meeting_id))
    if not rooms:
        raise ConnectionRefusedError("unauthorized")
    for room in rooms:
        join_room(room)
    if meeting_room(meeting_id or 0) in rooms:
        emit(ATTENDANCE_SNAPSHOT, snapshot(db, meeting_id), to=request.sid)
    return True


def init_app(app: Flask) -> None:
    """Attach the connect handler to this app's Socket.IO server.

    Flask-SocketIO keeps one server per init_app; registering here, after it,
    gives every app (each test builds its own) the handler.
    """
    socketio = app.extensions.get("socketio")
    if socketio is not None:
        socketio.on("connect")(on_connect)
