"""Five hundred representatives check in at the same moment, against the real server:
exact counts, no duplicate rows, and a repeated scan changes nothing."""
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import func, select

N = 500
REPEATS = 100  # that many phones scan twice, at the same moment as everyone else


@pytest.mark.slow
def test_five_hundred_simultaneous_check_ins(app, db, live_server, client, auth, make_roster):
    from voting.actions.accounts import issue_token
    from voting.actions.checkin import current_code
    from voting.storage.models import Attendance, Representative

    roster = make_roster(N)
    mid = roster.meeting_id
    client.post(f"/api/v1/meetings/{mid}/checkin/open", headers=auth)
    with app.app_context(), db.transaction() as s:
        tokens = [issue_token(s, representative=s.get(Representative, r.id)) for r in roster.reps]
    with app.test_request_context(base_url=live_server):
        code = current_code(db, mid).code
    callers = tokens + tokens[:REPEATS]
    barrier = threading.Barrier(len(callers))
    http = threading.local()

    def check_in(token):
        session = getattr(http, "session", None) or requests.Session()
        http.session = session
        barrier.wait()
        response = session.post(
            f"{live_server}/api/v1/meetings/{mid}/checkin",
            json={"code": code},
            headers={"Authorization": f"Bearer {token}"},
            timeout=120,
        )
        return response.status_code, response.json()

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=len(callers)) as pool:
        results = list(pool.map(check_in, callers))
    elapsed = time.monotonic() - started
    print(f"\n{len(callers)} simultaneous check-ins on {db.engine.dialect.name}: {elapsed:.1f}s")

    assert [status for status, _ in results] == [200] * len(callers), [r for r in results if r[0] != 200][:3]
    assert sum(1 for _, body in results if body["changed"]) == N  # each person changed the count once
    counts = client.get(f"/api/v1/meetings/{mid}/attendance", headers=auth).json
    assert (counts["expected"], counts["present"], counts["absent"]) == (N, N, 0)
    with db.session() as s:
        rows = s.scalar(select(func.count()).select_from(Attendance).where(Attendance.meeting_id == mid))
        people = s.scalar(select(func.count(func.distinct(Attendance.representative_id))).where(Attendance.meeting_id == mid))
    assert rows == people == N
