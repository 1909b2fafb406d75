"""Engine and sessions: plain SQLAlchemy 2, shared by the web app, the worker and the CLI."""
from __future__ import annotations

import sqlite3
import time
from contextlib import contextmanager
from typing import Iterator

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker


def make_engine(url: str, **kwargs) -> Engine:
    """An engine for `url`. SQLite gets WAL, a busy timeout and foreign keys.

    WAL lets readers (the screen, the booth) proceed while a vote is written;
    the busy timeout turns concurrent writers into a short wait, not an error.
    """
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # noqa: ANN001
            # Let SQLAlchemy, not pysqlite, decide when transactions begin, so
            # BEGIN IMMEDIATE below takes the write lock at the start.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):  # noqa: ANN001
            # A writing transaction takes the write lock up front (IMMEDIATE):
            # upgrading a read lock later fails at once in WAL mode instead of
            # waiting. Readers stay DEFERRED and never block anyone.
            if conn.get_execution_options().get("writes"):
                _begin_immediate(conn.connection.dbapi_connection)
            else:
                conn.exec_driver_sql("BEGIN")

        return engine
    engine = create_engine(url, **{"pool_size": 10, "max_overflow": 20, **kwargs})
    _ping_after_idle(engine)
    return engine


SQLITE_BUSY_TIMEOUT_S = 30.0


def _begin_immediate(dbapi_conn) -> None:  # noqa: ANN001
    """BEGIN IMMEDIATE, waiting for another process's write lock in short sleeps that yield.

    SQLite's own busy handler sleeps inside C: under gevent that would stop every
    greenlet of the web process (all its phones) for as long as another web
    process holds the lock. time.sleep is gevent's there, and a plain sleep elsewhere.
    """
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_S
    delay = 0.0005
    dbapi_conn.execute("PRAGMA busy_timeout=0")
    try:
        while True:
            try:
                dbapi_conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() >= deadline:
                    raise
            time.sleep(delay)
            delay = min(delay * 2, 0.01)
    finally:
        dbapi_conn.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_TIMEOUT_S * 1000)}")


IDLE_PING_S = 10.0


def _ping_after_idle(engine: Engine) -> None:
    """Check a pooled connection before use only if it sat idle for IDLE_PING_S or more.

    Like pool_pre_ping (a server restart or a dropped connection costs no
    request), without its round trip on every checkout: when a congress votes,
    connections are never idle and every round trip is CPU the phones wait for.
    """
    from sqlalchemy.exc import DisconnectionError

    @event.listens_for(engine, "checkin")
    def _returned(dbapi_conn, record):  # noqa: ANN001
        record.info["voting_idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _check(dbapi_conn, record, proxy):  # noqa: ANN001
        since = record.info.get("voting_idle_since")
        if since is None or time.monotonic() - since < IDLE_PING_S:
            return
        try:
            cursor = dbapi_conn.cursor()
            cursor.execute("SELECT 1")
            cursor.close()
            dbapi_conn.rollback()
        except Exception as error:  # the pool replaces the connection and tries again
            raise DisconnectionError() from error


class Database:
    """One engine and its session factory."""

    def __init__(self, url: str, **engine_kwargs) -> None:
        self.url = url
        self.engine = make_engine(url, **engine_kwargs)
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)
        self.write_sessionmaker = sessionmaker(
            self.engine.execution_options(writes=True), expire_on_commit=False
        )

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A read session (its transaction is rolled back at the end)."""
        with self.sessionmaker() as session:
            yield session

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A writing session: commits when the block ends, rolls back on any error."""
        with self.write_sessionmaker() as session:
            with session.begin():
                yield session

    @contextmanager
    def single_read(self) -> Iterator[Connection]:
        """A connection for one read statement, outside any transaction where the database allows.

        On PostgreSQL that saves the round trips of BEGIN and ROLLBACK around a lone
        SELECT (the API's token check runs on every vote). SQLite keeps its usual
        read transaction, which costs nothing.
        """
        options = {"isolation_level": "AUTOCOMMIT"} if not self.is_sqlite else {}
        with self.engine.connect().execution_options(**options) as connection:
            yield connection

    def dispose(self) -> None:
        self.engine.dispose()
