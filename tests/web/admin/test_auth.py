"""Console log-in: good and bad credentials, disabled accounts, sessions, CSRF, rate limit, access control."""
from __future__ import annotations

import pytest
from sqlalchemy import update

from voting.storage.models import User
from .pages import PASSWORD, csrf_from, login, submit, text_of

WRONG = "用户名或密码错误"


def test_login_with_the_right_password_opens_the_console(client, make_user):
    make_user("clerk", "clerk", PASSWORD)
    response = login(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/"
    page = client.get("/admin/bodies")
    assert page.status_code == 200
    assert "clerk" in text_of(page) and "退出" in text_of(page)


def test_a_chair_can_log_in_too(client, make_user):
    make_user("chair", "chair", PASSWORD)
    assert login(client, "chair").status_code == 302
    assert "主持人" in text_of(client.get("/admin/bodies"))


@pytest.mark.parametrize("username,password", [("clerk", "wrong password"), ("nobody", PASSWORD), ("", "")])
def test_wrong_credentials_get_one_clear_message(client, make_user, username, password):
    make_user("clerk", "clerk", PASSWORD)
    response = login(client, username, password)
    assert response.status_code in (401, 422)
    assert client.get("/admin/bodies").status_code == 302  # still logged out
    if username:
        assert response.status_code == 401 and WRONG in text_of(response)


def test_a_disabled_account_cannot_log_in(client, make_user, db):
    user_id = make_user("clerk", "clerk", PASSWORD)
    with db.transaction() as s:
        s.execute(update(User).where(User.id == user_id).values(is_active=False))
    response = login(client)
    assert response.status_code == 401 and WRONG in text_of(response)
    assert client.get("/admin/bodies").status_code == 302


def test_disabling_an_account_ends_its_open_sessions(console, db):
    assert console.get("/admin/bodies").status_code == 200
    with db.transaction() as s:
        s.execute(update(User).values(is_active=False))
    response = console.get("/admin/bodies")
    assert response.status_code == 302 and response.headers["Location"].startswith("/admin/login")


def test_login_starts_a_new_session_and_logout_ends_it_on_the_server(client, make_user):
    make_user("clerk", "clerk", PASSWORD)
    client.get("/admin/login")
    before = client.get_cookie("session").value
    login(client)
    during = client.get_cookie("session").value
    assert during != before

    submit(client, "/admin/bodies", action="/admin/logout")
    assert client.get("/admin/bodies").status_code == 302
    # Replaying the cookie of the logged-in session does not bring it back.
    client.set_cookie("session", during)
    assert client.get("/admin/bodies").status_code == 302


def test_login_returns_to_the_page_asked_for_but_never_to_another_site(client, make_user):
    make_user("clerk", "clerk", PASSWORD)
    first = client.get("/admin/meetings")
    assert first.status_code == 302 and "next=/admin/meetings" in first.headers["Location"]
    assert login(client, next_url="/admin/meetings").headers["Location"] == "/admin/meetings"
    submit(client, "/admin/bodies", action="/admin/logout")
    for evil in ("https://evil.example/", "//evil.example/admin", "/\\evil.example"):
        assert login(client, next_url=evil).headers["Location"] == "/admin/"
        submit(client, "/admin/bodies", action="/admin/logout")


def test_logout_says_so_in_chinese(console):
    response = submit(console, "/admin/bodies", action="/admin/logout", follow_redirects=True)
    assert "您已退出登录" in text_of(response)


def test_guessing_passwords_is_slowed_down(client, make_user):
    make_user("clerk", "clerk", PASSWORD)
    statuses = [login(client, "clerk", f"guess {i}").status_code for i in range(11)]
    assert statuses[:10] == [401] * 10
    assert statuses[10] == 429
    assert "请求过于频繁" in text_of(login(client))  # even the right password must wait


CONSOLE_PAGES = [
    ("GET", "/admin/"),
    ("GET", "/admin/bodies"),
    ("GET", "/admin/bodies/new"),
    ("POST", "/admin/bodies/new"),
    ("GET", "/admin/bodies/1"),
    ("GET", "/admin/bodies/1/groups"),
    ("POST", "/admin/bodies/1/groups"),
    ("GET", "/admin/bodies/1/roster"),
    ("GET", "/admin/bodies/1/roster?q=张"),
    ("GET", "/admin/bodies/1/roster/1"),
    ("POST", "/admin/bodies/1/roster/1"),
    ("GET", "/admin/bodies/1/roster/import"),
    ("POST", "/admin/bodies/1/roster/import"),
    ("GET", "/admin/bodies/1/roster/import/AAAAAAAAAAAAAAAAAAAAAA"),
    ("POST", "/admin/bodies/1/roster/import/AAAAAAAAAAAAAAAAAAAAAA"),
    ("POST", "/admin/bodies/1/roster/import/AAAAAAAAAAAAAAAAAAAAAA/cancel"),
    ("GET", "/admin/meetings"),
    ("GET", "/admin/bodies/1/meetings"),
    ("GET", "/admin/bodies/1/meetings/new"),
    ("POST", "/admin/bodies/1/meetings/new"),
    ("GET", "/admin/meetings/1"),
]


@pytest.mark.parametrize("method,url", CONSOLE_PAGES)
def test_every_console_page_refuses_anonymous_users(app, client, make_body, method, url):
    """Anonymous requests are sent to log in (with a valid CSRF token, so only the login check can refuse)."""
    make_body()
    token = csrf_from(text_of(client.get("/admin/login")))
    response = client.open(url, method=method, data={"csrf_token": token} if method == "POST" else None)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login")


def test_every_console_route_refuses_anonymous_users_even_ones_added_later(app, client, make_body):
    """Walk the URL map, so a page added by a later feature is checked without editing this file."""
    make_body()
    token = csrf_from(text_of(client.get("/admin/login")))
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] != "admin" or rule.endpoint == "admin.login":
            continue
        url = rule.rule
        for arg in rule.arguments:
            url = url.replace(f"<int:{arg}>", "1").replace(f"<{arg}>", "AAAAAAAAAAAAAAAAAAAAAA")
        for method in sorted((rule.methods or set()) & {"GET", "POST", "PUT", "PATCH", "DELETE"}):
            response = client.open(url, method=method, data={"csrf_token": token} if method != "GET" else None)
            refused = response.status_code == 302 and response.headers["Location"].startswith("/admin/login")
            assert refused, (method, url, response.status_code)
            checked += 1
    assert checked >= len(CONSOLE_PAGES)


def test_a_form_without_its_csrf_token_is_refused_in_chinese(app, console):
    assert app.config.get("WTF_CSRF_ENABLED", True) is True
    response = console.post("/admin/bodies/new", data={"name": "某市人大", "kind": "people_congress"})
    assert response.status_code == 400
    assert "表单已过期" in text_of(response)
    assert "某市人大" not in text_of(console.get("/admin/bodies"))


def test_the_login_form_needs_its_csrf_token_too(client, make_user):
    make_user("clerk", "clerk", PASSWORD)
    response = client.post("/admin/login", data={"username": "clerk", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/admin/bodies").status_code == 302
