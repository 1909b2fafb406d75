"""The console's ballot page in real Chromium against a real server: 已表决 x / 实到 y moves as
phones vote, the countdown runs, and the page shows the result by itself when the ballot closes."""
from __future__ import annotations

from tests.browser import chromium
from tests.hall import make_hall, nonce

from .pages import PASSWORD


def test_live_progress_then_result(app, client, auth, make_user, live_server):
    make_user("clerk2", "clerk", PASSWORD)
    hall = make_hall(app, 5, present=4)
    ballot = client.post(f"/api/v1/meetings/{hall.meeting_id}/ballots", headers=auth,
                         json={"kind": "motion", "title": "关于某某事项的决定", "items": [{"title": "甲"}],
                               "rules": {"duration_s": 300}}).json
    item = ballot["items"][0]["id"]
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{live_server}/admin/login?next=/admin/ballots/{ballot['id']}")
        page.fill("input[name=username]", "clerk2")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.click("button:has-text('开始表决')")
        page.wait_for_selector("#live-cast")
        assert page.inner_text("#live-cast") == "0" and page.inner_text("#live-present") == "4"
        page.wait_for_function("window.io && true")
        for member in hall.present[:3]:
            response = client.post(f"/api/v1/ballots/{ballot['id']}/votes", headers=member.headers,
                                   json={"choices": {str(item): "yes"}, "nonce": nonce()})
            assert response.status_code == 201
        page.wait_for_function("document.getElementById('live-cast').textContent === '3'", timeout=10000)
        assert page.inner_text("#live-missing") == "1"
        assert page.inner_text("#live-clock").startswith(("4:", "5:"))
        client.post(f"/api/v1/ballots/{ballot['id']}/close", headers=auth)
        page.wait_for_selector(".hall-outcome", timeout=10000)  # reloaded by itself on ballot.closed
        assert "通过" in page.inner_text(".hall-outcome") and "未通过" not in page.inner_text(".hall-outcome")
        assert errors == []
