"""Driving the console like a browser: read the CSRF token from the page, then post the form."""
from __future__ import annotations

import re
from urllib.parse import quote

PASSWORD = "correct horse battery"
_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_from(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = _TOKEN.search(html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


def submit(client, page_url: str, data: dict | None = None, action: str | None = None, **kwargs):
    """Open `page_url`, then post `data` (plus its CSRF token) to `action` (default: the same URL)."""
    page = client.get(page_url)
    assert page.status_code == 200, (page_url, page.status_code)
    payload = {"csrf_token": csrf_from(page.get_data(as_text=True)), **(data or {})}
    return client.post(action or page_url, data=payload, **kwargs)


def login(client, username: str = "clerk", password: str = PASSWORD, next_url: str | None = None):
    """Log in through the form; returns the response to the POST."""
    url = "/admin/login" + (f"?next={quote(next_url, safe='')}" if next_url else "")
    return submit(client, url, {"username": username, "password": password})


def text_of(response) -> str:
    """The page's HTML as text."""
    return response.get_data(as_text=True)
