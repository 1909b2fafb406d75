"""Printing cards from the console; the sheet job in a real RQ worker: progress, the PDF in the instance folder, codes reissued."""
from __future__ import annotations

import subprocess

import pytest

from .pages import submit, text_of


@pytest.fixture
def captured_codes(monkeypatch):
    """The login codes the job makes (only their hashes are stored, so this is the one way to see them)."""
    import voting.actions.cards as cards
    from voting.actions.login_codes import new_login_code

    made = []

    def recording():
        code = new_login_code()
        made.append(code)
        return code

    monkeypatch.setattr(cards, "new_login_code", recording)
    return made


def run_worker(app_config):
    from voting import create_app
    from voting.jobs import make_worker

    worker_app = create_app(app_config, role="worker")
    assert make_worker(worker_app, simple=True).work(burst=True)
    worker_app.extensions["voting.db"].dispose()


def test_whole_roster_sheet_from_the_console(app, app_config, client, console, make_roster, captured_codes):
    roster = make_roster(23)
    old = roster.reps[0]
    phone = app.test_client()
    phone.get(f"/r/{old.login_code}")
    assert old.name in text_of(phone.get("/booth/"))

    new_page = text_of(console.get(f"/admin/bodies/{roster.body_id}/cards"))
    assert "打印代表证会生成新的登录码" in new_page and "全部在任代表（23 人）" in new_page
    assert "手机无法访问" in new_page  # the test client's host is localhost: warned
    unconfirmed = submit(console, f"/admin/bodies/{roster.body_id}/cards", {"group": ""}, follow_redirects=True)
    assert "请勾选确认" in text_of(unconfirmed)
    started = submit(console, f"/admin/bodies/{roster.body_id}/cards", {"group": "", "confirm": "yes"})
    status_url = started.headers["Location"]
    waiting = text_of(console.get(status_url))
    assert 'http-equiv="refresh"' in waiting and "等待后台任务开始" in waiting
    # Nothing changed before the job ran: the old card still works.
    assert old.name in text_of(phone.get("/booth/"))

    run_worker(app_config)

    ready = text_of(console.get(status_url))
    assert "代表证已制作完成" in ready and "共 23 张" in ready
    download = console.get(status_url + "/download")
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert download.headers["Cache-Control"] == "no-store"
    text = subprocess.run(["pdftotext", "-", "-"], input=download.data, capture_output=True, check=True).stdout.decode()
    assert all(rep.name in text for rep in roster.reps)

    # Old cards and their phones are revoked; the codes on the new sheet log in.
    assert "这台手机尚未登录" in text_of(phone.get("/booth/"))
    assert app.test_client().get(f"/r/{old.login_code}").status_code == 404
    assert len(captured_codes) == 23
    fresh = app.test_client()
    assert fresh.get(f"/r/{captured_codes[0]}").status_code == 302
    assert "代表证号" in text_of(fresh.get("/booth/"))

    # The file holds secrets: private to this user, and the clerk can delete it.
    files = list((app_config["instance_path"] / "card_sheets").glob("*.pdf"))
    assert len(files) == 1 and oct(files[0].stat().st_mode & 0o777) == "0o600"
    submit(console, status_url, action=status_url + "/delete")
    assert not files[0].exists()
    assert "已不在服务器上" in text_of(console.get(status_url))


def test_one_delegation_only(app, app_config, console, make_roster, captured_codes):
    roster = make_roster(6)
    with app.app_context(), app.extensions["voting.db"].session() as s:
        from voting.storage.models import Body

        first_group = s.get(Body, roster.body_id).groups[0].id
    submit(console, f"/admin/bodies/{roster.body_id}/cards", {"group": str(first_group), "confirm": "yes"})
    run_worker(app_config)
    assert len(captured_codes) == 3  # every other representative is in the first delegation
    # The second delegation's cards are untouched.
    assert app.test_client().get(f"/r/{roster.reps[1].login_code}").status_code == 302
    assert app.test_client().get(f"/r/{roster.reps[0].login_code}").status_code == 404


def test_single_card_on_demand(app, console, make_roster, captured_codes):
    roster = make_roster(2)
    rep = roster.reps[1]
    url = f"/admin/bodies/{roster.body_id}/roster/{rep.id}/card"
    assert "现有代表证将失效" in text_of(console.get(url))
    response = submit(console, url)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=response.data, capture_output=True, check=True).stdout.decode()
    assert rep.name in text and roster.reps[0].name not in text
    assert app.test_client().get(f"/r/{rep.login_code}").status_code == 404
    assert app.test_client().get(f"/r/{captured_codes[0]}").status_code == 302


def test_a_sheet_of_another_body_is_not_shown(app, app_config, console, make_roster):
    first, second = make_roster(1), make_roster(1, name="另一个人大")
    started = submit(console, f"/admin/bodies/{first.body_id}/cards", {"group": "", "confirm": "yes"})
    sheet_id = started.headers["Location"].rsplit("/", 1)[1]
    assert console.get(f"/admin/bodies/{second.body_id}/cards/{sheet_id}").status_code == 404
    run_worker(app_config)
    assert console.get(f"/admin/bodies/{second.body_id}/cards/{sheet_id}/download").status_code == 404
    assert console.get(f"/admin/bodies/{first.body_id}/cards/{sheet_id}/download").status_code == 200
