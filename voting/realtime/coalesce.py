"""Coalescing: publish a stream at once when it is quiet, and at most every `interval` while it is busy.

When 3,000 representatives check in within a minute, computing and sending the
whole attendance picture for every single check-in would cost a query over the
whole roster each time and flood the screens. Instead:

- the first change after a quiet spell is published at once (a clerk marking
  one person sees the screen move immediately);
- changes that come while a flush is under way only set a dirty flag in Redis;
  the process holding the stream's lock publishes the latest picture every
  `interval` seconds while the flag keeps being set, and lets go after a quiet
  interval. The flag and the lock are in Redis, so this holds across several
  web processes: whichever process gets the change, one of them flushes.

A process without a Socket.IO server (a worker, the command line) publishes at
once: it has no background task to flush later, and it changes little.
"""
from __future__ import annotations

import logging
import time
from typing import Callable

from flask import Flask

from voting.realtime import _redis

log = logging.getLogger(__name__)

LOCK_TTL_S = 30  # a flusher that died frees its stream after this


def soon(app: Flask, key: str, flush: Callable[[], object], interval: float = 0.25):
    """Make sure `flush()` runs soon for `key`; returns its result when it ran at once, else None."""
    server = app.extensions.get("socketio") if app.config.get("VOTING_ROLE") == "web" else None
    if server is None:
        return flush()
    redis = _redis(app)
    dirty, lock = f"voting:coalesce:dirty:{key}", f"voting:coalesce:lock:{key}"
    if not redis.set(lock, 1, nx=True, ex=LOCK_TTL_S):
        redis.set(dirty, 1, ex=60)
        # The holder may have just let go after finding nothing: take over if so.
        if not redis.set(lock, 1, nx=True, ex=LOCK_TTL_S):
            return None
        redis.delete(dirty)
    try:
        result = flush()
    finally:
        server.start_background_task(_flush_while_busy, app, redis, dirty, lock, flush, interval)
    return result


def _flush_while_busy(app: Flask, redis, dirty: str, lock: str, flush: Callable[[], object], interval: float) -> None:
    """Flush every `interval` while changes keep coming; release the lock after a quiet interval."""
    with app.app_context():
        while True:
            time.sleep(interval)
            if redis.getdel(dirty):
                redis.expire(lock, LOCK_TTL_S)
                try:
                    flush()
                except Exception:  # noqa: BLE001 (the next change or a reconnect resyncs the clients)
                    log.exception("coalesced flush of %s failed", lock)
                continue
            redis.delete(lock)
            # A change that set the flag just before the lock went is ours to flush.
            if redis.get(dirty) and redis.set(lock, 1, nx=True, ex=LOCK_TTL_S):
                continue
            return
