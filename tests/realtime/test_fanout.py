"""Who gets what: phones get a ballot's opening, extension and close (never one message per vote or
per check-in); screens and consoles get coalesced progress too; everyone who connects gets a snapshot.
Real python-socketio clients against a real server, authenticated and placed in rooms by the server."""
from __future__ import annotations

import time

import pytest
import socketio

from tests.hall import make_hall, nonce
from tests.realtime.test_attendance_events import Recorder, wait_for


def screen_token(app, meeting_id):
    from voting.actions.checkin import screen_token_for

    with app.app_context():
        return screen_token_for(app.extensions["voting.db"], meeting_id, renew=True)


def test_phones_get_open_extend_close_and_screens_also_get_coalesced_progress(app, client, auth, live_server):
    hall = make_hall(app, 40, present=40)
    mid = hall.meeting_id
    ballot = client.post(f"/api/v1/meetings/{mid}/ballots", headers=auth,
                         json={"kind": "motion", "title": "关于某某的决议", "items": [{"title": "决议草案"}],
                               "rules": {"duration_s": 300}}).json
    item = ballot["items"][0]["id"]
    phones = [Recorder().connect(live_server, auth={"meeting_id": mid, "token": m.token}) for m in hall.members[:3]]
    screen = Recorder().connect(live_server, auth={"meeting_id": mid, "screen_token": screen_token(app, mid)})
    try:
        assert wait_for(lambda: all(p.named("ballot.snapshot") for p in phones) and screen.named("ballot.snapshot"))
        assert phones[0].named("ballot.snapshot")[0]["ballot"] is None
        client.post(f"/api/v1/ballots/{ballot['id']}/open", headers=auth)
        for member in hall.members:
            r = client.post(f"/api/v1/ballots/{ballot['id']}/votes", headers=member.headers,
                            json={"choices": {str(item): "yes"}, "nonce": nonce()})
            assert r.status_code == 201
        client.post(f"/api/v1/ballots/{ballot['id']}/extend", headers=auth, json={"seconds": 60})
        assert wait_for(lambda: screen.named("ballot.progress") and screen.named("ballot.progress")[-1]["cast"] == 40)
        client.put(f"/api/v1/meetings/{mid}/attendance/{hall.members[0].id}", json={"status": "absent"}, headers=auth)
        client.post(f"/api/v1/ballots/{ballot['id']}/close", headers=auth)
        assert wait_for(lambda: all(p.named("ballot.closed") for p in phones) and screen.named("ballot.closed"))
        time.sleep(0.5)

        for phone in phones:
            names = [event for event, _payload in phone.events]
            assert names == ["ballot.snapshot", "ballot.opened", "ballot.extended", "ballot.closed"], names
        closed = phones[0].named("ballot.closed")[0]
        assert closed["result"]["items"][0]["counts"]["yes"] == 40 and closed["status"] == "closed"

        progress = screen.named("ballot.progress")
        assert 1 <= len(progress) < 40  # coalesced: a few a second, not one per vote
        counts = [p["cast"] for p in progress]
        versions = [p["version"] for p in progress]
        assert counts == sorted(counts) and versions == sorted(versions) and counts[-1] == 40
        assert screen.named("attendance.changed")  # screens get the counts
        every = [p["version"] for e, p in screen.events if e.startswith("ballot.") and e != "ballot.snapshot"]
        assert every == sorted(every) and len(set(every)) == len(every)
    finally:
        for recorder in (*phones, screen):
            recorder.client.disconnect()


def test_a_phone_connecting_during_a_vote_gets_the_open_ballot_first(app, client, auth, live_server):
    hall = make_hall(app, 5, present=5)
    mid = hall.meeting_id
    ballot = client.post(f"/api/v1/meetings/{mid}/ballots", headers=auth,
                         json={"kind": "motion", "title": "关于某某的决议", "items": [{"title": "决议草案"}]}).json
    client.post(f"/api/v1/ballots/{ballot['id']}/open", headers=auth)
    phone = Recorder().connect(live_server, auth={"meeting_id": mid, "token": hall.members[0].token})
    try:
        assert wait_for(lambda: phone.named("ballot.snapshot"))
        snap = phone.named("ballot.snapshot")[0]
        assert snap["ballot"]["ballot_id"] == ballot["id"] and snap["ballot"]["status"] == "open"
        assert snap["display"] == {"mode": "ballot", "ballot_id": ballot["id"]}
        assert "result" not in snap["ballot"]
    finally:
        phone.client.disconnect()


def test_bearer_tokens_place_phones_and_staff_and_bad_ones_are_refused(app, client, auth, clerk_token, live_server):
    hall = make_hall(app, 2, present=2)
    other = make_hall(app, 2, present=2)
    mid = hall.meeting_id
    with pytest.raises(socketio.exceptions.ConnectionError):
        Recorder().connect(live_server, auth={"meeting_id": mid, "token": "not-a-token"})
    staff = Recorder().connect(live_server, auth={"meeting_id": mid, "token": clerk_token})
    stranger = Recorder().connect(live_server, auth={"meeting_id": mid, "token": other.members[0].token})
    try:
        assert wait_for(lambda: staff.named("attendance.snapshot") and staff.named("ballot.snapshot"))
        client.put(f"/api/v1/meetings/{mid}/attendance/{hall.members[0].id}", json={"status": "absent"}, headers=auth)
        assert wait_for(lambda: staff.named("attendance.changed"))
        time.sleep(0.3)
        assert stranger.events == []  # a representative of another body hears nothing of this meeting
    finally:
        staff.client.disconnect()
        stranger.client.disconnect()
