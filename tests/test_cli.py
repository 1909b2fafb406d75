"""The `voting` command as an operator uses it: real processes, real servers."""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import psutil
import pytest
import redis as redis_lib
import requests
import socketio
from sqlalchemy import create_engine, inspect, text

from voting import create_app
from voting.storage.migrate import alembic_config

REPO_ROOT = Path(__file__).resolve().parent.parent


def cli_env(instance: Path, database_url: str | None = None, redis_url: str | None = None) -> dict[str, str]:
    """The environment an operator would set: only what is given, nothing else inherited from tests."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "PUBLIC_URL")}
    env["VOTING_INSTANCE"] = str(instance)
    if database_url:
        env["DATABASE_URL"] = database_url
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def voting(*args: str, env: dict[str, str], input: str | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run `voting ARGS` in a child process, stdin a pipe (not a terminal)."""
    return subprocess.run(
        [sys.executable, "-m", "voting", *args],
        env=env, input=input or "", capture_output=True, text=True, timeout=timeout, cwd=REPO_ROOT,
    )


def config_env(app_config) -> dict[str, str]:
    """The CLI environment for the test's backend and its migrated database."""
    return cli_env(app_config["instance_path"], app_config["database_url"], app_config["redis_url"])


def test_user_create_reads_the_password_from_stdin(app_config):
    result = voting("user", "create", "wang", "--role", "clerk", env=config_env(app_config),
                    input="correct horse battery\n")
    assert result.returncode == 0, result.stderr
    client = create_app(app_config).test_client()
    answer = client.post("/api/v1/auth/token", json={"username": "wang", "password": "correct horse battery"})
    assert answer.status_code == 200 and answer.json["role"] == "clerk"


def test_user_create_refuses_a_weak_password_clearly(app_config):
    result = voting("user", "create", "li", "--role", "chair", env=config_env(app_config), input="short\n")
    assert result.returncode == 1
    assert "8" in result.stderr and "Traceback" not in result.stderr  # says how long, no crash
    client = create_app(app_config).test_client()
    answer = client.post("/api/v1/auth/token", json={"username": "li", "password": "short"})
    assert answer.status_code == 401


def _tables_and_revision(url: str) -> tuple[set[str], str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        return set(inspect(engine).get_table_names()), revision
    finally:
        engine.dispose()


def test_db_upgrade_on_a_fresh_instance(app_config, backend, tmp_path):
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    fresh = tmp_path / "fresh-instance"
    if backend == "embedded":
        database_url, url = None, f"sqlite:///{fresh / 'voting.db'}"
    else:
        # A brand-new PostgreSQL database on the same server, dropped afterwards.
        name = f"voting_cli_{uuid.uuid4().hex[:10]}"
        admin_url = app_config["database_url"].rsplit("/", 1)[0] + "/postgres"
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        database_url = url = admin_url.rsplit("/", 1)[0] + "/" + name
    try:
        env = cli_env(fresh, database_url, app_config["redis_url"])
        first = voting("db", "upgrade", env=env)
        assert first.returncode == 0, first.stderr
        tables, revision = _tables_and_revision(url)
        assert {"body", "representative", "meeting", "user_account", "api_token"} <= tables
        assert revision == head
        again = voting("db", "upgrade", env=env)  # a second upgrade is a no-op, not an error
        assert again.returncode == 0, again.stderr
    finally:
        if backend != "embedded":
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Running:
    """`voting run` in a child process; its output collected line by line."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "voting", "run", *args], env=env, cwd=REPO_ROOT,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_for(self, pattern: str, timeout: float = 120) -> re.Match:
        """The first match of `pattern` in the output; fail if the process ends or time runs out first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            match = re.search(pattern, self.output)
            if match:
                return match
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        pytest.fail(f"`voting run` never printed {pattern!r}:\n{self.output}")

    def stop(self) -> None:
        """After a failed check: let `voting run` clean up as it would for an operator, then insist."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def _group_alive(pgid: int) -> list[int]:
    """Pids still running in process group `pgid` (each child of `voting run` leads one)."""
    alive = []
    for process in psutil.process_iter():
        try:
            if os.getpgid(process.pid) == pgid and process.status() != psutil.STATUS_ZOMBIE:
                alive.append(process.pid)
        except (ProcessLookupError, psutil.Error):
            continue
    return alive


def _redis_servers_in(folder: Path) -> list[int]:
    """Pids of redis-server processes working in `folder` (the embedded server's home)."""
    pids = []
    for process in psutil.process_iter(["name", "cwd"]):
        if "redis-server" in (process.info["name"] or "") and process.info["cwd"] == str(folder):
            pids.append(process.pid)
    return pids


@pytest.mark.slow
def test_run_demo_starts_everything_and_sigterm_stops_everything(tmp_path):
    instance = tmp_path / "instance"
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    run = Running(["--demo", "--port", str(port)], cli_env(instance))
    try:
        run.wait_for(re.escape(f"{base}/admin/"))
        clerk_password = run.wait_for(r"clerk / (\S+)").group(1)
        phone_link = run.wait_for(re.escape(base) + r"/r/[A-Za-z0-9_-]{8,}").group(0)
        assert f"{base}/api/v1/openapi.json" in run.output

        assert requests.get(f"{base}/healthz", timeout=5).json() == {"status": "ok"}
        token = requests.post(f"{base}/api/v1/auth/token", timeout=10,
                              json={"username": "clerk", "password": clerk_password}).json()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        body = requests.get(f"{base}/api/v1/bodies/1", headers=auth, timeout=10).json()
        assert body["name"] == "云州市第十八届人民代表大会" and body["expected"] == 300
        assert len(body["groups"]) == 12

        # A phone: opens the printed link (its session cookie identifies the representative),
        # then connects to the meeting's live updates.
        phone = requests.Session()
        phone.get(phone_link, timeout=10)
        cookie = "; ".join(f"{c.name}={c.value}" for c in phone.cookies)
        client = socketio.Client(reconnection=False)
        client.connect(base, headers={"Cookie": cookie} if cookie else {}, auth={"meeting_id": 1}, wait_timeout=10)
        try:
            deadline = time.monotonic() + 10
            while client.transport() != "websocket" and time.monotonic() < deadline:
                time.sleep(0.1)
            assert client.transport() == "websocket"  # upgraded from polling: gevent serves websockets
        finally:
            client.disconnect()

        psutil_children = psutil.Process(run.process.pid).children()
        assert len(psutil_children) == 2  # the web server and the worker
        children = psutil.Process(run.process.pid).children(recursive=True)
        redis_pids = _redis_servers_in(instance / "redis")
        assert len(redis_pids) == 1  # the embedded Redis, started by `voting run`

        run.process.send_signal(signal.SIGTERM)
        assert run.process.wait(timeout=30) == 0, run.output
        assert all(_gone(child.pid) for child in children), run.output
        assert not any(_group_alive(child.pid) for child in psutil_children), run.output
        assert all(_gone(pid) for pid in redis_pids)
    finally:
        run.stop()


@pytest.mark.slow
def test_run_on_real_servers_stops_everything_when_a_child_dies(app_config, backend, tmp_path):
    if backend == "embedded":
        pytest.skip("the embedded path is the test above; this one gives `voting run` REDIS_URL and DATABASE_URL")
    port = _free_port()
    run = Running(["--port", str(port)], config_env(app_config))
    try:
        run.wait_for(re.escape(f"http://127.0.0.1:{port}/admin/"))
        # The worker listens on the real Redis, on every queue, most urgent first.
        from rq import Queue, Worker
        from rq.serializers import JSONSerializer

        connection = redis_lib.Redis.from_url(app_config["redis_url"])
        deadline = time.monotonic() + 10
        while not Worker.all(connection=connection) and time.monotonic() < deadline:
            time.sleep(0.1)
        (worker,) = Worker.all(connection=connection)
        assert worker.queue_names() == ["certify", "default", "render"]

        web, worker_process = sorted(
            psutil.Process(run.process.pid).children(),
            key=lambda p: "voting.serve" not in " ".join(p.cmdline()),
        )
        # The worker is busy: its work horse (a child process) runs a long job.
        queue = Queue("default", connection=connection, serializer=JSONSerializer)
        queue.enqueue("time.sleep", 120)
        deadline = time.monotonic() + 20
        while not worker_process.children() and time.monotonic() < deadline:
            time.sleep(0.1)
        left_behind = worker_process.children()
        assert left_behind, run.output
        worker_process.kill()
        assert run.process.wait(timeout=30) == 1
        assert re.search(r"worker exited with code -?\d+; stopping everything", run.output), run.output
        assert _gone(web.pid)
        # Nothing the killed worker started lives on: an orphaned horse or RQ scheduler
        # keeps the worker's Redis connections (a blocking pop swallows the next job).
        assert all(_gone(child.pid) for child in left_behind)
        assert _group_alive(worker_process.pid) == [] and _group_alive(web.pid) == []
        queue.enqueue("os.getpid")
        time.sleep(0.5)
        assert len(queue) == 1
    finally:
        run.stop()
