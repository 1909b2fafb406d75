"""The certify_ballot job on a real Redis with real RQ workers: one certificate per ballot, whatever happens."""
from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest
import redis as redis_lib
from sqlalchemy import delete, func, select, update

from tests.closed_ballots import close_ballot_of, pdf_text, run_worker
from voting.actions.certificates import certificate_store
from voting.actions.certificates.verify import audit_chain, verify_upload
from voting.jobs import QUEUE_CERTIFY, get_queue
from voting.jobs.certify import certify_ballot, enqueue_certification, find_job, job_id
from voting.storage import archive
from voting.storage.ballots import Ballot, Participation
from voting.storage.certificates import CHAIN_ID, Certificate, CertificateChain, Certification

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def app_config(app_config):
    """Retries without waiting, so one burst worker runs every attempt."""
    return {**app_config, "CERTIFY_RETRY_INTERVALS": [0, 0, 0]}


def certificates(db) -> list[Certificate]:
    with db.session() as s:
        return s.scalars(select(Certificate).order_by(Certificate.id)).all()


def archived_files(app) -> list[Path]:
    folder = certificate_store(app).archive
    return sorted(folder.glob("*.pdf")) if folder.exists() else []


def assert_one_genuine_certificate(app, db, ballot_id: int) -> Certificate:
    """Exactly one stored certificate for the ballot, its PDF archived once, the chain whole, the ballot certified."""
    found = certificates(db)
    assert [c.ballot_id for c in found] == [ballot_id]
    certificate = found[0]
    assert certificate.pdf_sha256 is not None
    assert archived_files(app) == [archive.path_for(certificate_store(app).archive, certificate.pdf_sha256)]
    with db.session() as s:
        assert s.get(Ballot, ballot_id).status == "certified"
        assert s.get(CertificateChain, CHAIN_ID).sequence == 1
        assert audit_chain(s, certificate_store(app)).ok
        pdf = archived_files(app)[0].read_bytes()
        with app.app_context():
            assert verify_upload(s, pdf, certificate_store(app)).valid
    return certificate


EXPECTED_TEXT = {
    "motion": ["表决结果：未通过", "17", "未按", "赞成 ≥ 18"],
    "selection": ["票决结果：入选项目 2 个：学校扩容、老旧小区改造", "名次", "入选"],
    "satisfaction": ["测评结果：县政府关于生态环境保护工作情况的报告，基本满意", "89.3%", "满意率"],
}


@pytest.mark.parametrize("kind", ["motion", "selection", "satisfaction"])
def test_closing_a_ballot_of_each_kind_leads_to_a_signed_archived_certificate(app, client, auth, db, kind):
    closed = close_ballot_of(app, client, auth, kind)
    status = client.get(f"/api/v1/ballots/{closed.ballot_id}/certificate", headers=auth).json
    assert status["status"] == "pending"
    assert find_job(app, closed.ballot_id).id == job_id(closed.ballot_id) == f"certify_ballot-{closed.ballot_id}"

    listener = redis_lib.Redis.from_url(app.config["REDIS_URL"]).pubsub()
    listener.subscribe(app.config["SOCKETIO_CHANNEL"])  # the deployment's Socket.IO channel
    assert run_worker(app)

    certificate = assert_one_genuine_certificate(app, db, closed.ballot_id)
    status = client.get(f"/api/v1/ballots/{closed.ballot_id}/certificate", headers=auth).json
    assert status == {
        "ballot_id": closed.ballot_id, "status": "certified", "id": certificate.id, "sha256": certificate.pdf_sha256,
        "record_sha256": certificate.record_sha256, "pdf_url": f"/verify/{certificate.id}.pdf",
        "verify_url": f"/verify/{certificate.id}",
    }
    text = pdf_text(archived_files(app)[0])
    flat = re.sub(r"\s+", "", text)  # a long line may wrap anywhere
    assert "测试县第十八届人大常委会第二十次会议" in text and "表决结果" in text
    assert "第 1 页 共 2 页" in text and "第 2 页 共 2 页" in text
    for expected in EXPECTED_TEXT[kind]:
        assert re.sub(r"\s+", "", expected) in flat, expected
    record = json.loads(certificate.record_json)
    assert record["kind"] == kind and record["method"] == "electronic_secret"
    for member in closed.hall.members:  # a secret ballot's record and PDF name nobody
        assert member.name not in certificate.record_json and member.name not in text

    events = []
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not events:
        message = listener.get_message(timeout=0.5)
        if message and message["type"] == "message":
            payload = json.loads(message["data"])  # the Socket.IO queue carries JSON
            if payload.get("event") == "ballot.certified":
                events.append(payload)
    assert events and events[0]["room"] == f"meeting:{closed.hall.meeting_id}"
    assert events[0]["data"][0]["status"] == "certified"  # data: the emit's arguments


def test_running_the_job_twice_gives_one_certificate(app, client, auth, db):
    closed = close_ballot_of(app, client, auth, "motion")
    run_worker(app)
    first = assert_one_genuine_certificate(app, db, closed.ballot_id)
    # The close's hook again (a second click), a fresh job from the console, and a direct call.
    enqueue_certification(app, closed.ballot_id)
    enqueue_certification(app, closed.ballot_id, restart=True)
    run_worker(app)
    with app.app_context():
        assert certify_ballot(closed.ballot_id)["new"] is False
    again = assert_one_genuine_certificate(app, db, closed.ballot_id)
    assert (again.record_sha256, again.pdf_sha256) == (first.record_sha256, first.pdf_sha256)


def test_a_second_enqueue_while_queued_is_the_same_job(app, client, auth):
    closed = close_ballot_of(app, client, auth, "motion")
    queued = find_job(app, closed.ballot_id)
    assert enqueue_certification(app, closed.ballot_id).id == queued.id
    assert get_queue(app, QUEUE_CERTIFY).job_ids == [queued.id]


def _worker_script() -> str:
    return (
        "import json, sys\n"
        "from voting import create_app\n"
        "from voting.jobs import make_worker\n"
        "app = create_app(json.loads(sys.argv[1]), role='worker')\n"
        "make_worker(app).work(burst=True)\n"
    )


@pytest.mark.slow
@pytest.mark.parametrize("pause_at", ["sealing", "sealed"])
def test_a_worker_killed_mid_job_is_retried_to_exactly_one_certificate(app, app_config, client, auth, db, tmp_path,
                                                                        pause_at):
    """SIGKILL the whole worker (and its work horse) inside the sealing transaction, or after it committed
    and before the PDF is stored; the next worker takes the abandoned job up again."""
    closed = close_ballot_of(app, client, auth, "motion")
    marker = tmp_path / "paused"
    config = {**{k: str(v) if isinstance(v, Path) else v for k, v in app_config.items()},
              "CERTIFY_PAUSE_AT": pause_at, "CERTIFY_PAUSE_MARKER": str(marker), "CERTIFY_PAUSE_S": 120}
    worker = subprocess.Popen([sys.executable, "-c", _worker_script(), json.dumps(config)], cwd=REPO_ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert worker.poll() is None, "the worker ended before reaching the pause"
            assert time.monotonic() < deadline, "the job never reached the pause"
            time.sleep(0.05)
    finally:
        # The work horse runs the job in its own session (RQ calls setsid), so kill it by pid, then the worker.
        doomed = psutil.Process(worker.pid).children(recursive=True) + [psutil.Process(worker.pid)]
        for process in doomed:
            process.send_signal(signal.SIGKILL)
        psutil.wait_procs(doomed, timeout=30)
        worker.wait(timeout=30)

    with db.session() as s:
        sealed = s.scalars(select(Certificate)).all()
        assert [c.pdf_sha256 for c in sealed] == ([None] if pause_at == "sealed" else [])
        assert s.get(Ballot, closed.ballot_id).status == "closed"
    assert find_job(app, closed.ballot_id).get_status() == "started"  # abandoned, as RQ sees it
    # The next worker's maintenance reclaims a job whose worker stopped sending heartbeats; here we
    # do not wait the minute that takes, we let the lease run out at once.
    get_queue(app, QUEUE_CERTIFY).started_job_registry.cleanup(timestamp=time.time() + 3600)
    assert run_worker(app)

    certificate = assert_one_genuine_certificate(app, db, closed.ballot_id)
    assert find_job(app, closed.ballot_id).get_status() == "finished"
    with db.session() as s:
        state = s.get(Certification, closed.ballot_id)
        assert (state.status, state.attempts) == ("certified", 2)
    if pause_at == "sealed":
        assert certificate.record_sha256 == sealed[0].record_sha256  # the sealed record was finished, not redone


def test_a_recount_that_differs_from_the_announced_result_fails_loudly(app, client, auth, db):
    closed = close_ballot_of(app, client, auth, "motion")
    with db.session() as s:
        original = s.get(Ballot, closed.ballot_id).result_json
    forged = json.loads(original)
    forged["items"][0]["counts"]["yes"] = 18
    forged["items"][0]["outcome"] = "passed"
    with db.transaction() as s:
        s.execute(update(Ballot).where(Ballot.id == closed.ballot_id).values(result_json=json.dumps(forged)))
    run_worker(app)

    assert certificates(db) == [] and archived_files(app) == []
    job = find_job(app, closed.ballot_id)
    assert job.get_status() == "failed"  # every retry failed, and RQ kept the error
    assert "result_mismatch" in job.latest_result().exc_string
    assert job.id in get_queue(app, QUEUE_CERTIFY).failed_job_registry.get_job_ids()
    with db.session() as s:
        state = s.get(Certification, closed.ballot_id)
        assert (state.status, state.error_code, state.attempts) == ("failed", "result_mismatch", 4)
        assert "items[0].counts.yes: 18 ≠ 17" in state.reason
        assert "items[0].outcome: 'passed' ≠ 'failed'" in state.reason
    status = client.get(f"/api/v1/ballots/{closed.ballot_id}/certificate", headers=auth).json
    assert status["status"] == "failed"
    assert status["reason"]["code"] == "result_mismatch"
    assert status["reason"]["message"] == "重新计票结果与表决结束时宣布的结果不一致。"
    member = closed.hall.members[0]
    as_member = client.get(f"/api/v1/ballots/{closed.ballot_id}/certificate", headers=member.headers).json
    assert as_member["status"] == "failed" and "reason" not in as_member

    # Put the announced result back (what an investigation would establish) and retry: certified.
    with db.transaction() as s:
        s.execute(update(Ballot).where(Ballot.id == closed.ballot_id).values(result_json=original))
    enqueue_certification(app, closed.ballot_id, restart=True)
    run_worker(app)
    assert_one_genuine_certificate(app, db, closed.ballot_id)


def test_a_box_that_does_not_match_the_roll_of_voters_is_refused(app, client, auth, db):
    closed = close_ballot_of(app, client, auth, "motion")
    with db.transaction() as s:
        voter = s.scalars(select(Participation.representative_id).where(Participation.ballot_id == closed.ballot_id)).first()
        s.execute(delete(Participation).where(Participation.ballot_id == closed.ballot_id,
                                              Participation.representative_id == voter))
    run_worker(app)
    assert certificates(db) == []
    with db.session() as s:
        state = s.get(Certification, closed.ballot_id)
        assert state.error_code == "box_mismatch"
        assert state.reason == "26 ballots stored, 25 voters recorded"


def test_concurrent_certifications_make_one_unforked_chain(app, client, auth, db):
    """Four ballots certified at the same moment by four threads: sequences 1..4, each chained to the one before."""
    from tests.hall import make_hall

    hall = make_hall(app, 35, present=28)
    ballot_ids = [close_ballot_of(app, client, auth, "motion", hall=hall, title=f"第{i}项决定").ballot_id
                  for i in range(4)]
    start, errors = threading.Barrier(4), []

    def certify(ballot_id):
        try:
            with app.app_context():
                start.wait()
                certify_ballot(ballot_id)
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    threads = [threading.Thread(target=certify, args=(b,)) for b in ballot_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    found = certificates(db)
    assert [c.id for c in found] == [1, 2, 3, 4]
    assert sorted(c.ballot_id for c in found) == sorted(ballot_ids)
    assert [c.previous_sha256 for c in found] == [None] + [c.record_sha256 for c in found[:-1]]
    with db.session() as s:
        assert audit_chain(s, certificate_store(app)).ok
        assert s.scalar(select(func.count()).select_from(Ballot).where(Ballot.status == "certified")) == 4
    run_worker(app)  # the four queued jobs find their certificates made
    assert len(certificates(db)) == 4 and len(archived_files(app)) == 4
