"""Live updates over Socket.IO: room names, event names, versions and publishing.

Rules every publisher follows:
- commit the database change first, then publish (a client that resyncs on
  the event must find the change);
- every event of a room carries a `version` that only grows, so a client drops
  an event older than what it already shows;
- clients never choose rooms: the server puts a connection in the rooms its
  credentials allow (voting.web.sockets).

The web app emits through its own flask_socketio.SocketIO (which fans out to
the other web processes over the Redis message queue); a worker, which has no
Socket.IO server, emits through a write-only SocketIO bound to the same queue.
"""
from __future__ import annotations

import os
import time
from typing import Any

from flask import Flask, current_app

ATTENDANCE_CHANGED = "attendance.changed"
ATTENDANCE_SNAPSHOT = "attendance.snapshot"
CARD_SHEET_PROGRESSED = "card_sheet.progressed"
# The pid of the process whose Socket.IO server this app is (set by voting.web.sockets).
SERVER_PID_KEY = "voting.realtime.server_pid"


def meeting_room(meeting_id: int) -> str:
    """Everyone following a meeting: the consoles, the hall screens, the phones (what all of them need)."""
    return f"meeting:{int(meeting_id)}"


def screen_room(meeting_id: int) -> str:
    """The meeting's hall screens and its clerk and chair consoles: what changes with every vote or check-in.

    ballot.progress and attendance.changed go here only. A phone needs neither
    (it learns that a ballot opened, was extended or closed from the meeting's
    room), and sending one message per vote to 3,000 phones would be 9 million
    messages for one congress vote.
    """
    return f"screen:{int(meeting_id)}"


def representative_room(representative_id: int) -> str:
    """One representative's phones (personal news such as a leave decision)."""
    return f"representative:{int(representative_id)}"


def staff_room() -> str:
    """Every logged-in clerk and chair console (job progress and similar)."""
    return "staff"


def _redis(app: Flask):
    """One client per app for version counters.

    A blocking pool: when hundreds of phones check in within the same second,
    callers wait a moment for a free connection instead of failing (redis-py's
    default pool raises once 100 connections are busy).
    """
    client = app.extensions.get("voting.realtime.redis")
    if client is None:
        import redis

        pool = redis.BlockingConnectionPool.from_url(app.config["REDIS_URL"], max_connections=100, timeout=20)
        client = redis.Redis(connection_pool=pool)
        app.extensions["voting.realtime.redis"] = client
    return client


def redis_client(app: Flask | None = None):
    """The app's Redis client for realtime bookkeeping (versions, coalescing flags, what the screen shows)."""
    return _redis(app or current_app._get_current_object())


def next_version(stream: str, app: Flask | None = None) -> int:
    """The next version number of `stream` (e.g. "attendance:12"): a Redis INCR, shared by all processes.

    A counter that Redis lost (flushed, restarted) restarts from the current
    time in microseconds, so it still exceeds every version handed out before.
    """
    app = app or current_app._get_current_object()
    client = _redis(app)
    key = f"voting:version:{stream}"
    client.set(key, time.time_ns() // 1000, nx=True)
    return int(client.incr(key))


def current_version(stream: str, app: Flask | None = None) -> int:
    """The latest version handed out for `stream` (0 if none), for snapshots."""
    app = app or current_app._get_current_object()
    value = _redis(app).get(f"voting:version:{stream}")
    return int(value) if value is not None else 0


def _emitter(app: Flask):
    """The process's Socket.IO emitter: the web app's server, or a write-only one bound to the queue.

    Only the process that runs the server may emit through it: a forked child
    (an RQ work horse of a web app) shares its queue identity, and the server's
    queue listener drops messages of its own identity as already delivered, so
    the child's events would reach no one.
    """
    server_pid = app.extensions.get(SERVER_PID_KEY)
    if app.config.get("VOTING_ROLE") == "web" and "socketio" in app.extensions and server_pid in (None, os.getpid()):
        return app.extensions["socketio"]
    emitter = app.extensions.get("voting.realtime.emitter")
    if emitter is None:
        from flask_socketio import SocketIO

        from voting.realtime.queue import message_queue

        emitter = SocketIO(
            message_queue=app.config["REDIS_URL"], channel=app.config["SOCKETIO_CHANNEL"], write_only=True,
            client_manager=message_queue(app.config["REDIS_URL"], app.config["SOCKETIO_CHANNEL"], write_only=True),
        )
        app.extensions["voting.realtime.emitter"] = emitter
    return emitter


def publish(event: str, room: str, payload: dict[str, Any], app: Flask | None = None) -> None:
    """Send `event` with `payload` to every connection in `room`, in every web process.

    Call it after the transaction that made the change has committed.
    """
    app = app or current_app._get_current_object()
    _emitter(app).emit(event, payload, to=room, namespace="/")
