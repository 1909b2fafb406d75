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
