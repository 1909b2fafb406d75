"""attendance.snapshot on connect and attendance.changed on every change, with growing versions,
to connections the server itself authenticated and placed in the meeting's room."""
import re
import threading
import time

import pytest
import requests
import socketio


def wait_for(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


class Recorder:
    """A real python-socketio client that records every event it receives."""

    def __init__(self):
        self.events = []
        self.lock = threading.Lock()
        self.client = socketio.Client(reconnection=False)
        self.client.on("*", self._record)

    def _record(self, event, payload=None):
        with self.lock:
            self.events.append((event, payload))

    def named(self, name):
        with self.lock:
            return [p for e, p in self.events if e == name]

    def connect(self, url, **kwargs):
        self.client.connect(url, transports=["websocket"], wait_timeout=10, **kwargs)
        return self


@pytest.fixture
def screen_token(app):
    def make(meeting_id):
        from voting.actions.checkin import screen_token_for

        with app.app_context():
            return screen_token_for(app.extensions["voting.db"], meeting_id, renew=True)

    return make


def test_screen_gets_snapshot_then_changes_with_growing_versions(live_server, client, auth, make_roster, screen_token):
    roster = make_roster(4)
    mid = roster.meeting_id
    screen = Recorder().connect(live_server, auth={"meeting_id": mid, "screen_token": screen_token(mid)})
    try:
        assert wait_for(lambda: screen.named("attendance.snapshot"))
        snap = screen.named("attendance.snapshot")[0]
        assert (snap["expected"], snap["present"], snap["absent"]) == (4, 0, 4)

        client.post(f"/api/v1/meetings/{mid}/checkin/open", headers=auth)
        for rep in roster.reps[:3]:
            client.put(f"/api/v1/meetings/{mid}/attendance/{rep.id}", json={"status": "present"}, headers=auth)
        # Coalesced: the first change at once, a quick burst after it as one more picture.
        assert wait_for(lambda: screen.named("attendance.changed")
                        and screen.named("attendance.changed")[-1]["present"] == 3)
        changes = screen.named("attendance.changed")
        versions = [c["version"] for c in changes]
        assert versions == sorted(versions) and len(set(versions)) == len(versions)
        assert versions[0] > snap["version"] and 2 <= len(changes) <= 4
        last = max(changes, key=lambda c: c["version"])
        assert (last["present"], last["absent"], last["is_checkin_open"]) == (3, 1, True)
        assert last["quorum"] == {"required": 3, "met": True}
        assert last["representative_id"] == roster.reps[2].id
    finally:
        screen.client.disconnect()


def test_server_refuses_unauthenticated_and_wrong_token(live_server, make_roster, screen_token):
    roster = make_roster(1)
    other = make_roster(1, name="另一个人大")
    screen_token(roster.meeting_id)
    with pytest.raises(socketio.exceptions.ConnectionError):
        Recorder().connect(live_server, auth={"meeting_id": roster.meeting_id})
    with pytest.raises(socketio.exceptions.ConnectionError):
        # A token of another meeting opens nothing here.
        Recorder().connect(live_server, auth={"meeting_id": roster.meeting_id, "screen_token": screen_token(other.meeting_id)})


def test_clerk_and_representative_sessions_are_placed_by_the_server(app, live_server, make_user, make_roster):
    roster = make_roster(2)
    other = make_roster(1, name="另一个人大")
    mid = roster.meeting_id
    make_user("desk", "clerk", "correct horse battery")
    clerk = requests.Session()
    page = clerk.get(f"{live_server}/admin/login").text
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    clerk.post(f"{live_server}/admin/login", data={"csrf_token": csrf, "username": "desk", "password": "correct horse battery"})
    phone = requests.Session()
    phone.get(f"{live_server}/r/{roster.reps[0].login_code}")
    outsider = requests.Session()
    outsider.get(f"{live_server}/r/{other.reps[0].login_code}")

    def cookie(s):
        return "; ".join(f"{k}={v}" for k, v in s.cookies.items())

    console = Recorder().connect(live_server, headers={"Cookie": cookie(clerk)}, auth={"meeting_id": mid})
    rep = Recorder().connect(live_server, headers={"Cookie": cookie(phone)}, auth={"meeting_id": mid})
    # A representative of another body may connect (to their own room) but gets nothing of this meeting.
    stranger = Recorder().connect(live_server, headers={"Cookie": cookie(outsider)}, auth={"meeting_id": mid})
    try:
        # Consoles get the counts; a phone gets only what it needs: the open ballot (none yet).
        assert wait_for(lambda: console.named("attendance.snapshot") and rep.named("ballot.snapshot"))
        assert rep.named("ballot.snapshot")[0]["ballot"] is None
        with app.app_context():
            from voting.actions.attendance import set_attendance

            set_attendance(app.extensions["voting.db"], mid, roster.reps[1].id, "on_leave", "出差", None)
        assert wait_for(lambda: console.named("attendance.changed"))
        assert console.named("attendance.changed")[-1]["on_leave"] == 1
        time.sleep(0.3)
        # Counts go to screens and consoles only, never one message per check-in to every phone.
        assert rep.named("attendance.changed") == [] and rep.named("attendance.snapshot") == []
        assert stranger.events == []
    finally:
        for r in (console, rep, stranger):
            r.client.disconnect()


def test_a_worker_publishes_through_the_message_queue(app_config, live_server, make_roster, screen_token):
    """The worker has no Socket.IO server: its write-only emitter reaches the web process's clients."""
    from voting import create_app
    from voting.actions.attendance import publish_attendance

    roster = make_roster(2)
    mid = roster.meeting_id
    screen = Recorder().connect(live_server, auth={"meeting_id": mid, "screen_token": screen_token(mid)})
    try:
        worker = create_app(app_config, role="worker")
        with worker.app_context():
            publish_attendance(worker.extensions["voting.db"], mid)
        assert wait_for(lambda: screen.named("attendance.changed"))
    finally:
        screen.client.disconnect()
