"""The hall screen through a whole meeting, in real Chromium at 1920×1080 against a real server:
check-in, a motion (open, votes, close, certification), a selection and a satisfaction test,
the chair's "show on screen", both themes; stale and out-of-order events; reconnecting.

Set VOTING_SCREENSHOTS=<folder> (e.g. /tmp/shots/screen) to keep a screenshot of every state.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser import chromium
from tests.closed_ballots import run_worker
from tests.hall import make_hall, nonce
from tests.web.screen.test_checkin_live import DECODE_IMAGE

SHOTS = os.environ.get("VOTING_SCREENSHOTS")


def shot(page, name):
    """Keep a screenshot of the page when VOTING_SCREENSHOTS is set."""
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / name), full_page=False)


def screen_token(app, meeting_id):
    from voting.actions.checkin import screen_token_for

    with app.app_context():
        return screen_token_for(app.extensions["voting.db"], meeting_id, renew=True)


def open_screen(browser, live_server, meeting_id, token, theme=None):
    """The hall screen in a 1920×1080 window; page errors collected in `page.errors`."""
    page = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN").new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    query = f"?token={token}" + (f"&theme={theme}" if theme else "")
    page.goto(f"{live_server}/screen/{meeting_id}{query}")
    page.wait_for_function("window.VotingScreen && window.VotingScreen.socket.connected", timeout=10000)
    return page


def wait_state(page, state, timeout=10000):
    """Wait until the screen shows `state` (idle, open, closed, certified); say what it shows otherwise."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(f"document.body.dataset.state === {state!r}", timeout=timeout)
    except PlaywrightTimeout:
        shows = page.evaluate("[document.body.dataset.state, JSON.stringify(window.VotingScreenBallot.state())]")
        raise AssertionError(f"the screen shows {shows}, not {state}; page errors: {page.errors}") from None


def ballot_text(page) -> str:
    """The ballot panel's text on one line, spaces squeezed."""
    return " ".join(page.inner_text("#ballot").split())


def vote(client, ballot, members, plans):
    """Each member votes their plan: a list of choices, one per item, through the API."""
    item_ids = [item["id"] for item in ballot["items"]]
    for member, plan in zip(members, plans):
        sent = client.post(f"/api/v1/ballots/{ballot['id']}/votes", headers=member.headers,
                           json={"choices": {str(i): c for i, c in zip(item_ids, plan) if c}, "nonce": nonce()})
        assert sent.status_code == 201, sent.json


def create(client, auth, meeting_id, kind, title, items, rules=None):
    response = client.post(f"/api/v1/meetings/{meeting_id}/ballots", headers=auth,
                           json={"kind": kind, "title": title, "items": [{"title": t} for t in items],
                                 "rules": rules or {}})
    assert response.status_code == 201, response.json
    return response.json


@pytest.mark.browser
@pytest.mark.slow
def test_the_screen_follows_a_meeting_run_through_the_api(app, db, client, auth, live_server):
    hall = make_hall(app, 35, present=0)
    mid = hall.meeting_id
    assert client.post(f"/api/v1/meetings/{mid}/checkin/open", headers=auth).status_code == 200
    token = screen_token(app, mid)

    with chromium() as browser:
        screen = open_screen(browser, live_server, mid, token)
        # Idle: the attendance board and the rotating check-in code.
        wait_state(screen, "idle")
        screen.wait_for_function("document.getElementById('checkin-qr').naturalWidth > 0", timeout=10000)
        code = client.get(f"/api/v1/meetings/{mid}/checkin-code", headers={"X-Screen-Token": token}).json["code"]
        for member in hall.members[:28]:
            r = client.post(f"/api/v1/meetings/{mid}/checkin", json={"code": code}, headers=member.headers)
            assert r.status_code == 200, r.json
        for member in hall.members[28:34]:
            client.put(f"/api/v1/meetings/{mid}/attendance/{member.id}", json={"status": "on_leave", "reason": "出差"},
                       headers=auth)
        screen.wait_for_function("document.getElementById('count-on-leave').textContent === '6'", timeout=10000)
        assert [screen.inner_text(f"#count-{n}") for n in ("expected", "present", "on-leave", "absent")] == \
            ["35", "28", "6", "1"]
        assert "符合法定人数" in screen.inner_text("#quorum")
        shot(screen, "1_idle_checkin.png")

        # A draft on the agenda changes nothing; opening it takes over the screen.
        motion = create(client, auth, mid, "motion", "关于批准2025年市级预算调整方案的决议（草案）", ["决议草案"],
                        {"duration_s": 120})
        screen.wait_for_timeout(300)
        assert screen.evaluate("document.body.dataset.state") == "idle"
        assert client.post(f"/api/v1/ballots/{motion['id']}/open", headers=auth).status_code == 200
        wait_state(screen, "open")
        text = ballot_text(screen)
        for words in ("第1项 · 表决", "关于批准2025年市级预算调整方案的决议（草案）", "表决方式：无记名按表决器(手机)",
                      "通过所需：赞成 ≥ 18（全体组成人员35人的过半数）", "剩余时间", "已表决 0 / 实到 28",
                      "应到35", "请假6", "缺席1"):
            assert words in text, (words, text)
        assert screen.inner_text("#b-clock") in ("2:00", "1:59", "1:58")
        shot(screen, "2_open_start.png")

        plans = [["yes"]] * 17 + [["no"]] * 5 + [["abstain"]] * 4
        vote(client, motion, hall.members[:26], plans)
        screen.wait_for_function("document.querySelector('[data-count=cast]').textContent === '26'", timeout=10000)
        assert "已表决 26 / 实到 28" in ballot_text(screen)
        # Counts never went down on the way (coalesced progress: fewer draws than votes).
        drawn = screen.evaluate("window.VotingScreenBallot.shownCounts.slice()")
        assert drawn == sorted(drawn) and drawn[-1] == 26 and len(drawn) < 26
        # The choices stay hidden while voting (live_results is off).
        assert screen.query_selector("[data-count=yes]") is None
        shot(screen, "3_open_progress.png")

        assert client.post(f"/api/v1/ballots/{motion['id']}/close", headers=auth).status_code == 200
        wait_state(screen, "closed")
        text = ballot_text(screen)
        for words in ("第1项 · 表决 · 结果", "应到35 实到28 请假6 缺席1", "赞成 17 反对 5 弃权 4 未按 2",
                      "表决结果：未通过", "通过所需：赞成 ≥ 18（全体组成人员35人的过半数）"):
            assert words in text, (words, text)
        shot(screen, "4_closed_motion.png")

        # Certification (the worker publishes ballot.certified through the message queue).
        assert run_worker(app)
        wait_state(screen, "certified", timeout=20000)
        status = client.get(f"/api/v1/ballots/{motion['id']}/certificate", headers=auth).json
        from voting.storage.certificates import Certificate

        with db.session() as s:
            certificate = s.get(Certificate, status["id"])
            record_sha256, verify_url = certificate.record_sha256, certificate.verify_url
        assert f"证书编号 {status['id']}" in ballot_text(screen)
        fingerprint = screen.inner_text("[data-field=fingerprint]").replace(" ", "").replace("\n", "")
        assert fingerprint == record_sha256
        screen.wait_for_function("document.querySelector('#b-cert img').naturalWidth > 0", timeout=10000)
        screen.add_script_tag(url=f"{live_server}/vendor/jsqr/dist/jsQR.js")
        decoded = screen.evaluate(DECODE_IMAGE, {"src": screen.get_attribute("#b-cert img", "src"), "size": 600})
        assert decoded == verify_url and f"/verify/{status['id']}" in decoded
        shot(screen, "5_certified.png")

        light = open_screen(browser, live_server, mid, token, theme="light")
        wait_state(light, "certified")
        assert light.evaluate("document.body.classList.contains('theme-light')")
        shot(light, "5b_certified_light.png")
        light.close()

        # A selection: ranked, selected / tied / below the threshold marked.
        selection = create(client, auth, mid, "selection", "2026年民生实事项目票决", ["学校扩容", "老旧小区改造",
                           "社区食堂", "农村公路提升", "城区停车场"], {"seats": 2})
        client.post(f"/api/v1/ballots/{selection['id']}/open", headers=auth)
        wait_state(screen, "open")
        assert "入选所需：赞成 ≥ 18（全体组成人员35人的过半数）· 选出 2 项" in ballot_text(screen)
        plans = ([["yes", "yes", "yes", "no", "no"]] * 19 + [["yes", "no", "no", "yes", "no"]] * 6
                 + [["no", "abstain", "abstain", "yes", "no"]] * 3)
        vote(client, selection, hall.members[:28], plans)
        client.post(f"/api/v1/ballots/{selection['id']}/close", headers=auth)
        wait_state(screen, "closed")
        rows = screen.eval_on_selector_all(
            "#ballot tbody tr", "rows => rows.map(r => [r.className, r.querySelector('.t').textContent])")
        assert rows == [["row-selected", "学校扩容"], ["row-tie", "老旧小区改造"], ["row-tie", "社区食堂"],
                        ["row-not_selected", "农村公路提升"], ["row-not_selected", "城区停车场"]]
        text = ballot_text(screen)
        assert "入选" in text and "票数相同，需再次投票" in text and "末位票数相同" in text
        shot(screen, "6_closed_selection.png")

        # A satisfaction test of three reports: counts, rates and grade per item.
        test = create(client, auth, mid, "satisfaction", "专项工作报告满意度测评",
                      ["县政府关于生态环境保护工作情况的报告", "县法院关于执行工作情况的报告", "县检察院关于公益诉讼工作情况的报告"])
        client.post(f"/api/v1/ballots/{test['id']}/open", headers=auth)
        wait_state(screen, "open")
        plans = ([["satisfied", "satisfied", "dissatisfied"]] * 14 + [["basically_satisfied", "satisfied", "dissatisfied"]] * 6
                 + [["basically_satisfied", "basically_satisfied", "basically_satisfied"]] * 5
                 + [["dissatisfied", "dissatisfied", "satisfied"]] * 3)
        vote(client, test, hall.members[:28], plans)
        client.post(f"/api/v1/ballots/{test['id']}/close", headers=auth)
        wait_state(screen, "closed")
        grades = screen.eval_on_selector_all("#ballot tbody tr .g", "cells => cells.map(c => c.textContent)")
        assert grades == ["基本满意", "满意", "不满意"]
        assert "89.3%" in ballot_text(screen)  # (14 + 11) / 28
        shot(screen, "7_closed_satisfaction.png")

        # The chair: back to the attendance board, then the motion's result again.
        assert client.put(f"/api/v1/meetings/{mid}/screen", json={"mode": "attendance"}, headers=auth).status_code == 200
        wait_state(screen, "idle")
        r = client.put(f"/api/v1/meetings/{mid}/screen", json={"mode": "ballot", "ballot_id": motion["id"]}, headers=auth)
        assert r.status_code == 200, r.json
        wait_state(screen, "certified")
        assert "关于批准2025年市级预算调整方案的决议（草案）" in ballot_text(screen)
        assert screen.errors == []


@pytest.mark.browser
def test_stale_and_out_of_order_events_never_lower_a_count(app, client, auth, live_server):
    hall = make_hall(app, 35, present=30)
    mid = hall.meeting_id
    token = screen_token(app, mid)
    motion = create(client, auth, mid, "motion", "关于某某的决定", ["决定草案"])
    client.post(f"/api/v1/ballots/{motion['id']}/open", headers=auth)
    with chromium() as browser:
        screen = open_screen(browser, live_server, mid, token)
        wait_state(screen, "open")
        state = screen.evaluate("window.VotingScreenBallot.state().ballots[%d]" % motion["id"])
        base = state["version"]

        def feed(event, version, cast, status="open"):
            payload = {**state, "version": base + version, "cast": cast, "status": status}
            screen.evaluate("([e, p]) => window.VotingScreenBallot.handle(e, p)", [event, payload])
            return screen.inner_text("[data-count=cast]") if status == "open" else None

        assert feed("ballot.progress", 10, 20) == "20"
        assert feed("ballot.progress", 9, 15) == "20"     # older: dropped
        assert feed("ballot.progress", 10, 25) == "20"    # a repeat of a version: dropped
        assert feed("ballot.progress", 11, 18) == "20"    # newer but read earlier: the count stays
        assert feed("ballot.extended", 12, 19) == "20"
        assert feed("ballot.progress", 13, 24) == "24"
        # A late "opened" after the close cannot reopen the ballot on the screen.
        feed("ballot.closed", 20, 24, status="closed")
        screen.evaluate("([e, p]) => window.VotingScreenBallot.handle(e, p)",
                        ["ballot.opened", {**state, "version": base + 21, "cast": 24, "status": "open"}])
        assert screen.evaluate("document.body.dataset.state") == "closed"
        drawn = screen.evaluate("window.VotingScreenBallot.shownCounts.slice()")
        assert drawn == sorted(drawn)
        assert screen.errors == []


@pytest.mark.browser
def test_a_screen_that_was_offline_resynchronises_on_reconnect(app, client, auth, live_server):
    hall = make_hall(app, 35, present=28)
    mid = hall.meeting_id
    token = screen_token(app, mid)
    motion = create(client, auth, mid, "motion", "关于某某的决定", ["决定草案"])
    with chromium() as browser:
        screen = open_screen(browser, live_server, mid, token)
        wait_state(screen, "idle")
        screen.evaluate("window.__not_reloaded = true; window.VotingScreen.socket.disconnect()")
        # Everything happens while the screen is offline.
        client.post(f"/api/v1/ballots/{motion['id']}/open", headers=auth)
        vote(client, motion, hall.members[:20], [["yes"]] * 12 + [["no"]] * 8)
        client.post(f"/api/v1/ballots/{motion['id']}/close", headers=auth)
        screen.wait_for_timeout(500)
        assert screen.evaluate("document.body.dataset.state") == "idle"
        screen.evaluate("window.VotingScreen.socket.connect()")
        wait_state(screen, "closed")
        text = ballot_text(screen)
        assert "赞成 12 反对 8 弃权 0 未按 8" in text and "表决结果：未通过" in text
        assert screen.evaluate("window.__not_reloaded") is True
        assert screen.errors == []
