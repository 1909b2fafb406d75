"""The hall screen page, its token, its QR image, and the local /vendor files it loads."""
import time

from voting.domain import checkin as codes


def make_screen(app, client, auth, make_roster, n=3):
    from voting.actions.checkin import screen_token_for

    roster = make_roster(n)
    client.post(f"/api/v1/meetings/{roster.meeting_id}/checkin/open", headers=auth)
    with app.app_context():
        token = screen_token_for(app.extensions["voting.db"], roster.meeting_id, renew=True)
    return roster, token


def test_screen_shows_title_counts_and_quorum(app, client, auth, make_roster):
    roster, token = make_screen(app, client, auth, make_roster)
    client.put(f"/api/v1/meetings/{roster.meeting_id}/attendance/{roster.reps[0].id}", json={"status": "present"}, headers=auth)
    page = client.get(f"/screen/{roster.meeting_id}?token={token}").get_data(as_text=True)
    assert "某县第十八届人民代表大会第一次会议" in page
    for word in ("应到", "实到", "请假", "缺席", "不足法定人数", "扫码签到"):
        assert word in page
    assert 'id="count-present">1<' in page and 'id="count-expected">3<' in page
    assert "/vendor/socket.io-client/dist/socket.io.min.js" in page


def test_screen_needs_its_current_token(app, client, auth, make_roster):
    roster, token = make_screen(app, client, auth, make_roster)
    assert client.get(f"/screen/{roster.meeting_id}").status_code == 403
    assert client.get(f"/screen/{roster.meeting_id}?token=wrong").status_code == 403
    other, _ = make_screen(app, client, auth, make_roster, n=1)
    assert client.get(f"/screen/{other.meeting_id}?token={token}").status_code == 403


def test_qr_image_only_for_a_current_code(app, client, auth, make_roster):
    from voting.actions.checkin import checkin_secret

    roster, token = make_screen(app, client, auth, make_roster)
    mid = roster.meeting_id
    code = client.get(f"/api/v1/meetings/{mid}/checkin-code", headers={"X-Screen-Token": token}).json["code"]
    svg = client.get(f"/screen/{mid}/checkin-qr.svg?token={token}&code={code}")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml" and b"<svg" in svg.data
    with app.app_context():
        old = codes.issue(checkin_secret(), mid, time.time() - 120).code
    assert client.get(f"/screen/{mid}/checkin-qr.svg?token={token}&code={old}").status_code == 404
    assert client.get(f"/screen/{mid}/checkin-qr.svg?token=bad&code={code}").status_code == 403


def test_vendor_serves_only_listed_files(client):
    js = client.get("/vendor/socket.io-client/dist/socket.io.min.js")
    assert js.status_code == 200 and b"Socket" in js.data
    assert client.get("/vendor/jsqr/dist/jsQR.js").status_code == 200
    assert client.get("/vendor/socket.io-client/package.json").status_code == 404
    assert client.get("/vendor/../package.json").status_code == 404
    assert client.get("/vendor/left-pad/index.js").status_code == 404
