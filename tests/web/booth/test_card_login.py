"""Phone log-in with the card's code, the API token for it, and reissuing a card."""
import re

import pytest


def test_card_link_logs_the_phone_in_with_a_long_lived_lax_cookie(client, make_roster):
    roster = make_roster(3)
    rep = roster.reps[1]
    response = client.get(f"/r/{rep.login_code}")
    assert response.status_code == 302 and response.headers["Location"].endswith("/booth/")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Expires=" in cookie
    home = client.get("/booth/")
    page = home.get_data(as_text=True)
    assert rep.name in page and "某县第十八届人民代表大会" in page
    assert "第一次会议" in page  # the current meeting
    assert "未签到" in page


def test_unknown_card_code_gets_a_chinese_page(client, make_roster):
    make_roster(1)
    response = client.get("/r/not-a-real-code")
    assert response.status_code == 404
    assert "无效" in response.get_data(as_text=True)
    assert "这台手机尚未登录" in client.get("/booth/").get_data(as_text=True)


def test_api_login_with_card_code(client, make_roster):
    rep = make_roster(2).reps[0]
    response = client.post("/api/v1/auth/representative", json={"login_code": rep.login_code})
    assert response.status_code == 200
    assert response.json["representative"] == {"id": rep.id, "name": rep.name}
    assert response.json["token"]
    bad = client.post("/api/v1/auth/representative", json={"login_code": "x" * 32})
    assert bad.status_code == 401 and bad.json["error"]["code"] == "invalid_login_code"


def test_reissue_revokes_old_code_sessions_and_tokens(app, client, auth, make_roster):
    roster = make_roster(2)
    rep = roster.reps[0]
    phone = app.test_client()
    phone.get(f"/r/{rep.login_code}")
    assert rep.name in phone.get("/booth/").get_data(as_text=True)
    token = client.post("/api/v1/auth/representative", json={"login_code": rep.login_code}).json["token"]
    rep_auth = {"Authorization": f"Bearer {token}"}
    client.post(f"/api/v1/meetings/{roster.meeting_id}/checkin/open", headers=auth)
    assert client.post(
        f"/api/v1/meetings/{roster.meeting_id}/leave-requests", json={"reason": "出差"}, headers=rep_auth
    ).status_code == 201

    response = client.post(f"/api/v1/representatives/{rep.id}/login-code", headers=auth)
    assert response.status_code == 201
    new_code = response.json["login_code"]
    assert new_code != rep.login_code and response.json["login_url"].endswith(f"/r/{new_code}")

    # The phone's session is gone: it is asked to scan its card again.
    assert "这台手机尚未登录" in phone.get("/booth/").get_data(as_text=True)
    # The token is refused.
    again = client.post(f"/api/v1/meetings/{roster.meeting_id}/leave-requests", json={"reason": "x"}, headers=rep_auth)
    assert again.status_code == 401
    # The old code no longer logs in; the new one does.
    assert client.post("/api/v1/auth/representative", json={"login_code": rep.login_code}).status_code == 401
    assert app.test_client().get(f"/r/{rep.login_code}").status_code == 404
    fresh = app.test_client()
    assert fresh.get(f"/r/{new_code}").status_code == 302
    assert rep.name in fresh.get("/booth/").get_data(as_text=True)
    # The other representative is untouched.
    other = roster.reps[1]
    assert client.post("/api/v1/auth/representative", json={"login_code": other.login_code}).status_code == 200


@pytest.mark.parametrize("role, status", [(None, 401), ("chair", 403)])
def test_only_clerks_reissue_cards(client, make_user, make_roster, role, status):
    rep = make_roster(1).reps[0]
    headers = {}
    if role:
        make_user("chair1", role, "correct horse battery")
        token = client.post("/api/v1/auth/token", json={"username": "chair1", "password": "correct horse battery"}).json["token"]
        headers = {"Authorization": f"Bearer {token}"}
    assert client.post(f"/api/v1/representatives/{rep.id}/login-code", headers=headers).status_code == status


def test_guessing_card_codes_is_rate_limited_but_a_hall_behind_one_address_logs_in(app, make_roster):
    roster = make_roster(30)
    # Thirty phones behind the hall's one Wi-Fi address: successful log-ins are not counted.
    for rep in roster.reps:
        assert app.test_client().get(f"/r/{rep.login_code}").status_code == 302
    guesser = app.test_client()
    statuses = [guesser.get(f"/r/guess{i:06d}").status_code for i in range(22)]
    assert statuses[:20] == [404] * 20 and statuses[20:] == [429, 429]
    api_guesses = [
        guesser.post("/api/v1/auth/representative", json={"login_code": f"guess{i}"}).status_code for i in range(22)
    ]
    assert api_guesses[:20] == [401] * 20 and api_guesses[20:] == [429, 429]


def test_logout_forgets_only_the_phone(client, make_roster):
    rep = make_roster(1).reps[0]
    client.get(f"/r/{rep.login_code}")
    page = client.get("/booth/").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post("/booth/logout", data={"csrf_token": csrf})
    assert "这台手机尚未登录" in client.get("/booth/").get_data(as_text=True)
