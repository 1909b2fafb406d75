"""The Socket.IO message queue on Redis, made for bursts.

python-socketio's RedisManager opens redis-py's default pool, which raises
once 100 connections are busy; under gevent a hall's burst (thousands of
phones connecting, every one answered with a snapshot) gets there, and each
failed publish then opens a whole new client, leaking the old one's sockets.
This manager keeps one blocking pool for the process's lifetime: a burst waits
a moment for a free connection, and a broken connection is simply replaced by
the pool.
"""
from __future__ import annotations

import socketio

MAX_CONNECTIONS = 100
WAIT_S = 20


class QueueManager(socketio.RedisManager):
    """RedisManager with one lasting BlockingConnectionPool."""

    def _redis_connect(self):
        """(Re)connect: keep the pool, make a fresh pub/sub object for the listener."""
        import redis

        if self.redis is None:
            pool = redis.BlockingConnectionPool.from_url(self.redis_url, max_connections=MAX_CONNECTIONS, timeout=WAIT_S)
            self.redis = redis.Redis(connection_pool=pool, **self.redis_options)
        self.pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
        self.connected = True


def message_queue(redis_url: str, channel: str, write_only: bool = False) -> QueueManager:
    """The client manager for Flask-SocketIO on `redis_url`, publishing and listening on `channel`."""
    return QueueManager(redis_url, channel=channel, write_only=write_only)
