"""The phone opens the hall screen's QR link /c/<meeting>/<code>: a clear Chinese page for every outcome."""
import re
import time

import pytest

from voting.domain import checkin as codes


def code_at(app, meeting_id, when):
    from voting.actions.checkin import checkin_secret

    with app.app_context():
        return codes.issue(checkin_secret(), meeting_id, when).code


@pytest.fixture
def hall(app, client, auth, make_roster):
    roster = make_roster(3)
    client.post(f"/api/v1/meetings/{roster.meeting_id}/checkin/open", headers=auth)
    return roster


def phone_for(app, rep):
    phone = app.test_client()
    assert phone.get(f"/r/{rep.login_code}").status_code == 302
    return phone


def test_scan_checks_in_and_scanning_again_says_already(app, hall):
    phone = phone_for(app, hall.reps[0])
    url = f"/c/{hall.meeting_id}/{code_at(app, hall.meeting_id, time.time())}"
    first = phone.get(url)
    assert first.status_code == 200
    page = first.get_data(as_text=True)
    assert "已签到" in page and hall.reps[0].name in page
    assert "您已签到" in phone.get(url).get_data(as_text=True)
    assert "已签到" in phone.get("/booth/").get_data(as_text=True)


@pytest.mark.parametrize(
    "case, status, words",
    [
        ("expired", 410, "签到码已过期"),
        ("other_meeting", 400, "另一场会议"),
        ("forged", 400, "不是有效的签到码"),
    ],
)
def test_bad_codes_get_a_chinese_page(app, hall, case, status, words):
    phone = phone_for(app, hall.reps[0])
    now = time.time()
    code = {
        "expired": code_at(app, hall.meeting_id, now - 90),
        "other_meeting": code_at(app, hall.meeting_id + 7, now),
        "forged": "1-2-AAAAAAAAAAAAAAAA",
    }[case]
    response = phone.get(f"/c/{hall.meeting_id}/{code}")
    assert response.status_code == status
    assert words in response.get_data(as_text=True)


def test_not_logged_in_is_told_to_scan_the_card_then_comes_back(app, hall):
    url = f"/c/{hall.meeting_id}/{code_at(app, hall.meeting_id, time.time())}"
    stranger = app.test_client()
    response = stranger.get(url)
    assert response.status_code == 401
    assert "请先扫描您代表证上的二维码" in response.get_data(as_text=True)
    # Scanning the card now brings the phone straight back to the check-in link.
    login = stranger.get(f"/r/{hall.reps[1].login_code}")
    assert login.headers["Location"].endswith(url)
    assert "已签到" in stranger.get(url).get_data(as_text=True)


def test_not_on_roster_and_closed(app, client, auth, hall, make_roster):
    other = make_roster(1, kind="standing_committee", name="某县人大常委会")
    outsider = phone_for(app, other.reps[0])
    url = f"/c/{hall.meeting_id}/{code_at(app, hall.meeting_id, time.time())}"
    response = outsider.get(url)
    assert response.status_code == 403 and "不在" in response.get_data(as_text=True)
    client.post(f"/api/v1/meetings/{hall.meeting_id}/checkin/close", headers=auth)
    member = phone_for(app, hall.reps[0])
    closed = member.get(url)
    assert closed.status_code == 409 and "尚未开启扫码签到" in closed.get_data(as_text=True)


def test_leave_from_the_phone_and_cancel_on_arrival(app, client, auth, hall):
    phone = phone_for(app, hall.reps[2])
    page = phone.get("/booth/").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    sent = phone.post("/booth/leave", data={"csrf_token": csrf, "meeting_id": hall.meeting_id, "reason": "因病住院"},
                      follow_redirects=True)
    assert "等待审批" in sent.get_data(as_text=True)
    leave_id = client.get(f"/api/v1/meetings/{hall.meeting_id}/leave-requests", headers=auth).json[0]["id"]
    client.post(f"/api/v1/leave-requests/{leave_id}/approve", json={}, headers=auth)
    page = phone.get("/booth/").get_data(as_text=True)
    assert "请假已批准" in page and "销假" in page
    cancelled = phone.post(f"/booth/leave/{leave_id}/cancel", data={"csrf_token": csrf}, follow_redirects=True)
    assert "已销假" in cancelled.get_data(as_text=True)
    counts = client.get(f"/api/v1/meetings/{hall.meeting_id}/attendance", headers=auth).json
    assert counts["on_leave"] == 0 and counts["absent"] == 3


def test_leave_form_without_csrf_token_is_refused(app, hall):
    phone = phone_for(app, hall.reps[0])
    response = phone.post("/booth/leave", data={"meeting_id": hall.meeting_id, "reason": "x"})
    assert response.status_code == 400
