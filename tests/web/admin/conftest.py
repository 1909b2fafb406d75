"""Fixtures for the clerk console: a logged-in client and bodies to work on.

CSRF protection stays on in these tests, as in production: every POST first
reads its token from the page that shows the form, as a browser would (see pages.py).
"""
from __future__ import annotations

import pytest

from .pages import PASSWORD, login


@pytest.fixture
def console(client, make_user):
    """A client logged in as a clerk."""
    make_user("clerk", "clerk", PASSWORD)
    response = login(client)
    assert response.status_code == 302
    return client


@pytest.fixture
def make_body(app, db):
    """Create a body directly: make_body("某市人大常委会", groups=[...]) → its id."""
    from voting.actions.bodies import create_body

    def make(name="江北市人民代表大会", kind="people_congress", term=18, groups=("第一代表团", "第二代表团")):
        with app.app_context(), db.transaction() as session:
            return create_body(session, name, kind, term, list(groups)).id

    return make
