"""The public proposal form's defences, one by one: the sum, its timing and single use, the hidden
field, the closed call; what the public page shows of a proposer; the phone's form."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from tests.hall import make_hall
from tests.web.admin.pages import submit
from tests.web.public.forms import GOOD, propose, read_form, text
from voting.actions.projects.years import create_year, set_collecting
from voting.storage.projects import Proposal


@pytest.fixture
def app_config(app_config):
    """No pause needed before sending (the timing has its own test below)."""
    return {**app_config, "PROPOSAL_CHALLENGE_MIN_AGE_S": 0}


@pytest.fixture
def open_year(app, db):
    with app.app_context(), db.transaction() as s:
        year_id = create_year(s, 2026, "测试县2026年民生实事项目").id
        set_collecting(s, year_id, True)
    return year_id


def stored(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Proposal))


def test_one_solved_form_sends_one_proposal(client, db, open_year):
    page = text(client.get("/public/propose", environ_base={"REMOTE_ADDR": "10.1.0.1"}))
    hidden = read_form(page)
    first = client.post("/public/propose", data={**hidden, **GOOD}, environ_base={"REMOTE_ADDR": "10.1.0.1"})
    assert first.status_code == 303
    replay = client.post("/public/propose", data={**hidden, **GOOD}, environ_base={"REMOTE_ADDR": "10.1.0.2"})
    assert replay.status_code == 422 and "这份表单已经提交过" in text(replay)
    forged = client.post("/public/propose", data={**hidden, "challenge": hidden["challenge"][:-1] + "0", **GOOD})
    assert forged.status_code == 422
    assert stored(db) == 1


def test_the_hidden_field_catches_a_form_filling_script(client, db, open_year):
    response = propose(client, GOOD, website="http://buy.example")
    assert response.status_code == 422 and "建议未能提交" in text(response) and stored(db) == 0


def test_a_closed_call_shows_a_message_and_accepts_nothing(app, client, db, open_year):
    with app.app_context(), db.transaction() as s:
        set_collecting(s, open_year, False)
    page = client.get("/public/propose")
    assert page.status_code == 200 and "建议征集已结束" in text(page) and 'name="challenge"' not in text(page)
    posted = client.post("/public/propose", data=GOOD)
    assert posted.status_code in (200, 400) and stored(db) == 0


def test_the_public_sees_the_proposal_but_never_the_contact(client, db, open_year):
    sent = propose(client, {**GOOD, "place": "东门\u202e社区\x00", "proposer_contact": "wx:wangxm-1988"})
    page = text(client.get(sent.headers["Location"]))
    assert "东门社区" in page and "\u202e" not in page
    assert "wangxm-1988" not in page and "王小明" not in page and "王**" in page
    assert "感谢您的建议" in page and "尚未答复" in page
    assert re.search(r"#\d+", page)


def test_the_form_and_messages_switch_to_english(client, open_year):
    page = text(client.get("/public/propose?lang=en"))
    assert "Make a proposal" in page and "what is" in page
    empty = propose(client, {name: "" for name in GOOD})
    assert "Please fill in the title." in text(empty)


def test_a_representative_proposes_from_the_phone_only_while_the_call_is_open(app, db, open_year):
    hall = make_hall(app, 2, kind="people_congress")
    phone = app.test_client()
    assert "扫描" in text(phone.get("/booth/projects/propose"))  # not logged in: scan the card first
    assert phone.get(f"/r/{hall.members[1].login_code}").status_code == 302
    assert "民生实事" in text(phone.get("/booth/"))  # the link on the phone's home page
    bad = submit(phone, "/booth/projects/propose", {"title": "", "category": "", "description": ""})
    assert bad.status_code == 422 and "请填写标题。" in text(bad) and "请选择类别。" in text(bad)
    good = submit(phone, "/booth/projects/propose", {"title": "村卫生室改造", "category": "health", "description": "漏雨"})
    assert good.status_code == 303
    with db.session() as s:
        proposal = s.scalars(select(Proposal)).one()
        assert (proposal.source, proposal.proposer_name, proposal.proposer_contact) == ("representative", hall.members[1].name, None)
    with app.app_context(), db.transaction() as s:
        set_collecting(s, open_year, False)
    closed = phone.get("/booth/projects/propose")
    assert closed.status_code == 302
    assert "建议征集已结束" in text(phone.get(closed.headers["Location"]))


class TestTheDefaultPause:
    @pytest.fixture
    def app_config(self, app_config):
        """The production pause: a person reads the form for a few seconds first."""
        return {**app_config, "PROPOSAL_CHALLENGE_MIN_AGE_S": 3}

    def test_a_form_sent_back_at_once_is_refused_as_too_fast(self, client, db, open_year):
        response = propose(client, GOOD)
        assert response.status_code == 422 and "提交得太快了" in text(response)
        assert "东门老旧小区加装电梯" in text(response) and stored(db) == 0  # the text is kept for the second try
