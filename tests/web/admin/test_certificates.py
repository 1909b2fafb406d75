"""The clerk's certificates page: a failed certification shows its reason and can be retried."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import update

from tests.closed_ballots import close_ballot_of, run_worker
from voting.jobs.certify import find_job
from voting.storage.ballots import Ballot

from .pages import PASSWORD, submit, text_of


@pytest.fixture
def app_config(app_config):
    """Retries without waiting, so one burst worker runs every attempt."""
    return {**app_config, "CERTIFY_RETRY_INTERVALS": [0]}


@pytest.fixture
def api_auth(client, console):
    """Bearer headers for the console's clerk, to drive a vote through the API."""
    token = client.post("/api/v1/auth/token", json={"username": "clerk", "password": PASSWORD}).json["token"]
    return {"Authorization": f"Bearer {token}"}


def test_a_failed_certification_shows_its_reason_and_the_retry_button_works(app, client, console, api_auth, db):
    closed = close_ballot_of(app, client, api_auth, "motion")
    with db.session() as s:
        original = s.get(Ballot, closed.ballot_id).result_json
    forged = json.loads(original)
    forged["items"][0]["counts"]["no"] = 4
    with db.transaction() as s:
        s.execute(update(Ballot).where(Ballot.id == closed.ballot_id).values(result_json=json.dumps(forged)))
    run_worker(app)
    page = text_of(client.get("/admin/certificates"))
    assert "失败" in page and "重新计票结果与表决结束时宣布的结果不一致。" in page
    assert "items[0].counts.no: 4 ≠ 5" in page
    assert "已放弃" in page  # RQ used up the retries
    assert "重试" in page

    with db.transaction() as s:
        s.execute(update(Ballot).where(Ballot.id == closed.ballot_id).values(result_json=original))
    retried = submit(client, "/admin/certificates", action=f"/admin/certificates/{closed.ballot_id}/retry")
    assert retried.status_code == 302
    assert "已重新排队认证" in text_of(client.get("/admin/certificates"))
    assert find_job(app, closed.ballot_id).get_status() == "queued"
    run_worker(app)
    page = text_of(client.get("/admin/certificates"))
    assert "所有已结束的表决均已认证。" in page and "/verify/1" in page


def test_a_close_whose_job_was_lost_can_be_queued_from_the_console(app, client, console, api_auth):
    closed = close_ballot_of(app, client, api_auth, "motion")
    find_job(app, closed.ballot_id).delete()  # e.g. Redis restarted without persistence
    page = text_of(client.get("/admin/certificates"))
    assert "等待中" in page and "未排队" in page and "重试" in page
    submit(client, "/admin/certificates", action=f"/admin/certificates/{closed.ballot_id}/retry")
    run_worker(app)
    assert "所有已结束的表决均已认证。" in text_of(client.get("/admin/certificates"))


def test_the_page_needs_a_login(client):
    assert client.get("/admin/certificates").status_code == 302
    assert client.post("/admin/certificates/1/retry").status_code in (302, 400)
