"""The web process is one gevent loop: a database call must yield to the other phones, never block them.

psycopg 3 waits for PostgreSQL with its C `wait_c` unless gevent has patched
`select` before psycopg is imported; voting.serve patches first. Proved in a
real `voting.serve` interpreter: two greenlets each sleep 0.6 s in PostgreSQL
and finish together, not one after the other.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import PG_ADMIN_URL

REPO_ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import time
import voting.serve  # patches the standard library for gevent, as `python -m voting.serve` does
import gevent
import psycopg
import psycopg.waiting
from sqlalchemy import create_engine, text

print("wait", psycopg.waiting.wait.__name__)
engine = create_engine(URL, pool_size=2)
with engine.connect() as warm:
    warm.execute(text("select 1"))

def nap():
    with engine.connect() as conn:
        conn.execute(text("select pg_sleep(0.6)"))

start = time.monotonic()
gevent.joinall([gevent.spawn(nap), gevent.spawn(nap)], raise_error=True)
print("elapsed", round(time.monotonic() - start, 2))
"""


def test_postgresql_calls_yield_to_other_greenlets_in_the_web_process():
    probe = f"URL = {PG_ADMIN_URL!r}\n" + PROBE
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO_ROOT, timeout=60)
    assert out.returncode == 0, out.stderr
    lines = dict(line.split(" ", 1) for line in out.stdout.splitlines())
    assert lines["wait"] != "wait_c"  # the C wait would hold the whole loop
    assert float(lines["elapsed"]) < 1.0  # 0.6 + 0.6 would be 1.2 if the sleeps ran one after the other


SQLITE_PROBE = """
import time
import voting.serve  # patches the standard library for gevent, as `python -m voting.serve` does
import gevent
import sqlite3
from sqlalchemy import text
from voting.storage.database import Database

db = Database("sqlite:///" + PATH)
with db.transaction() as s:
    s.execute(text("create table t (x integer)"))

other = sqlite3.connect(PATH, isolation_level=None)  # another web process, writing
other.execute("BEGIN IMMEDIATE")
ticks = []

def ticker():
    for _ in range(60):
        ticks.append(time.monotonic())
        gevent.sleep(0.01)

def release():
    gevent.sleep(0.5)
    other.execute("insert into t values (1)")
    other.execute("COMMIT")

def write():
    start = time.monotonic()
    with db.transaction() as s:  # waits for the other process's write lock
        s.execute(text("insert into t values (2)"))
    print("waited", round(time.monotonic() - start, 2))

gevent.joinall([gevent.spawn(ticker), gevent.spawn(release), gevent.spawn(write)], raise_error=True)
print("ticks_during_wait", sum(1 for t in ticks if t < ticks[0] + 0.45))
with db.session() as s:
    print("rows", s.execute(text("select count(*) from t")).scalar())
"""


def test_waiting_for_another_processs_sqlite_write_lock_does_not_stop_the_other_phones(tmp_path):
    """Two web processes on SQLite: while one holds the write lock, the other's phones are still served."""
    probe = f"PATH = {str(tmp_path / 'hall.db')!r}\n" + SQLITE_PROBE
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO_ROOT, timeout=60)
    assert out.returncode == 0, out.stderr
    lines = dict(line.split(" ", 1) for line in out.stdout.splitlines())
    assert float(lines["waited"]) >= 0.45  # it did wait for the lock, then wrote
    assert lines["rows"] == "2"
    assert int(lines["ticks_during_wait"]) >= 30  # about 45 if the loop ran freely, 1 if the wait held it
