"""The clerk's attendance desk: counts, check-in on/off, screen link, leave decisions, marking, desk scan."""
from __future__ import annotations

import re

import pytest

from .pages import csrf_from, submit, text_of


@pytest.fixture
def hall(console, make_roster):
    return make_roster(6)


def counts(client, meeting_id):
    page = text_of(client.get(f"/admin/meetings/{meeting_id}/attendance"))
    return {k: int(v) for k, v in re.findall(r'data-count="(\w+)">(\d+)<', page)}


def test_desk_page_shows_counts_and_everyone(console, hall):
    page = text_of(console.get(f"/admin/meetings/{hall.meeting_id}/attendance"))
    assert "应到" in page and "法定人数" in page and "不足法定人数" in page
    assert all(rep.name in page for rep in hall.reps)
    assert counts(console, hall.meeting_id) == {"expected": 6, "present": 0, "on_leave": 0, "absent": 6, "required": 4}
    # The meeting page links to it with its own summary.
    meeting_page = text_of(console.get(f"/admin/meetings/{hall.meeting_id}"))
    assert "签到管理" in meeting_page


def test_open_close_check_in_and_screen_link(console, hall):
    url = f"/admin/meetings/{hall.meeting_id}/attendance"
    submit(console, url, action=f"/admin/meetings/{hall.meeting_id}/checkin/open")
    page = text_of(console.get(url))
    assert "签到进行中" in page and "关闭签到" in page
    submit(console, url, action=f"/admin/meetings/{hall.meeting_id}/screen-link")
    link = re.search(r'id="screen-link">([^<]+)<', text_of(console.get(url))).group(1)
    assert f"/screen/{hall.meeting_id}?token=" in link
    screen_path = link.split("://", 1)[1].split("/", 1)[1]
    assert console.get("/" + screen_path).status_code == 200
    submit(console, url, action=f"/admin/meetings/{hall.meeting_id}/screen-link")  # a new link...
    assert console.get("/" + screen_path).status_code == 403  # ...kills the old one
    submit(console, url, action=f"/admin/meetings/{hall.meeting_id}/checkin/close")
    assert "开启签到" in text_of(console.get(url))


def test_mark_by_hand_with_reason_and_filter(console, hall):
    url = f"/admin/meetings/{hall.meeting_id}/attendance"
    a, b = hall.reps[0], hall.reps[1]
    submit(console, url, {"status": "present", "back": url}, action=f"{url}/{a.id}")
    submit(console, url, {"status": "on_leave", "reason": "因病住院", "back": url}, action=f"{url}/{b.id}")
    assert counts(console, hall.meeting_id)["present"] == 1
    assert counts(console, hall.meeting_id)["on_leave"] == 1
    on_leave = text_of(console.get(f"{url}?status=on_leave"))
    assert b.name in on_leave and "因病住院" in on_leave and a.name not in on_leave
    found = text_of(console.get(f"{url}?q={a.number}"))
    assert a.name in found and b.name not in found


def test_leave_request_from_phone_is_approved_at_the_desk(app, console, hall):
    phone = app.test_client()
    phone.get(f"/r/{hall.reps[2].login_code}")
    home = text_of(phone.get("/booth/"))
    phone.post("/booth/leave", data={"csrf_token": csrf_from(home), "meeting_id": hall.meeting_id, "reason": "赴京出差"})
    url = f"/admin/meetings/{hall.meeting_id}/attendance"
    page = text_of(console.get(url))
    assert "待审批的请假申请" in page and "赴京出差" in page
    leave_id = re.search(r"/admin/leave/(\d+)/approve", page).group(1)
    submit(console, url, action=f"/admin/leave/{leave_id}/approve")
    assert counts(console, hall.meeting_id)["on_leave"] == 1
    assert "请假已批准" in text_of(phone.get("/booth/"))


def test_desk_scan_checks_in_by_card_url_or_code(console, hall):
    url = f"/admin/meetings/{hall.meeting_id}/desk-scan"
    page = text_of(console.get(url))
    assert "/vendor/jsqr/dist/jsQR.js" in page and "报到台扫证签到" in page
    rep = hall.reps[3]
    # A handheld scanner types the card's whole URL into the field (the plain form, no script).
    result = text_of(submit(console, url, {"scanned": f"http://192.168.1.10:5000/r/{rep.login_code}"}))
    assert f"{rep.name} 签到成功" in result
    # The camera page's script posts JSON with the CSRF header.
    token = csrf_from(page)
    again = console.post(url, json={"scanned": rep.login_code}, headers={"X-CSRFToken": token})
    assert again.status_code == 200 and again.json["ok"] and again.json["changed"] is False
    bad = console.post(url, json={"scanned": "http://x/r/not-a-card"}, headers={"X-CSRFToken": token})
    assert bad.status_code == 422 and "无效" in bad.json["message"]
    no_csrf = console.post(url, json={"scanned": rep.login_code})
    assert no_csrf.status_code == 400
    assert counts(console, hall.meeting_id)["present"] == 1


def test_unknown_meeting_is_a_friendly_404(console):
    assert console.get("/admin/meetings/999/attendance").status_code == 404
