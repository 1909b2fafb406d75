"""Progress between full refreshes reuses the last full payload: its numbers must still be right.

The count of votes, the status and the deadline are read afresh every time (an
extension made through another web process shows in the next progress); 实到 is
refreshed in full at least every PROGRESS_FULL_EVERY_S.
"""
from __future__ import annotations

import secrets

from tests.hall import make_hall
from voting.actions.ballots import cast_vote, create_ballot, extend_ballot, open_ballot
from voting.actions.ballots import events
from voting.actions.ballots.events import ballot_payload, publish_ballot
from voting.realtime.ballots import BALLOT_PROGRESS
from voting.storage.attendance import upsert_attendance


def open_motion(app, db, hall) -> tuple[int, str]:
    with app.app_context(), db.transaction() as s:
        ballot = create_ballot(s, hall.meeting_id, "motion", "关于批准预算的决议", [{"title": "预算"}],
                               {"duration_s": 120})
        open_ballot(s, ballot.id)
        return ballot.id, str(ballot.items[0].id)


def vote(app, db, ballot_id, item, member):
    with app.app_context(), db.transaction() as s:
        cast_vote(s, ballot_id, member.id, {item: "yes"}, secrets.token_urlsafe(24))


def test_progress_between_full_refreshes_equals_a_full_payload(app, db, monkeypatch):
    monkeypatch.setattr(events, "PROGRESS_FULL_EVERY_S", 3600.0)  # never due during the test
    hall = make_hall(app, 20, present=15)
    ballot_id, item = open_motion(app, db, hall)
    with app.app_context():
        first = publish_ballot(BALLOT_PROGRESS, ballot_id, hall.meeting_id, app)  # the full one
        assert first["cast"] == 0
        for member in hall.present[:6]:
            vote(app, db, ballot_id, item, member)
        with db.transaction() as s:  # the chair extends the vote (as another web process would)
            extend_ballot(s, ballot_id, 60)
        light = publish_ballot(BALLOT_PROGRESS, ballot_id, hall.meeting_id, app)
        full = ballot_payload(app, ballot_id, light["version"])
    assert light["cast"] == 6 and light["version"] > first["version"]
    assert light["deadline_at"] == full["deadline_at"] != first["deadline_at"]
    assert abs(light["remaining_s"] - full["remaining_s"]) <= 1
    assert {k: v for k, v in light.items() if k != "remaining_s"} == {k: v for k, v in full.items() if k != "remaining_s"}


def test_a_late_check_in_shows_in_progress_once_the_full_refresh_is_due(app, db, monkeypatch):
    hall = make_hall(app, 20, present=15)
    ballot_id, _item = open_motion(app, db, hall)
    monkeypatch.setattr(events, "PROGRESS_FULL_EVERY_S", 3600.0)
    with app.app_context():
        assert publish_ballot(BALLOT_PROGRESS, ballot_id, hall.meeting_id, app)["present"] == 15
        with db.transaction() as s:
            upsert_attendance(s, hall.meeting_id, hall.members[-1].id, "present", method="desk")
        assert publish_ballot(BALLOT_PROGRESS, ballot_id, hall.meeting_id, app)["present"] == 15  # not due yet
        monkeypatch.setattr(events, "PROGRESS_FULL_EVERY_S", 0.0)
        assert publish_ballot(BALLOT_PROGRESS, ballot_id, hall.meeting_id, app)["present"] == 16


def test_the_progress_flusher_of_a_ballot_that_is_gone_stops_and_frees_its_place(app):
    """A ballot deleted with its meeting while votes were being noted: nothing to report, no error."""
    from voting.realtime.ballots import _flush_progress, _pending_progress

    pending, guard = _pending_progress(app)
    with guard:
        pending[987654] = True  # as note_vote leaves it before starting the flusher
    _flush_progress(app, 987654, 1, events._publish_progress)  # returns instead of raising NotFound
    assert 987654 not in pending  # the next vote starts a new flusher
