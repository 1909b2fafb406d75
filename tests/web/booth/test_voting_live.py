"""The booth in real Chromium at phone size, in WeChat's user agent, against a real server:
the ballot appears by itself when the clerk opens it, the phone votes, remembers its own
choice, stops at K, and says 表决已结束 when the clerk closes."""
from __future__ import annotations

from tests.browser import chromium, phone_page
from tests.hall import make_hall


def api(client, auth, method, path, **kwargs):
    response = client.open(path, method=method, headers=auth, **kwargs)
    assert response.status_code < 300, response.get_data(as_text=True)
    return response.json


def test_a_phone_follows_the_hall_and_votes(app, client, auth, live_server):
    hall = make_hall(app, 3)
    motion = api(client, auth, "POST", f"/api/v1/meetings/{hall.meeting_id}/ballots",
                 json={"kind": "motion", "title": "关于某某事项的决定", "items": [{"title": "甲"}, {"title": "乙"}]})
    picks = api(client, auth, "POST", f"/api/v1/meetings/{hall.meeting_id}/ballots",
                json={"kind": "selection", "title": "民生实事项目票决", "rules": {"seats": 2, "form": "up_to_k"},
                      "items": [{"title": t} for t in ("一", "二", "三", "四")]})
    with chromium() as browser:
        page = phone_page(browser)
        page.goto(f"{live_server}/r/{hall.members[0].login_code}")
        page.goto(f"{live_server}/booth/vote")
        page.wait_for_selector("text=等待下一项表决")
        page.wait_for_function("window.io && true")

        api(client, auth, "POST", f"/api/v1/ballots/{motion['id']}/open")
        page.wait_for_selector("#ballot-form", timeout=10000)  # appeared without a tap
        first, second = (item["id"] for item in motion["items"])
        page.click(f"label:has(input[name=c{first}][value=yes])")
        page.click("#ballot-form button[type=submit]")
        page.wait_for_selector("text=1 项未作选择")
        page.click(".confirm-form button")
        page.wait_for_selector(".recorded-word")
        stored = page.evaluate("Object.keys(localStorage).map(k => JSON.parse(localStorage.getItem(k)).choices)")
        assert stored == [{str(first): "yes"}]  # the phone's own memory; the server keeps none
        # Changing: the phone shows its own current choice, the server does not.
        page.click("text=修改我的表决")
        page.wait_for_selector(".item-was:not([hidden])")
        assert "您当前的选择： 赞成" in page.inner_text(f"#item-{first}")
        assert page.is_checked(f"input[name=c{first}][value=yes]")

        api(client, auth, "POST", f"/api/v1/ballots/{motion['id']}/close")
        page.wait_for_selector("#vote-ended:not([hidden])", timeout=10000)
        assert "表决已结束" in page.inner_text("#vote-ended")
        assert not page.is_visible("#ballot-form")

        api(client, auth, "POST", f"/api/v1/ballots/{picks['id']}/open")
        page.wait_for_selector("#ballot-form.up-to-k", timeout=10000)
        ids = [item["id"] for item in picks["items"]]
        page.click(f"label#item-{ids[0]}")
        page.click(f"label#item-{ids[1]}")
        assert page.inner_text("#picked-count") == "2"
        assert page.is_disabled(f"input[value='{ids[2]}']") and page.is_visible("#picked-full")
        page.click(f"label#item-{ids[1]}")
        assert not page.is_disabled(f"input[value='{ids[2]}']")
        assert page.errors == []
