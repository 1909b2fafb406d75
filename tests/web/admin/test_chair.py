"""The chair's console: a chair logs in, opens, extends and closes the agenda's votes, puts a result
on the hall screen and goes on to the next item; the same actions (and events) as the API.
CSRF stays on, as in production."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.hall import make_hall, nonce

from .pages import PASSWORD, login, submit, text_of

SHOTS = os.environ.get("VOTING_SCREENSHOTS")


@pytest.fixture
def chair_console(client, make_user):
    """A client logged in as a chair (主持人)."""
    make_user("chair", "chair", PASSWORD)
    assert login(client, "chair").status_code == 302
    return client


def add(client, auth, meeting_id, title, kind="motion", items=None, rules=None):
    response = client.post(f"/api/v1/meetings/{meeting_id}/ballots", headers=auth,
                           json={"kind": kind, "title": title, "items": [{"title": t} for t in (items or [title])],
                                 "rules": rules or {}})
    assert response.status_code == 201, response.json
    return response.json["id"]


def press(console, meeting_id, action, **data):
    """Press a button of the chair's page (with the page's own CSRF token)."""
    return submit(console, f"/admin/meetings/{meeting_id}/chair", data,
                  action=f"/admin/meetings/{meeting_id}/chair/{action}")


def screen_shows(client, auth, meeting_id):
    body = client.get(f"/api/v1/meetings/{meeting_id}/screen", headers=auth).json
    return body["display"]["mode"], body["display"]["ballot_id"]


def test_a_chair_runs_the_agenda_from_the_console(app, client, auth, chair_console, make_user):
    hall = make_hall(app, 35, present=28)
    mid = hall.meeting_id
    first = add(client, auth, mid, "关于批准2025年市级预算调整方案的决议（草案）", rules={"duration_s": 60})
    second = add(client, auth, mid, "关于任命张三为县人民政府副县长的决定（草案）")

    page = text_of(chair_console.get(f"/admin/meetings/{mid}/chair"))
    for words in ("主持台", "议程", "关于批准2025年市级预算调整方案的决议（草案）", "关于任命张三", "开始表决",
                  "应到", "实到", "符合法定人数", "大屏正在显示"):
        assert words in page, words
    assert screen_shows(client, auth, mid) == ("attendance", None)

    # 开始表决 → the same state as the API's open.
    r = press(chair_console, mid, f"ballots/{first}/open")
    assert r.status_code == 303 and r.headers["Location"].endswith(f"/admin/meetings/{mid}/chair?ballot={first}")
    assert client.get(f"/api/v1/ballots/{first}", headers=auth).json["status"] == "open"
    page = text_of(chair_console.get(f"/admin/meetings/{mid}/chair?ballot={second}"))
    assert "结束表决" in page and "+60 秒" in page and 'id="live-cast">0<' in page  # the open one stays in hand
    for member in hall.members[:20]:
        vote = client.post(f"/api/v1/ballots/{first}/votes", headers=member.headers,
                           json={"choices": {str(client.get(f"/api/v1/ballots/{first}", headers=auth).json["items"][0]["id"]): "yes"},
                                 "nonce": nonce()})
        assert vote.status_code == 201
    before = client.get(f"/api/v1/ballots/{first}", headers=auth).json["remaining_s"]
    press(chair_console, mid, f"ballots/{first}/extend", seconds="60")
    assert client.get(f"/api/v1/ballots/{first}", headers=auth).json["remaining_s"] >= before + 55

    # 结束表决: the result in the hall's form, on the screen by itself.
    press(chair_console, mid, f"ballots/{first}/close")
    page = text_of(chair_console.get(f"/admin/meetings/{mid}/chair"))
    assert "表决结果：" in page and "通过" in page and "已在大屏显示" in page
    assert screen_shows(client, auth, mid) == ("ballot", first)

    # 下一项: the screen goes back to the attendance, the next draft is in hand.
    r = press(chair_console, mid, "next", after=str(first))
    assert r.headers["Location"].endswith(f"?ballot={second}")
    assert screen_shows(client, auth, mid) == ("attendance", None)
    page = text_of(chair_console.get(r.headers["Location"]))
    assert "开始表决" in page and "关于任命张三为县人民政府副县长的决定（草案）" in page

    # 在大屏显示此结果: the earlier result again.
    press(chair_console, mid, "screen", mode="ballot", ballot_id=str(first))
    assert screen_shows(client, auth, mid) == ("ballot", first)
    # A draft cannot be shown as a result.
    press(chair_console, mid, "screen", mode="ballot", ballot_id=str(second))
    assert screen_shows(client, auth, mid) == ("ballot", first)


def test_the_console_refuses_what_the_rules_refuse(app, client, auth, chair_console):
    hall = make_hall(app, 35, present=10)  # no quorum (18 needed)
    mid = hall.meeting_id
    ballot = add(client, auth, mid, "关于某某的决定")
    r = press(chair_console, mid, f"ballots/{ballot}/open")
    page = text_of(chair_console.get(r.headers["Location"]))
    assert "不足法定人数" in page or "法定人数" in page
    assert client.get(f"/api/v1/ballots/{ballot}", headers=auth).json["status"] == "draft"
    other = make_hall(app, 5)
    stranger = add(client, auth, other.meeting_id, "另一会议的表决")
    # A ballot of another meeting cannot be driven from this meeting's console.
    assert press(chair_console, mid, f"ballots/{stranger}/open").status_code == 404


def test_the_console_needs_a_staff_login(app, client, auth):
    hall = make_hall(app, 3)
    r = client.get(f"/admin/meetings/{hall.meeting_id}/chair")
    assert r.status_code == 302 and "/admin/login" in r.headers["Location"]
    assert client.post(f"/admin/meetings/{hall.meeting_id}/chair/next").status_code in (302, 400)


def test_the_screen_api_takes_staff_choices_only(app, client, auth):
    hall = make_hall(app, 35, present=28)
    mid = hall.meeting_id
    ballot = add(client, auth, mid, "关于某某的决定")
    member = hall.members[0]
    assert client.put(f"/api/v1/meetings/{mid}/screen", json={"mode": "attendance"}, headers=member.headers).status_code == 403
    assert client.put(f"/api/v1/meetings/{mid}/screen", json={"mode": "ballot", "ballot_id": ballot},
                      headers=auth).status_code == 409  # a draft has no result
    assert client.put(f"/api/v1/meetings/{mid}/screen", json={"mode": "everything"}, headers=auth).status_code == 422
    assert client.get(f"/api/v1/meetings/{mid}/screen").status_code == 401


@pytest.mark.browser
def test_the_console_follows_the_vote_live_on_a_tablet(app, client, auth, live_server, make_user):
    """In Chromium at 1180×820 (a 10-inch tablet, landscape): counts move without a reload."""
    from tests.browser import chromium

    hall = make_hall(app, 35, present=28)
    mid = hall.meeting_id
    ballot = add(client, auth, mid, "关于批准2025年市级预算调整方案的决议（草案）", rules={"duration_s": 90})
    make_user("chair", "chair", PASSWORD)
    with chromium() as browser:
        page = browser.new_context(viewport={"width": 1180, "height": 820}, locale="zh-CN").new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{live_server}/admin/login?next=/admin/meetings/{mid}/chair")
        page.fill("input[name=username]", "chair")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r".*/chair$"))
        page.click("#open-button")
        page.wait_for_selector("#live-cast")
        page.evaluate("window.__not_reloaded = true")
        page.wait_for_timeout(500)  # the socket connects
        item = client.get(f"/api/v1/ballots/{ballot}", headers=auth).json["items"][0]["id"]
        for member in hall.members[:12]:
            client.post(f"/api/v1/ballots/{ballot}/votes", headers=member.headers,
                        json={"choices": {str(item): "yes"}, "nonce": nonce()})
        page.wait_for_function("document.getElementById('live-cast').textContent === '12'", timeout=10000)
        assert page.evaluate("window.__not_reloaded") is True
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(SHOTS) / "chair_open.png"))
        page.once("dialog", lambda dialog: dialog.accept())
        page.click("#close-form button")
        page.wait_for_selector(".hall-outcome")
        if SHOTS:
            page.screenshot(path=str(Path(SHOTS) / "chair_closed.png"), full_page=True)
        assert errors == []
