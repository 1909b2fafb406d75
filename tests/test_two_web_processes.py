"""Several web processes behind a sticky load balancer: a vote cast through one process updates a
hall screen connected to another, because both share the database and the Redis message queue.

Two real `python -m voting.serve` processes (gevent) on two ports, with the same instance folder,
DATABASE_URL and REDIS_URL, on both backends (embedded SQLite + Redis, and PostgreSQL + Redis).
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

from tests.hall import make_hall, nonce
from tests.realtime.test_attendance_events import Recorder, wait_for

REPO_ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def web_processes(app_config, count: int = 2):
    """`count` web processes sharing the test's instance folder, database and Redis; yields their base URLs."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "PUBLIC_URL")}
    env["VOTING_INSTANCE"] = str(app_config["instance_path"])
    env["REDIS_URL"] = app_config["redis_url"]
    if app_config["database_url"]:
        env["DATABASE_URL"] = app_config["database_url"]
    ports = [free_port() for _ in range(count)]
    logs = [open(Path(app_config["instance_path"]) / f"web-{port}.log", "w") for port in ports]
    procs = [
        subprocess.Popen([sys.executable, "-m", "voting.serve", "--host", "127.0.0.1", "--port", str(port)],
                         env=env, cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT)
        for port, log in zip(ports, logs)
    ]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for url, proc in zip(urls, procs):
            deadline = time.monotonic() + 60
            while True:
                assert proc.poll() is None, f"the web process on {url} died"
                try:
                    if requests.get(f"{url}/healthz", timeout=1).status_code == 200:
                        break
                except requests.RequestException:
                    pass
                assert time.monotonic() < deadline, f"the web process on {url} did not start"
                time.sleep(0.2)
        yield urls
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
        for log in logs:
            log.close()


@pytest.mark.slow
def test_a_vote_through_one_process_updates_a_screen_on_the_other(app, app_config, make_user):
    from voting.actions.checkin import screen_token_for

    hall = make_hall(app, 30, present=30)
    mid = hall.meeting_id
    make_user("clerk", "clerk", "correct horse battery")
    with app.app_context():
        token = screen_token_for(app.extensions["voting.db"], mid, renew=True)

    with web_processes(app_config) as (first, second):
        clerk = {"Authorization": "Bearer " + requests.post(
            f"{first}/api/v1/auth/token", json={"username": "clerk", "password": "correct horse battery"}
        ).json()["token"]}
        screen = Recorder().connect(second, auth={"meeting_id": mid, "screen_token": token})
        phone = Recorder().connect(first, auth={"meeting_id": mid, "token": hall.members[0].token})
        try:
            assert wait_for(lambda: screen.named("ballot.snapshot") and phone.named("ballot.snapshot"))
            ballot = requests.post(f"{first}/api/v1/meetings/{mid}/ballots", headers=clerk, json={
                "kind": "motion", "title": "关于某某的决议", "items": [{"title": "决议草案"}]}).json()
            item = ballot["items"][0]["id"]
            assert requests.post(f"{first}/api/v1/ballots/{ballot['id']}/open", headers=clerk).status_code == 200
            assert wait_for(lambda: screen.named("ballot.opened"))
            for i, member in enumerate(hall.members):
                r = requests.post(f"{first}/api/v1/ballots/{ballot['id']}/votes",
                                  headers={"Authorization": f"Bearer {member.token}"},
                                  json={"choices": {str(item): "yes" if i < 20 else "no"}, "nonce": nonce()})
                assert r.status_code == 201, r.text
            # The screen on the other process counts every vote cast through the first.
            assert wait_for(lambda: any(p["cast"] == 30 for p in screen.named("ballot.progress")), timeout=10)
            assert requests.post(f"{first}/api/v1/ballots/{ballot['id']}/close", headers=clerk).status_code == 200
            assert wait_for(lambda: screen.named("ballot.closed"))
            counts = screen.named("ballot.closed")[0]["result"]["items"][0]["counts"]
            assert counts == {"yes": 20, "no": 10, "abstain": 0}
            # And the other way round: the chair's choice made on the second reaches a phone-less console on the first.
            console = Recorder().connect(first, auth={"meeting_id": mid, "token": clerk["Authorization"][7:]})
            assert wait_for(lambda: console.named("ballot.snapshot"))
            assert requests.put(f"{second}/api/v1/meetings/{mid}/screen", headers=clerk,
                                json={"mode": "attendance"}).status_code == 200
            assert wait_for(lambda: console.named("screen.shown") and screen.named("screen.shown"))
            console.client.disconnect()
            # The phone heard the opening and the close, never the progress.
            assert [e for e, _ in phone.events] == ["ballot.snapshot", "ballot.opened", "ballot.closed"]
        finally:
            screen.client.disconnect()
            phone.client.disconnect()
