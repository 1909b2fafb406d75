"""The public project pages in real Chromium, at a phone's size and a desktop's: nothing runs, nothing
overflows sideways, the bars and the chart are drawn. With VOTING_SHOTS=<folder> the pages are also
saved as PNGs there for a person to look at."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.browser import ARGS, CHROMIUM, WECHAT_UA
from tests.web.public.year_builder import YEAR, build_year
from voting.actions.projects.years import create_year, set_collecting

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SIZES = {"phone": (390, 844), "desktop": (1366, 900)}


@pytest.fixture
def app_config(app_config):
    return {**app_config, "CERTIFY_RETRY_INTERVALS": [0]}


def test_the_public_pages_fit_a_phone_and_a_desktop(app, db, live_server):
    from playwright.sync_api import sync_playwright

    built = build_year(app)
    with app.app_context(), db.transaction() as s:
        next_year = create_year(s, YEAR + 1, "云州市2027年民生实事项目").id
        set_collecting(s, next_year, True)
    pages = {
        "year": f"/public/{YEAR}",
        "project": f"/public/{YEAR}/projects/{built.project_ids[0]}",
        "delayed": f"/public/{YEAR}/projects/{built.project_ids[4]}",
        "summary": f"/public/{YEAR}/summary",
        "proposals": f"/public/{YEAR}/proposals",
        "propose": "/public/propose",
    }
    shots = os.environ.get("VOTING_SHOTS")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for size, (width, height) in SIZES.items():
                phone = size == "phone"
                context = browser.new_context(
                    viewport={"width": width, "height": height}, locale="zh-CN", is_mobile=phone, has_touch=phone,
                    user_agent=WECHAT_UA if phone else None,
                )
                page = context.new_page()
                for name, path in pages.items():
                    response = page.goto(live_server + path)
                    assert response.status == 200, (name, response.status)
                    assert page.locator("script").count() == 0  # the pages need no JavaScript
                    scroll = page.evaluate("() => document.documentElement.scrollWidth")
                    assert scroll <= width, (size, name, scroll)  # nothing sticks out sideways
                    if shots:
                        Path(shots).mkdir(parents=True, exist_ok=True)
                        page.screenshot(path=str(Path(shots) / f"{name}-{size}.png"), full_page=True)
                page.goto(live_server + pages["year"])
                assert page.locator(".project").count() == 10
                assert page.locator(".bar-fill").count() == 20  # progress and money for each project
                assert "第 1 名" in page.inner_text("main")
                page.goto(live_server + pages["summary"])
                assert page.locator("svg.donut circle").count() >= 3
                context.close()
        finally:
            browser.close()



def test_the_console_pages_of_a_year_render_for_the_clerk(app, db, live_server, make_user):
    from playwright.sync_api import sync_playwright

    from tests.web.admin.pages import PASSWORD

    built = build_year(app, evaluate=False)
    make_user("clerk", "clerk", PASSWORD)
    with db.session() as s:
        from voting.storage.projects import Proposal

        proposal_id = s.scalars(select(Proposal).where(Proposal.status == "not_taken")).first().id
    pages = {
        "console-years": "/admin/projects",
        "console-year": f"/admin/projects/{built.year_id}",
        "console-proposals": f"/admin/projects/{built.year_id}/proposals",
        "console-proposal": f"/admin/proposals/{proposal_id}",
        "console-candidates": f"/admin/projects/{built.year_id}/candidates",
        "console-project": f"/admin/projects/project/{built.project_ids[4]}",
    }
    shots = os.environ.get("VOTING_SHOTS")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
            page.goto(live_server + "/admin/login")
            page.fill("#username", "clerk")
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            for name, path in pages.items():
                response = page.goto(live_server + path)
                assert response.status == 200, (name, response.status)
                assert "民生实事项目" in page.inner_text("nav.mainnav")
                if shots:
                    page.screenshot(path=str(Path(shots) / f"{name}.png"), full_page=True)
            page.goto(live_server + pages["console-year"])
            assert "满意度测评" in page.inner_text("main") and page.locator("select#meeting_id").count() >= 1
        finally:
            browser.close()
