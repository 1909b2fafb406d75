"""Room check-in, the clerk's desk, leave and the attendance counts through the API."""
import time

import pytest

from voting.domain import checkin as codes


@pytest.fixture
def rep_token(client):
    """A bearer token for a representative, from their card code."""

    def make(rep):
        response = client.post("/api/v1/auth/representative", json={"login_code": rep.login_code})
        return {"Authorization": f"Bearer {response.json['token']}"}

    return make


def code_at(app, meeting_id, when):
    """The screen's code of `meeting_id` at time `when`, as the server would issue it."""
    from voting.actions.checkin import checkin_secret

    with app.app_context():
        return codes.issue(checkin_secret(), meeting_id, when).code


def attendance(client, auth, meeting_id):
    response = client.get(f"/api/v1/meetings/{meeting_id}/attendance", headers=auth)
    assert response.status_code == 200, response.json
    return response.json


def test_screen_code_then_phone_check_in_counts_once(client, auth, make_roster, rep_token):
    roster = make_roster(5)
    mid = roster.meeting_id
    assert client.get(f"/api/v1/meetings/{mid}/checkin-code", headers=auth).status_code == 409  # not open yet
    assert client.post(f"/api/v1/meetings/{mid}/checkin/open", headers=auth).json == {"is_open": True}
    issued = client.get(f"/api/v1/meetings/{mid}/checkin-code", headers=auth).json
    assert issued["url"].endswith(f"/c/{mid}/{issued['code']}")
    assert 30 <= issued["expires_in"] <= 60 and 1 <= issued["refresh_in"] <= 30

    phone = rep_token(roster.reps[0])
    first = client.post(f"/api/v1/meetings/{mid}/checkin", json={"code": issued["code"]}, headers=phone)
    assert first.status_code == 200 and first.json["status"] == "present" and first.json["changed"] is True
    again = client.post(f"/api/v1/meetings/{mid}/checkin", json={"code": issued["code"]}, headers=phone)
    assert again.status_code == 200 and again.json["changed"] is False
    counts = attendance(client, auth, mid)
    assert (counts["expected"], counts["present"], counts["on_leave"], counts["absent"]) == (5, 1, 0, 4)
    assert counts["quorum"] == {"required": 4, "met": False}  # ceil(2 * 5 / 3) = 4


@pytest.mark.parametrize(
    "case, error_code, status",
    [
        ("expired", "code_expired", 410),
        ("other_meeting", "code_for_other_meeting", 400),
        ("forged", "invalid_code", 400),
        ("garbage", "invalid_code", 400),
    ],
)
def test_bad_codes_are_refused_with_a_chinese_reason(app, client, auth, make_roster, rep_token, case, error_code, status):
    roster = make_roster(2)
    mid = roster.meeting_id
    client.post(f"/api/v1/meetings/{mid}/checkin/open", headers=auth)
    now = time.time()
    code = {
        "expired": code_at(app, mid, now - 2 * codes.PERIOD_SECONDS - 1),
        "other_meeting": code_at(app, mid + 1000, now),
        "forged": code_at(app, mid, now)[:-4] + "AAAA",
        "garbage": "https://example.com/not-a-code",
    }[case]
    response = client.post(f"/api/v1/meetings/{mid}/checkin", json={"code": code}, headers=rep_token(roster.reps[0]))
    assert response.status_code == status
    assert response.json["error"]["code"] == error_code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json["error"]["message"])
    assert attendance(client, auth, mid)["present"] == 0


def test_check_in_closed_and_not_on_roster(app, client, auth, make_roster, rep_token):
    congress = make_roster(3)
    committee = make_roster(2, kind="standing_committee", name="某县人大常委会")
    mid = congress.meeting_id
    code = code_at(app, mid, time.time())
    closed = client.post(f"/api/v1/meetings/{mid}/checkin", json={"code": code}, headers=rep_token(congress.reps[0]))
    assert closed.status_code == 409 and closed.json["error"]["code"] == "checkin_closed"
    client.post(f"/api/v1/meetings/{mid}/checkin/open", headers=auth)
    stranger = client.post(f"/api/v1/meetings/{mid}/checkin", json={"code": code}, headers=rep_token(committee.reps[0]))
    assert stranger.status_code == 403 and stranger.json["error"]["code"] == "not_on_roster"
    client.post(f"/api/v1/meetings/{mid}/checkin/close", headers=auth)
    assert client.post(
        f"/api/v1/meetings/{mid}/checkin", json={"code": code}, headers=rep_token(congress.reps[0])
    ).json["error"]["code"] == "checkin_closed"


def test_only_representatives_check_in_and_only_staff_or_screen_read_codes(client, auth, make_roster):
    roster = make_roster(1)
    mid = roster.meeting_id
    client.post(f"/api/v1/meetings/{mid}/checkin/open", headers=auth)
    assert client.post(f"/api/v1/meetings/{mid}/checkin", json={"code": "x"}, headers=auth).status_code == 403
    assert client.get(f"/api/v1/meetings/{mid}/checkin-code").status_code == 401
    assert client.get(f"/api/v1/meetings/{mid}/checkin-code", headers={"X-Screen-Token": "nope"}).status_code == 401


def test_screen_token_reads_code_and_counts_until_renewed(app, client, auth, make_roster):
    from voting.actions.checkin import screen_token_for

    roster = make_roster(2)
    mid = roster.meeting_id
    client.post(f"/api/v1/meetings/{mid}/checkin/open", headers=auth)
    with app.app_context():
        db = app.extensions["voting.db"]
        assert screen_token_for(db, mid) is None  # no screen link made yet
        token = screen_token_for(db, mid, renew=True)
        assert screen_token_for(db, mid) == token  # the console can show it again
    screen = {"X-Screen-Token": token}
    assert client.get(f"/api/v1/meetings/{mid}/checkin-code", headers=screen).status_code == 200
    assert client.get(f"/api/v1/meetings/{mid}/attendance?screen_token={token}").status_code == 200
    other = make_roster(1, name="另一个人大")
    assert client.get(f"/api/v1/meetings/{other.meeting_id}/attendance", headers=screen).status_code == 401
    with app.app_context():
        screen_token_for(app.extensions["voting.db"], mid, renew=True)
    assert client.get(f"/api/v1/meetings/{mid}/checkin-code", headers=screen).status_code == 401


def test_desk_marks_with_reasons_and_counts_follow(client, auth, make_roster):
    roster = make_roster(6, kind="standing_committee", name="某县人大常委会")
    mid = roster.meeting_id
    put = lambda rep, status, reason=None: client.put(  # noqa: E731
        f"/api/v1/meetings/{mid}/attendance/{rep.id}", json={"status": status, "reason": reason}, headers=auth
    )
    assert put(roster.reps[0], "present").json == {"representative_id": roster.reps[0].id, "status": "present"}
    put(roster.reps[1], "present")
    put(roster.reps[2], "on_leave", "因病住院")
    put(roster.reps[3], "absent", "未请假")
    counts = attendance(client, auth, mid)
    assert (counts["expected"], counts["present"], counts["on_leave"], counts["absent"]) == (6, 2, 1, 3)
    assert counts["quorum"] == {"required": 4, "met": False}  # 6 // 2 + 1
    put(roster.reps[4], "present")
    put(roster.reps[5], "present")
    assert attendance(client, auth, mid)["quorum"] == {"required": 4, "met": True}
    bad = put(roster.reps[0], "late")
    assert bad.status_code == 422
    assert client.put(f"/api/v1/meetings/{mid}/attendance/999999", json={"status": "present"}, headers=auth).status_code == 404


def test_leave_flow_request_approve_then_arrive(app, client, auth, make_roster, rep_token):
    roster = make_roster(3)
    mid = roster.meeting_id
    rep = roster.reps[0]
    phone = rep_token(rep)
    created = client.post(f"/api/v1/meetings/{mid}/leave-requests", json={"reason": "赴省里参加培训"}, headers=phone)
    assert created.status_code == 201 and created.json["status"] == "requested"
    twice = client.post(f"/api/v1/meetings/{mid}/leave-requests", json={"reason": "再次"}, headers=phone)
    assert twice.status_code == 409 and twice.json["error"]["code"] == "leave_already_requested"
    assert attendance(client, auth, mid)["pending_leave"] == 1
    assert [r["id"] for r in client.get(f"/api/v1/meetings/{mid}/leave-requests", headers=auth).json] == [created.json["id"]]

    approved = client.post(f"/api/v1/leave-requests/{created.json['id']}/approve", json={}, headers=auth)
    assert approved.json["status"] == "approved"
    counts = attendance(client, auth, mid)
    assert (counts["on_leave"], counts["absent"], counts["pending_leave"]) == (1, 2, 0)
    assert client.post(f"/api/v1/leave-requests/{created.json['id']}/decline", json={}, headers=auth).status_code == 409

    # Plans changed: they come after all. Checking in ends the leave (销假) and counts them present.
    client.post(f"/api/v1/meetings/{mid}/checkin/open", headers=auth)
    code = code_at(app, mid, time.time())
    assert client.post(f"/api/v1/meetings/{mid}/checkin", json={"code": code}, headers=phone).status_code == 200
    counts = attendance(client, auth, mid)
    assert (counts["present"], counts["on_leave"], counts["absent"]) == (1, 0, 2)
    with app.app_context(), app.extensions["voting.db"].session() as s:
        from voting.storage.models import LeaveRequest

        assert s.get(LeaveRequest, created.json["id"]).status == "cancelled"


def test_declined_leave_is_absent_and_cancelled_leave_returns_to_absent(client, auth, make_roster, rep_token):
    roster = make_roster(3)
    mid = roster.meeting_id
    a, b = rep_token(roster.reps[0]), rep_token(roster.reps[1])
    first = client.post(f"/api/v1/meetings/{mid}/leave-requests", json={"reason": "私事"}, headers=a).json
    client.post(f"/api/v1/leave-requests/{first['id']}/decline", json={"note": "会议重要"}, headers=auth)
    second = client.post(f"/api/v1/meetings/{mid}/leave-requests", json={"reason": "出差"}, headers=b).json
    client.post(f"/api/v1/leave-requests/{second['id']}/approve", json={}, headers=auth)
    assert attendance(client, auth, mid)["on_leave"] == 1
    # 销假 from the phone: back to absent until they check in.
    assert client.post(f"/api/v1/leave-requests/{second['id']}/cancel", headers=b).json["status"] == "cancelled"
    counts = attendance(client, auth, mid)
    assert (counts["on_leave"], counts["absent"]) == (0, 3)
    # Someone else's request cannot be cancelled from your phone.
    third = client.post(f"/api/v1/meetings/{mid}/leave-requests", json={"reason": "再请"}, headers=a).json
    assert client.post(f"/api/v1/leave-requests/{third['id']}/cancel", headers=b).status_code == 404
    empty = client.post(f"/api/v1/meetings/{mid}/leave-requests", json={"reason": "  "}, headers=b)
    assert empty.status_code == 422


@pytest.mark.parametrize("n, kind, present, required, met", [
    (35, "standing_committee", 18, 18, True),
    (35, "standing_committee", 17, 18, False),
    (300, "people_congress", 200, 200, True),
    (300, "people_congress", 199, 200, False),
])
def test_quorum_boundaries_through_the_api(app, client, auth, make_roster, n, kind, present, required, met):
    from voting.storage.attendance import upsert_attendance

    roster = make_roster(n, kind=kind)
    with app.app_context(), app.extensions["voting.db"].transaction() as s:
        for rep in roster.reps[:present]:
            upsert_attendance(s, roster.meeting_id, rep.id, "present", method="desk")
    counts = attendance(client, auth, roster.meeting_id)
    assert counts["expected"] == n and counts["present"] == present
    assert counts["quorum"] == {"required": required, "met": met}


def test_representatives_who_left_do_not_count_in_expected(app, client, auth, make_roster):
    from voting.storage.models import Representative

    roster = make_roster(4)
    with app.app_context(), app.extensions["voting.db"].transaction() as s:
        s.get(Representative, roster.reps[0].id).status = "left"
    assert attendance(client, auth, roster.meeting_id)["expected"] == 3
