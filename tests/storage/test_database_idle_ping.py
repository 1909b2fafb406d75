"""A pooled PostgreSQL connection that died while idle (server restart, network) is replaced
before use, so no request fails on it; busy connections are not pinged at all."""
from __future__ import annotations

from sqlalchemy import create_engine, text

from voting.storage import database


def backend_pid(db) -> int:
    with db.session() as s:
        return s.execute(text("select pg_backend_pid()")).scalar()


def test_a_connection_killed_while_idle_is_replaced_not_failed(pg_database_url, monkeypatch):
    monkeypatch.setattr(database, "IDLE_PING_S", 0.0)  # every returned connection counts as idle
    db = database.Database(pg_database_url, pool_size=1, max_overflow=0)
    try:
        first = backend_pid(db)
        admin = create_engine(pg_database_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            assert conn.execute(text("select pg_terminate_backend(:pid)"), {"pid": first}).scalar()
        admin.dispose()
        assert backend_pid(db) != first  # no error: the dead connection was replaced
    finally:
        db.dispose()


def test_a_busy_connection_is_not_pinged(pg_database_url, monkeypatch):
    """Without the idle check the killed connection is used as is and the request fails."""
    monkeypatch.setattr(database, "IDLE_PING_S", 3600.0)
    db = database.Database(pg_database_url, pool_size=1, max_overflow=0)
    try:
        first = backend_pid(db)
        admin = create_engine(pg_database_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("select pg_terminate_backend(:pid)"), {"pid": first})
        admin.dispose()
        try:
            backend_pid(db)
        except Exception as error:  # noqa: BLE001 (the point: it was not checked first)
            assert "terminat" in str(error).lower() or "closed" in str(error).lower()
        else:
            raise AssertionError("a connection checked out straight after use was pinged")
    finally:
        db.dispose()


def test_single_read_runs_outside_a_transaction_on_postgresql(pg_database_url):
    """The API's token check is one SELECT: no BEGIN before it, no ROLLBACK after it."""
    import psycopg

    db = database.Database(pg_database_url)
    try:
        with db.single_read() as conn:
            assert conn.execute(text("select 1")).scalar() == 1
            assert conn.connection.dbapi_connection.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
        with db.session() as s:  # an ordinary session is inside a transaction
            s.execute(text("select 1"))
            assert s.connection().connection.dbapi_connection.info.transaction_status == \
                psycopg.pq.TransactionStatus.INTRANS
    finally:
        db.dispose()
